"""Contacts learned during a call go into the file, not only into the notes (domain 7.7).

People lose the accountant's number: a new name, a direct line, an e-mail or the person
who can release the payment is kept as a Contact row, marked with the call it came from,
and shown in the checklist of every later call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from callcoach.db.tables import Call, Contact, Debtor
from callcoach.domain.addressing import civility_of
from callcoach.domain.kinds import Authority, Civility
from callcoach.domain.text import clean_field
from callcoach.domain.worded import Problem, problem
from callcoach.services.errors import UserError

NAME_MAX = 120
FIELD_MAX = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[+0-9 ().\-/]{4,30}$")


@dataclass(frozen=True)
class NewContact:
    """What the collector typed in the contact form, before it is checked."""

    name: str
    civility: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""
    can_release_payment: str = Authority.UNKNOWN


def contact_problems(new: NewContact) -> list[Problem]:
    """What is wrong, field by field (``field: reason`` in English; each interface words it by its code)."""
    found: list[Problem] = []
    name = clean_field(new.name)
    if not name:
        found.append(problem("name", "enter the person's name", code="contact_name_needed"))
    elif len(name) > NAME_MAX:
        found.append(problem("name", "at most {most} characters", code="too_long", most=NAME_MAX))
    if new.civility not in set(Civility):
        found.append(problem("civility", "choose M., Mme or none", code="contact_civility"))
    phone = clean_field(new.phone)
    if phone and not _PHONE.match(phone):
        found.append(problem("phone", "not a phone number: {phone!r}", code="phone_unreadable", phone=phone))
    email = clean_field(new.email)
    if email and not _EMAIL.match(email):
        found.append(problem("e-mail", "not an e-mail address: {address!r}", code="email_unreadable", address=email))
    if len(clean_field(new.role)) > FIELD_MAX:
        found.append(problem("role", "at most {most} characters", code="too_long", most=FIELD_MAX))
    if new.can_release_payment not in set(Authority):
        found.append(problem("can release", "choose yes, no or unknown", code="contact_authority"))
    if not found and not (phone or email or clean_field(new.role)):
        found.append(problem("phone", "give at least a phone number, an e-mail or a role", code="contact_needs_a_way"))
    return found


def add_contact(session: Session, *, debtor_id: int, new: NewContact, call_id: int | None = None) -> Contact:
    """Keep a contact learned during a call; raise UserError (nothing written) when it is not usable."""
    found = contact_problems(new)
    if found:
        raise UserError("; ".join(map(str, found)), code="form_problems", problems=found)
    if session.get(Debtor, debtor_id) is None:
        raise UserError("no debtor with id {debtor_id}", code="no_debtor_id", debtor_id=debtor_id)
    if call_id is not None:
        call = session.get(Call, call_id)
        if call is None or call.debtor_id != debtor_id:
            call_id = None
    civility, name = civility_of(clean_field(new.name), new.civility)  # « Mme Claire Roux » counts as typed
    contact = Contact(
        debtor_id=debtor_id,
        name=name,
        civility=civility.value,
        role=clean_field(new.role) or None,
        phone=clean_field(new.phone) or None,
        email=clean_field(new.email) or None,
        can_release_payment=new.can_release_payment,
        found_in_call_id=call_id,
    )
    session.add(contact)
    session.flush()
    return contact


def _digits(phone: str | None) -> str:
    return "".join(c for c in phone or "" if c.isdigit())


def keep_direct_line(session: Session, *, call: Call, contact_id: int | None, line: str) -> None:
    """A direct line learned during a call goes into the file, not only into the notes
    (domain 7.1, 7.7): the person asked for is reached on it first next time, and the number
    they had stays as their other one. A number the file already holds changes nothing."""
    line = clean_field(line)
    contact = session.get(Contact, contact_id) if contact_id is not None else None
    if not line or contact is None or contact.debtor_id != call.debtor_id:
        return
    if _digits(line) in (_digits(contact.phone), _digits(contact.phone_alt)):
        return
    contact.phone_alt = contact.phone or contact.phone_alt
    contact.phone = line
    session.add(contact)
