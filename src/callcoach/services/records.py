"""What the services hand to the interfaces: plain values, never database rows.

A row read in one transaction and used after it can fail, or change, when touched; a frozen
value cannot. The CLI and the TUI see only these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class CallRecord:
    """A call as the interfaces see it: plain values, never a database row."""

    id: int
    debtor_id: int
    contact_id: int | None
    started_at: datetime
    ended_at: datetime | None = None
    stage_reached: str | None = None
    excuses: tuple[str, ...] = ()
    notes: str = ""
    outcome: str | None = None
    outcome_draft: str = ""
    faults: str = ""
    why: str = ""
    collector_id: int | None = None


@dataclass(frozen=True)
class SettingsRecord:
    """The collector's own details and rules (the settings row, every column but its id)."""

    collector_name: str = ""
    company: str = ""
    phone: str = ""
    email: str = ""
    iban: str = ""
    bic: str = ""
    language: str = ""
    default_payment_term_days: int = 30
    first_reminder_days: int = 3
    second_reminder_days: int = 15
    formal_notice_days: int = 30
    small_debt_cents: int = 50_000
    promise_grace_days: int = 3
    plan_max_months: int = 12
    double_call_hours: int = 4
    retention_years: int = 5
    late_rule: str = "fr"
    contract_rate: str = ""


# A debtor's file, part by part: the columns the interfaces and the rules read, by the
# tables' own names (``services.converters`` builds them inside the transaction).


@dataclass(frozen=True)
class DebtorRecord:
    id: int
    name: str
    name_key: str
    kind: str = "small_company"
    identifier: str | None = None
    address: str | None = None
    email: str | None = None
    language: str | None = None
    in_difficulty: bool = False
    notes: str = ""
    legal_hold: str | None = None
    contract_rate: str | None = None
    collector_id: int | None = None


@dataclass(frozen=True)
class ContactRecord:
    id: int
    debtor_id: int
    name: str
    role: str | None = None
    phone: str | None = None
    phone_alt: str | None = None
    email: str | None = None
    can_release_payment: str = "unknown"
    is_primary: bool = False
    civility: str = ""
    found_in_call_id: int | None = None


@dataclass(frozen=True)
class InvoiceRecord:
    id: int
    debtor_id: int
    number: str
    issue_date: date
    due_date: date
    amount_cents: int
    paid_cents: int = 0
    currency: str = "EUR"
    status: str = "open"
    payment_term_days: int | None = None
    po_number: str | None = None
    product: str | None = None
    copy_path: str | None = None
    doc_type: str = "invoice"
    due_basis: str = "stated"
    buyer_reference: str | None = None
    payment_reference: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class PaymentRecord:
    id: int
    invoice_id: int
    amount_cents: int
    paid_on: date
    method: str | None = None
    source: str = "manual"


@dataclass(frozen=True)
class PromiseRecord:
    id: int
    debtor_id: int
    amount_cents: int
    due_date: date
    currency: str = "EUR"
    call_id: int | None = None
    method: str | None = None
    instalment_no: int | None = None
    instalment_count: int | None = None
    status: str = "pending"
    made_on: date | None = None
    received_cents: int = 0
    collector_id: int | None = None
    cheque_number: str | None = None
    sent_on: date | None = None


@dataclass(frozen=True)
class DisputeRecord:
    id: int
    debtor_id: int
    amount_cents: int
    reason: str
    opened_on: date
    invoice_id: int | None = None
    call_id: int | None = None
    status: str = "open"
    resolved_on: date | None = None


@dataclass(frozen=True)
class FollowUpRecord:
    id: int
    debtor_id: int
    kind: str
    due_at: datetime
    what: str = ""
    call_id: int | None = None
    done_at: datetime | None = None
    resolution: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class MailRecord:
    """An e-mail prepared or sent (the ledger's ``EmailRecord`` row, as a value)."""

    id: int
    debtor_id: int
    subject: str
    path: str
    saved_at: datetime
    call_id: int | None = None
    sent_at: datetime | None = None
    collector_id: int | None = None


@dataclass(frozen=True)
class ReminderRecord:
    id: int
    invoice_id: int
    level: int
    created_at: datetime
    email_id: int | None = None
