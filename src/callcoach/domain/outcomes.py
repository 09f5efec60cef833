"""What a call ended with, as the collector enters it, and whether it is complete.

A promise without a date or a callback without a time is how follow-up dies (domain
1.4, 4.5): the entry is refused until it holds what the outcome needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from callcoach.domain.kinds import Consequence, NextStep, Outcome
from callcoach.domain.plans import Instalment, PlanError, schedule
from callcoach.domain.worded import Problem, WordedError, problem

MAX_INSTALMENTS = 60

NEEDS: dict[Outcome, tuple[str, ...]] = {
    Outcome.PROMISE: ("amount", "date", "method"),
    Outcome.PLAN: ("amount", "count", "date", "method"),
    Outcome.DISPUTE: ("invoice", "amount", "reason"),
    Outcome.CALLBACK: ("date", "time"),
    Outcome.ALREADY_PAID: ("date", "method"),
    Outcome.WRONG_PERSON: (),
    Outcome.NO_ANSWER: ("next",),
    Outcome.REFUSED: ("next",),
    # Someone else answered: the slot where the person can be reached is the callback.
    Outcome.GATEKEEPER: ("date", "time"),
    Outcome.VOICEMAIL: ("next",),
}

# The outcomes that end without agreement and must still close on a dated step (domain 7.6).
NEEDS_NEXT_STEP = frozenset(o for o, needs in NEEDS.items() if "next" in needs)
# Every outcome can carry the reason for non-payment except when nobody was reached.
NOBODY_REACHED = frozenset({Outcome.NO_ANSWER, Outcome.VOICEMAIL, Outcome.GATEKEEPER, Outcome.WRONG_PERSON})
# The F4 entries that are not the client's excuse but who picked up (domain 7.1): the call has
# not reached the person, so the script stays at the introduction and shows the branch's words.
BRANCHES = frozenset({"gatekeeper", "voicemail"})
# A cheque said to be in the post is expected this many days after it was sent.
POST_DAYS = 3
_PHONE = re.compile(r"^[+0-9 ().\-/]{4,30}$")


@dataclass
class OutcomeEntry:
    outcome: Outcome = Outcome.PROMISE
    contact_id: int | None = None
    amount_cents: int | None = None
    currency: str = "EUR"
    on: date | None = None
    at: time | None = None
    method: str | None = None
    count: int | None = None
    first_cents: int | None = None  # a plan's first payment, when it differs from the others
    invoice_id: int | None = None
    reason: str = ""
    # A dispute on part, and a promise for the undisputed rest in the same call (domain 4.3).
    rest_cents: int | None = None
    rest_on: date | None = None
    # Why the client has not paid (a NonPaymentReason value), when the call told it.
    why: str = ""
    # For an outcome without agreement: callback, written reminder or an announced step,
    # dated by ``on`` (and ``at`` for a callback).
    next_step: str = ""
    # Optional with any outcome: a step announced to the client, the collector's own
    # commitment, what the call taught about the account.
    consequence: str | None = None
    consequence_on: date | None = None
    commitment: str = ""
    commitment_on: date | None = None
    commitment_at: time | None = None
    in_difficulty: bool = False
    faults: list[str] = field(default_factory=list)
    # Learned during the call (domain 7.1, 7.7): who picked up instead of the person asked
    # for, and the direct line that reaches that person; kept in the file on saving.
    answered_by: str = ""
    direct_line: str = ""
    # A cheque said to be in the post (domain 4.3): its number and the day it was sent.
    cheque_number: str = ""
    sent_on: date | None = None


def is_phone_number(text: str) -> bool:
    """Digits, spaces and the usual separators, with at least four digits."""
    return bool(_PHONE.match(text.strip())) and sum(c.isdigit() for c in text) >= 4


def cheque_expected(sent_on: date, today: date) -> date:
    """When a cheque sent on ``sent_on`` should be in hand: a few days of post, never before today."""
    return max(sent_on + timedelta(days=POST_DAYS), today)


def problems(entry: OutcomeEntry, today: date) -> list[Problem]:
    """What is missing or wrong, in the order the form shows the fields; empty when complete."""
    needs = NEEDS[entry.outcome]
    found: list[Problem] = []
    if "invoice" in needs and entry.invoice_id is None:
        found.append(problem("invoice", "choose the disputed invoice", code="form_choose_invoice"))
    if "amount" in needs and (entry.amount_cents is None or entry.amount_cents <= 0):
        found.append(problem("amount", "enter an amount above zero", code="form_amount_above_zero"))
    if "count" in needs and (entry.count is None or not 2 <= entry.count <= MAX_INSTALMENTS):
        found.append(
            problem("instalments", "between 2 and {most}", code="form_instalments_range", most=MAX_INSTALMENTS)
        )
    elif "count" in needs and entry.amount_cents and entry.amount_cents > 0 and entry.count:
        try:
            schedule(entry.amount_cents, entry.count, entry.on or today, entry.first_cents)
        except PlanError as exc:
            found.append(Problem("first payment" if exc.code == "plan_first" else "amount", exc))
    if "next" in needs:
        found += _next_step_problems(entry, today)
    if "date" in needs:
        if entry.on is None:
            found.append(problem("date", "enter a date (DD/MM/YYYY, DD/MM or +N days)", code="form_enter_date"))
        elif entry.outcome == Outcome.ALREADY_PAID and entry.on > today:
            found.append(problem("date", "a payment already made cannot be in the future", code="form_paid_in_future"))
        elif entry.outcome != Outcome.ALREADY_PAID and entry.on < today:
            found.append(problem("date", "the date is in the past", code="form_date_past"))
    if "time" in needs and entry.at is None:
        found.append(problem("time", "enter a time (HH:MM)", code="form_enter_time"))
    if "method" in needs and not entry.method:
        found.append(problem("method", "choose a payment method", code="form_choose_method"))
    if "reason" in needs and not entry.reason.strip():
        found.append(problem("reason", "say what is disputed", code="form_say_what_is_disputed"))
    if entry.outcome == Outcome.DISPUTE and entry.rest_cents:
        found += _rest_problems(entry, today)
    if entry.direct_line.strip() and not is_phone_number(entry.direct_line):
        found.append(
            problem("direct line", "not a phone number: {phone!r}", code="phone_unreadable", phone=entry.direct_line)
        )
    if entry.sent_on is not None and entry.sent_on > today:
        found.append(
            problem("cheque sent on", "a cheque already sent cannot be dated in the future", code="form_sent_in_future")
        )
    if entry.consequence:
        if entry.consequence_on is None:
            found.append(problem("announced step", "enter the date it takes effect", code="form_consequence_date"))
        elif entry.consequence_on < today:
            found.append(problem("announced step", "the date is in the past", code="form_date_past"))
    if entry.commitment.strip():
        if entry.commitment_on is None:
            found.append(problem("my commitment", "enter when (date, and time if any)", code="form_commitment_when"))
        elif entry.commitment_on < today:
            found.append(problem("my commitment", "the date is in the past", code="form_date_past"))
    return found


def _rest_problems(entry: OutcomeEntry, today: date) -> list[Problem]:
    """The undisputed rest, promised in the same call, needs its date and how it is paid."""
    if entry.rest_cents is not None and entry.rest_cents < 0:
        return [problem("rest", "enter an amount above zero", code="form_amount_above_zero")]
    if entry.rest_on is None:
        return [problem("rest", "enter the date the rest is paid", code="form_rest_date")]
    if entry.rest_on < today:
        return [problem("rest", "the date is in the past", code="form_date_past")]
    if not entry.method:
        return [problem("method", "choose a payment method", code="form_choose_method")]
    return []


def _next_step_problems(entry: OutcomeEntry, today: date) -> list[Problem]:
    """A step announced in the optional part (with its date) or a dated commitment also closes the call."""
    if not entry.next_step and (
        (entry.consequence and entry.consequence_on) or (entry.commitment.strip() and entry.commitment_on)
    ):
        return []
    if entry.next_step not in set(NextStep):
        return [
            problem(
                "next step", "choose a callback, a written reminder or an announced step", code="form_choose_next_step"
            )
        ]
    if entry.on is None:
        return [problem("next step", "enter its date", code="form_next_step_date")]
    if entry.on < today:
        return [problem("next step", "the date is in the past", code="form_date_past")]
    if entry.next_step == NextStep.CALLBACK and entry.at is None:
        return [problem("next step", "enter the time of the callback (HH:MM)", code="form_callback_time")]
    return []


def announced_step(entry: OutcomeEntry) -> str | None:
    """The consequence announced to the client, from the next step or from the optional field."""
    if entry.outcome in NEEDS_NEXT_STEP and entry.next_step in set(Consequence):
        return entry.next_step
    return entry.consequence


def parse_time(text: str) -> time:
    """``14:00``, ``14h``, ``14h30``, ``9:05``."""
    raw = text.strip().lower().replace("h", ":")
    hours, _, minutes = raw.partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        raise WordedError("not a time: {text!r} (HH:MM)", code="time_unreadable", text=text.strip())
    try:
        return time(int(hours), int(minutes or 0))
    except ValueError:
        raise WordedError("no such time: {text!r}", code="no_such_time", text=text.strip()) from None


def payments_agreed(entry: OutcomeEntry) -> list[Instalment]:
    """What the client agreed to pay and when: one payment for a promise, the schedule for a
    plan (its amount is the total spread). The promise rows, the script and the recap e-mail
    all read this, so they state the same figures."""
    if entry.on is None or not entry.amount_cents or entry.amount_cents <= 0:
        return []
    if entry.outcome == Outcome.PLAN and entry.count:
        try:
            return schedule(entry.amount_cents, entry.count, entry.on, entry.first_cents)
        except PlanError:
            return []
    if entry.outcome == Outcome.PROMISE:
        return [Instalment(1, entry.on, entry.amount_cents)]
    return []


# What each excuse's captured lines fill in the outcome form, by position in its ``capture``
# list (the same in every language's script), and what the excuse itself implies.
EXCUSE_FIELDS: dict[str, tuple[str | None, ...]] = {
    "cheque_in_post": ("cheque_number", "amount", "sent_on"),
    "person_absent": (None, "direct_line", "date", "time"),
    "gatekeeper": ("answered_by", "direct_line", "date", "time"),
    "voicemail": (None, "date", "time"),
    "end_of_week": ("date", "amount"),
    "cash_flow": ("first", None, "count"),
    "amount_disputed": ("amount", "reason", None),
}
EXCUSE_IMPLIES: dict[str, dict[str, str]] = {
    "cheque_in_post": {"method": "cheque"},
    "person_absent": {"outcome": Outcome.CALLBACK},
    # Nobody reached: the outcome is the branch's, and a voicemail closes on calling again.
    "gatekeeper": {"outcome": Outcome.GATEKEEPER},
    "voicemail": {"outcome": Outcome.VOICEMAIL, "next_step": NextStep.CALLBACK},
    "cash_flow": {"outcome": Outcome.PLAN},
    "amount_disputed": {"outcome": Outcome.DISPUTE},  # isolate the disputed part (domain 4.3)
}


def captured_fields(notes: str, excuses: list[tuple[str, list[str]]]) -> dict[str, str]:
    """What the collector typed after the capture labels of the excuses picked during the call
    ("  Amount: 500"), as outcome-form fields; later excuses win. Empty answers are skipped."""
    lines = [line.strip() for line in notes.splitlines()]
    found: dict[str, str] = {}
    for key, labels in excuses:
        found |= EXCUSE_IMPLIES.get(key, {})
        for field_name, label in zip(EXCUSE_FIELDS.get(key, ()), labels, strict=False):
            if field_name is None:
                continue
            values = [line[len(label.strip()) :].strip() for line in lines if line.startswith(label.strip())]
            value = next((v for v in reversed(values) if v and v.strip(". …")), None)
            if value:
                found[field_name] = value
    return _split_slot(found)


# « 03/12 à 10h », « le 03/12 à 10 h », « on 03/12 at 10:00 »: a slot typed on one line.
_SLOT = re.compile(r"^(?:le |on )?(?P<day>.+?)\s+(?:à|a|at|@)\s+(?P<time>\d{1,2}\s*(?:[h:.]\s*\d{0,2})?)\s*h?$", re.I)


def _split_slot(found: dict[str, str]) -> dict[str, str]:
    """A date typed with its time on the date line goes to both fields (the time line wins)."""
    match = _SLOT.match(found.get("date", "").strip())
    if match:
        found["date"] = match["day"].strip()
        found.setdefault("time", match["time"].replace(" ", "").replace(".", ":"))
    return found
