"""One debtor's whole file: what the collector must know before dialling (domain 1.2, 2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session, col

from callcoach.db.tables import (
    Call,
    Contact,
    Debtor,
    Dispute,
    EmailRecord,
    FollowUp,
    Invoice,
    Payment,
    Promise,
    Reminder,
)
from callcoach.domain.claims import claimable_by_currency, main_currency, whom_to_ask
from callcoach.domain.kinds import InvoiceStatus
from callcoach.domain.text import name_key
from callcoach.services.errors import UserError


@dataclass
class DebtorFile:
    debtor: Debtor
    contacts: list[Contact]
    invoices: list[Invoice]
    payments: list[Payment] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    emails: list[EmailRecord] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)

    def open_invoices(self) -> list[Invoice]:
        return [i for i in self.invoices if i.status == InvoiceStatus.OPEN and i.amount_cents > i.paid_cents]

    def overdue_invoices(self, today: date) -> list[Invoice]:
        return [i for i in self.open_invoices() if i.due_date < today]

    def remaining_by_currency(self, invoices: list[Invoice]) -> dict[str, int]:
        totals: dict[str, int] = {}
        for invoice in invoices:
            totals[invoice.currency] = totals.get(invoice.currency, 0) + invoice.amount_cents - invoice.paid_cents
        return totals

    def claimable_by_currency(self, today: date) -> dict[str, int]:
        """What to ask for, per currency: the rule of ``domain.claims``."""
        return claimable_by_currency(self.invoices, self.disputes, today)

    def main_currency(self, today: date) -> str | None:
        return main_currency(self.claimable_by_currency(today))

    def reminder_reached(self) -> Reminder | None:
        """The highest reminder level sent for an invoice still open, and when: what the client has
        already received in writing, so the call does not pretend otherwise (domain 1.3)."""
        open_ids = {i.id for i in self.open_invoices()}
        reached = [r for r in self.reminders if r.invoice_id in open_ids]
        return max(reached, key=lambda r: (r.level, r.created_at), default=None)

    def decision_maker(self) -> Contact | None:
        return next((c for c in self.contacts if c.can_release_payment == "yes"), None)

    def primary_contact(self) -> Contact | None:
        return next((c for c in self.contacts if c.is_primary), self.contacts[0] if self.contacts else None)

    def whom_to_ask(self) -> Contact | None:
        """The rule of ``domain.claims.whom_to_ask``."""
        return whom_to_ask(self.contacts)


def find_debtor(session: Session, query: str) -> Debtor:
    """By id, exact name, or a unique part of the name; a clear error otherwise."""
    text = query.strip()
    if text.isdigit():
        debtor = session.get(Debtor, int(text))
        if debtor:
            return debtor
    key = name_key(text)
    if not key:
        raise UserError("no debtor matches {query!r}", code="no_debtor_match", query=query)
    exact = session.exec(select(Debtor).where(Debtor.name_key == key)).scalars().first()
    if exact:
        return exact
    matches = (
        session.exec(
            select(Debtor).where(col(Debtor.name_key).contains(key, autoescape=True)).order_by(Debtor.name_key).limit(6)
        )
        .scalars()
        .all()
    )
    if not matches:
        raise UserError("no debtor matches {query!r}", code="no_debtor_match", query=query)
    if len(matches) > 1:
        names = ", ".join(m.name for m in matches[:5])
        raise UserError(
            "{query!r} matches several debtors: {names}; be more precise",
            code="debtor_ambiguous",
            query=query,
            names=names,
        )
    return matches[0]


def debtor_file(session: Session, debtor_id: int) -> DebtorFile:
    debtor = session.get(Debtor, debtor_id)
    if debtor is None:
        raise UserError("no debtor with id {debtor_id}", code="no_debtor_id", debtor_id=debtor_id)

    def rows(model, *order):
        return list(session.exec(select(model).where(model.debtor_id == debtor_id).order_by(*order)).scalars())

    invoices = rows(Invoice, Invoice.due_date, Invoice.number)
    invoice_ids = [i.id for i in invoices]

    def of_invoices(model, order):
        if not invoice_ids:
            return []
        query = select(model).where(col(model.invoice_id).in_(invoice_ids)).order_by(order)
        return list(session.exec(query).scalars())

    payments = of_invoices(Payment, Payment.paid_on)
    reminders = of_invoices(Reminder, Reminder.created_at)
    return DebtorFile(
        debtor=debtor,
        contacts=rows(Contact, col(Contact.is_primary).desc(), Contact.id),
        invoices=invoices,
        payments=payments,
        calls=rows(Call, col(Call.started_at).desc()),
        promises=rows(Promise, Promise.due_date),
        disputes=rows(Dispute, Dispute.opened_on),
        follow_ups=rows(FollowUp, FollowUp.due_at),
        emails=rows(EmailRecord, EmailRecord.saved_at),
        reminders=reminders,
    )


def debtor_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Debtor)).one()[0])
