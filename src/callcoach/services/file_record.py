"""A debtor's whole file as plain, frozen data: the one serialiser behind ``show --json`` and
``export`` (the right of access), so both always carry the same parts, e-mails and
reminders included, and a field added to the ledger is added in one place.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, field_validator

from callcoach.services.debtors import DebtorFile


class _Row(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


class DebtorPart(_Row):
    id: int | None
    name: str
    kind: str
    identifier: str | None
    address: str | None
    email: str | None
    language: str | None
    in_difficulty: bool
    notes: str
    legal_hold: str | None
    contract_rate: str | None


class ContactPart(_Row):
    id: int | None
    civility: str
    name: str
    role: str | None
    phone: str | None
    phone_alt: str | None
    email: str | None
    can_release_payment: str
    is_primary: bool


class InvoicePart(_Row):
    id: int | None
    number: str
    issue_date: date
    due_date: date
    payment_term_days: int | None
    amount_cents: int
    paid_cents: int
    currency: str
    status: str
    po_number: str | None
    product: str | None
    doc_type: str
    due_basis: str
    buyer_reference: str | None
    payment_reference: str | None
    copy_path: str | None


class PaymentPart(_Row):
    invoice_id: int
    amount_cents: int
    paid_on: date
    method: str | None
    source: str


class CallPart(_Row):
    id: int | None
    started_at: datetime
    ended_at: datetime | None
    outcome: str | None
    why: str
    stage_reached: str | None
    excuses: str
    faults: str
    notes: str

    @field_validator("excuses", mode="before")
    @classmethod
    def _as_stored(cls, value: object) -> object:
        """The file's calls carry their excuses as a tuple; the export keeps the stored text."""
        return ",".join(value) if isinstance(value, tuple) else value


class PromisePart(_Row):
    amount_cents: int
    currency: str
    due_date: date
    method: str | None
    status: str
    received_cents: int
    instalment_no: int | None
    instalment_count: int | None


class DisputePart(_Row):
    id: int | None
    invoice_id: int | None
    amount_cents: int
    reason: str
    opened_on: date
    status: str
    resolved_on: date | None


class FollowUpPart(_Row):
    id: int | None
    kind: str
    what: str
    due_at: datetime
    done_at: datetime | None
    resolution: str | None
    reason: str


class EmailPart(_Row):
    subject: str
    path: str
    saved_at: datetime
    sent_at: datetime | None


class ReminderPart(_Row):
    invoice: str | None  # the invoice's number
    level: int
    sent_on: date


class FileRecord(_Row):
    debtor: DebtorPart
    contacts: list[ContactPart]
    invoices: list[InvoicePart]
    payments: list[PaymentPart]
    calls: list[CallPart]
    promises: list[PromisePart]
    disputes: list[DisputePart]
    follow_ups: list[FollowUpPart]
    emails: list[EmailPart]
    reminders: list[ReminderPart]


def file_record(file: DebtorFile) -> FileRecord:
    """The file read in a transaction, as values that outlive it."""
    numbers = {i.id: i.number for i in file.invoices}
    return FileRecord(
        debtor=DebtorPart.model_validate(file.debtor),
        contacts=[ContactPart.model_validate(c) for c in file.contacts],
        invoices=[InvoicePart.model_validate(i) for i in file.invoices],
        payments=[PaymentPart.model_validate(p) for p in file.payments],
        calls=[CallPart.model_validate(c) for c in file.calls],
        promises=[PromisePart.model_validate(p) for p in file.promises],
        disputes=[DisputePart.model_validate(d) for d in file.disputes],
        follow_ups=[FollowUpPart.model_validate(f) for f in file.follow_ups],
        emails=[EmailPart.model_validate(e) for e in file.emails],
        reminders=[
            ReminderPart(invoice=numbers.get(r.invoice_id), level=r.level, sent_on=r.created_at.date())
            for r in file.reminders
        ],
    )
