"""One debtor's whole file: what the collector must know before dialling (domain 1.2, 2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col, select

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
from callcoach.domain.claims import HOME_CURRENCY, claimable_by_currency, main_currency, whom_to_ask
from callcoach.domain.kinds import InvoiceStatus
from callcoach.domain.text import name_key
from callcoach.services.converters import as_record, as_records, call_record
from callcoach.services.errors import UserError
from callcoach.services.records import (
    CallRecord,
    ContactRecord,
    DebtorRecord,
    DisputeRecord,
    FollowUpRecord,
    InvoiceRecord,
    MailRecord,
    PaymentRecord,
    PromiseRecord,
    ReminderRecord,
)

Row = TypeVar("Row", bound=SQLModel)


@dataclass(frozen=True)
class DebtorFile:
    """The file as read in one transaction, in frozen values: it can be shown, printed or
    passed between threads after the session is gone, and nothing written to it is saved."""

    debtor: DebtorRecord
    contacts: tuple[ContactRecord, ...]
    invoices: tuple[InvoiceRecord, ...]
    payments: tuple[PaymentRecord, ...] = ()
    calls: tuple[CallRecord, ...] = ()
    promises: tuple[PromiseRecord, ...] = ()
    disputes: tuple[DisputeRecord, ...] = ()
    follow_ups: tuple[FollowUpRecord, ...] = ()
    emails: tuple[MailRecord, ...] = ()
    reminders: tuple[ReminderRecord, ...] = ()

    def open_invoices(self) -> list[InvoiceRecord]:
        return [i for i in self.invoices if i.status == InvoiceStatus.OPEN and i.amount_cents > i.paid_cents]

    def overdue_invoices(self, today: date) -> list[InvoiceRecord]:
        return [i for i in self.open_invoices() if i.due_date < today]

    def remaining_by_currency(self, invoices: list[InvoiceRecord]) -> dict[str, int]:
        totals: dict[str, int] = {}
        for invoice in invoices:
            totals[invoice.currency] = totals.get(invoice.currency, 0) + invoice.amount_cents - invoice.paid_cents
        return totals

    def currency_of(self, invoice_id: int | None) -> str:
        """The currency of a payment or dispute: its invoice's (euros when it names none), so
        a sum received on an invoice in dollars is never shown in euros."""
        found = next((i.currency for i in self.invoices if i.id == invoice_id), None) if invoice_id else None
        return found or HOME_CURRENCY

    def claimable_by_currency(self, today: date) -> dict[str, int]:
        """What to ask for, per currency: the rule of ``domain.claims``."""
        return claimable_by_currency(self.invoices, self.disputes, today)

    def main_currency(self, today: date) -> str | None:
        return main_currency(self.claimable_by_currency(today))

    def reminder_reached(self) -> ReminderRecord | None:
        """The highest reminder level sent for an invoice still open, and when: what the client has
        already received in writing, so the call does not pretend otherwise (domain 1.3)."""
        open_ids = {i.id for i in self.open_invoices()}
        reached = [r for r in self.reminders if r.invoice_id in open_ids]
        return max(reached, key=lambda r: (r.level, r.created_at), default=None)

    def decision_maker(self) -> ContactRecord | None:
        return next((c for c in self.contacts if c.can_release_payment == "yes"), None)

    def primary_contact(self) -> ContactRecord | None:
        return next((c for c in self.contacts if c.is_primary), self.contacts[0] if self.contacts else None)

    def whom_to_ask(self) -> ContactRecord | None:
        """The rule of ``domain.claims.whom_to_ask``."""
        return whom_to_ask(self.contacts)


def find_debtor(session: Session, query: str) -> DebtorRecord:
    """By id, exact name, or a unique part of the name; a clear error otherwise."""
    return as_record(DebtorRecord, _find_debtor(session, query))


def _find_debtor(session: Session, query: str) -> Debtor:
    text = query.strip()
    if text.isdigit():
        debtor = session.get(Debtor, int(text))
        if debtor:
            return debtor
    key = name_key(text)
    if not key:
        raise UserError("no debtor matches {query!r}", code="no_debtor_match", query=query)
    exact = session.exec(select(Debtor).where(Debtor.name_key == key)).first()
    if exact:
        return exact
    matches = session.exec(
        select(Debtor)
        .where(col(Debtor.name_key).contains(key, autoescape=True))
        .order_by(col(Debtor.name_key))
        .limit(6)
    ).all()
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
    """Every part of the file, each in its order, as values built before the session ends."""
    debtor = session.get(Debtor, debtor_id)
    if debtor is None:
        raise UserError("no debtor with id {debtor_id}", code="no_debtor_id", debtor_id=debtor_id)

    def rows(model: type[Row], owner: Mapped[int], *order: Any) -> Sequence[Row]:
        return session.exec(select(model).where(owner == debtor_id).order_by(*order)).all()

    invoices = as_records(
        InvoiceRecord, rows(Invoice, col(Invoice.debtor_id), col(Invoice.due_date), col(Invoice.number))
    )
    invoice_ids = [i.id for i in invoices]

    def of_invoices(model: type[Row], invoice: Mapped[int], order: Any) -> Sequence[Row]:
        return session.exec(select(model).where(invoice.in_(invoice_ids)).order_by(order)).all() if invoice_ids else []

    return DebtorFile(
        debtor=as_record(DebtorRecord, debtor),
        contacts=as_records(
            ContactRecord, rows(Contact, col(Contact.debtor_id), col(Contact.is_primary).desc(), col(Contact.id))
        ),
        invoices=invoices,
        payments=as_records(PaymentRecord, of_invoices(Payment, col(Payment.invoice_id), col(Payment.paid_on))),
        calls=tuple(call_record(c) for c in rows(Call, col(Call.debtor_id), col(Call.started_at).desc())),
        promises=as_records(PromiseRecord, rows(Promise, col(Promise.debtor_id), col(Promise.due_date))),
        disputes=as_records(DisputeRecord, rows(Dispute, col(Dispute.debtor_id), col(Dispute.opened_on))),
        follow_ups=as_records(FollowUpRecord, rows(FollowUp, col(FollowUp.debtor_id), col(FollowUp.due_at))),
        emails=as_records(MailRecord, rows(EmailRecord, col(EmailRecord.debtor_id), col(EmailRecord.saved_at))),
        reminders=as_records(ReminderRecord, of_invoices(Reminder, col(Reminder.invoice_id), col(Reminder.created_at))),
    )


def debtor_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Debtor)).one()
