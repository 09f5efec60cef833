"""The ledger's tables. Money is integer cents; datetimes are aware UTC."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Collector(SQLModel, table=True):
    """A person of the team chasing the ledger (0016); a ledger kept by one has none."""

    __table_args__ = (UniqueConstraint("name", name="uq_collector_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    initials: str = Field(default="", sa_column_kwargs={"server_default": ""})
    language: str = Field(default="", sa_column_kwargs={"server_default": ""})


class Debtor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    collector_id: int | None = Field(
        default=None, foreign_key="collector.id", ondelete="SET NULL"
    )  # assigned; None: the shared pool
    name: str
    name_key: str = Field(index=True, unique=True)
    kind: str = Field(default="small_company")
    identifier: str | None = None
    address: str | None = None
    email: str | None = None
    language: str | None = None
    in_difficulty: bool = False
    notes: str = ""
    legal_hold: str | None = None  # why this file must not be erased (an open claim, a lawsuit)
    contract_rate: str | None = None  # a late-payment rate agreed with this debtor, yearly percent


class Contact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True, ondelete="CASCADE")
    name: str
    role: str | None = None
    phone: str | None = None
    phone_alt: str | None = None
    email: str | None = None
    can_release_payment: str = Field(default="unknown")
    is_primary: bool = False
    civility: str = Field(default="", sa_column_kwargs={"server_default": ""})  # mr, mrs or none
    # The call in which the collector learned this contact (domain 7.7); None when imported.
    found_in_call_id: int | None = Field(default=None, foreign_key="call.id", ondelete="SET NULL")


class Invoice(SQLModel, table=True):
    __table_args__ = (
        # Covers the call-list aggregate, open invoices only: most of a ledger is paid, so
        # the index stays small and an import of paid history does not pay for it.
        Index(
            "ix_invoice_open",
            "debtor_id",
            "currency",
            "due_date",
            "amount_cents",
            "paid_cents",
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        # The overview's DSO: what was invoiced by day, what was settled by due date (0013).
        Index("ix_invoice_issued", "issue_date", "currency", "status", "amount_cents"),
        Index("ix_invoice_due", "due_date", "currency", "status", "amount_cents", "paid_cents"),
        Index(
            "ix_invoice_disputed",
            "debtor_id",
            "currency",
            "due_date",
            "amount_cents",
            "paid_cents",
            sqlite_where=text("status = 'disputed'"),
            postgresql_where=text("status = 'disputed'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True, ondelete="CASCADE")
    number: str = Field(unique=True)
    issue_date: date
    due_date: date
    payment_term_days: int | None = None
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = Field(default="EUR")
    paid_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    po_number: str | None = None
    product: str | None = None
    copy_path: str | None = None
    status: str = Field(default="open")
    doc_type: str = Field(default="invoice", sa_column_kwargs={"server_default": "invoice"})
    due_basis: str = Field(default="stated", sa_column_kwargs={"server_default": "stated"})  # stated/terms/estimated
    buyer_reference: str | None = None
    payment_reference: str | None = None
    source: str | None = None
    # A fingerprint of the export line this invoice last came from (with the header and
    # import options): an unchanged line in the next export is recognised without reading it.
    import_digest: str | None = None


class Payment(SQLModel, table=True):
    # The overview places each payment on its day (DSO, money collected after a call): 0015.
    __table_args__ = (Index("ix_payment_paid_on", "paid_on", "invoice_id", "amount_cents"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True, ondelete="CASCADE")
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    paid_on: date
    method: str | None = None
    source: str = Field(default="manual")
    recorded_at: datetime


class Call(SQLModel, table=True):
    __table_args__ = (
        Index("ix_call_debtor_started", "debtor_id", "started_at"),
        Index("ix_call_started", "started_at", "outcome", "debtor_id"),  # the overview's weeks (0015)
        # One open call per debtor across the team: the claim is the database's to refuse (0016).
        Index(
            "uq_call_open_per_debtor",
            "debtor_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", ondelete="CASCADE")
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    started_at: datetime
    ended_at: datetime | None = None
    stage_reached: str | None = None
    excuses: str = ""
    notes: str = ""
    outcome: str | None = None
    faults: str = Field(default="", sa_column_kwargs={"server_default": ""})
    outcome_draft: str = Field(default="", sa_column_kwargs={"server_default": ""})  # the form, while the call is open
    # One window owns an open call (issue 16): its token, process, host, since when, last sign of life.
    lease_token: str | None = None
    lease_pid: int | None = None
    lease_host: str | None = None
    lease_since: datetime | None = None
    lease_heartbeat: datetime | None = None
    draft_saved_at: datetime | None = None  # when the notes last reached the ledger
    why: str = Field(default="", sa_column_kwargs={"server_default": ""})  # reason for non-payment (domain 7.2)
    collector_id: int | None = Field(
        default=None, foreign_key="collector.id", ondelete="SET NULL"
    )  # who made it (0016)


class Promise(SQLModel, table=True):
    __table_args__ = (
        Index("ix_promise_debtor_status", "debtor_id", "status"),
        Index("ix_promise_status", "status", "debtor_id"),  # the debtors with a promise to follow (0017)
    )

    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", ondelete="CASCADE")
    call_id: int | None = Field(default=None, foreign_key="call.id", ondelete="SET NULL")
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = Field(default="EUR")
    due_date: date
    method: str | None = None
    instalment_no: int | None = None
    instalment_count: int | None = None
    status: str = Field(default="pending")
    made_on: date | None = None
    received_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default=text("0")))
    collector_id: int | None = Field(
        default=None, foreign_key="collector.id", ondelete="SET NULL"
    )  # who obtained it (0016)
    cheque_number: str | None = None  # a cheque said to be in the post: its number and sending day (0019)
    sent_on: date | None = None


class Dispute(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True, ondelete="CASCADE")
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id", ondelete="CASCADE")
    call_id: int | None = Field(default=None, foreign_key="call.id", ondelete="SET NULL")
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    reason: str
    opened_on: date
    status: str = Field(default="open")
    resolved_on: date | None = None


class FollowUp(SQLModel, table=True):
    __table_args__ = (
        Index("ix_followup_debtor_done", "debtor_id", "done_at"),
        # The debtors with something still to do (0017): the call list ranks them apart.
        Index(
            "ix_followup_open",
            "debtor_id",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", ondelete="CASCADE")
    call_id: int | None = Field(default=None, foreign_key="call.id", ondelete="SET NULL")
    kind: str
    what: str = ""
    due_at: datetime
    done_at: datetime | None = None
    resolution: str | None = None  # done / withdrawn
    reason: str = Field(default="", sa_column_kwargs={"server_default": ""})


class CollectorSettings(SQLModel, table=True):
    """The collector's own details and rules; one row (id 1)."""

    id: int | None = Field(default=None, primary_key=True)
    collector_name: str = ""
    company: str = ""
    phone: str = ""
    email: str = ""
    iban: str = ""
    bic: str = ""
    language: str = ""  # empty: follow --lang, CALLCOACH_LANG, then the system locale
    default_payment_term_days: int = 30
    first_reminder_days: int = 3
    second_reminder_days: int = 15
    formal_notice_days: int = 30
    small_debt_cents: int = Field(
        default=50_000, sa_column=Column(BigInteger, nullable=False, server_default=text("50000"))
    )
    promise_grace_days: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    plan_max_months: int = Field(default=12, sa_column_kwargs={"server_default": "12"})
    double_call_hours: int = Field(default=4, sa_column_kwargs={"server_default": "4"})
    retention_years: int = Field(default=5, sa_column_kwargs={"server_default": "5"})
    late_rule: str = Field(default="fr", sa_column_kwargs={"server_default": "fr"})  # fr, be, none
    contract_rate: str = Field(default="", sa_column_kwargs={"server_default": ""})  # the ledger's own rate, if any


class EmailRecord(SQLModel, table=True):
    """Every e-mail prepared or sent, in the debtor's history (domain 5.3)."""

    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True, ondelete="CASCADE")
    call_id: int | None = Field(default=None, foreign_key="call.id", ondelete="SET NULL")
    subject: str
    path: str
    saved_at: datetime
    sent_at: datetime | None = None
    collector_id: int | None = Field(
        default=None, foreign_key="collector.id", ondelete="SET NULL"
    )  # who wrote it (0016)


class Reminder(SQLModel, table=True):
    """A reminder level reached by an invoice; unique, so no reminder is ever sent twice."""

    __table_args__ = (UniqueConstraint("invoice_id", "level", name="uq_reminder_invoice_level"),)

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True, ondelete="CASCADE")
    level: int  # 1 first reminder, 2 second reminder, 3 formal notice
    email_id: int | None = Field(default=None, foreign_key="emailrecord.id", ondelete="SET NULL")
    created_at: datetime


class Balance(SQLModel, table=True):
    """What a debtor owes in one currency, kept up to date by every write (0017), so the call
    list ranks debtors from an index instead of adding up the ledger's invoices at each read.

    Figures count the open invoices due before ``horizon`` (the day of the last refresh), as
    the call list counts those due before its ``today``. A row answers for a day ``T`` only
    while no open invoice falls due between the two: ``counted_to < T <= next_due``. Derived
    data: ``callcoach check`` recomputes it from the invoices, and a rebuild loses nothing."""

    __table_args__ = (
        # The list's order among debtors with nothing else to do: euros first, largest, oldest.
        Index(
            "ix_balance_rank",
            "home_rank",
            "currency",
            text("claim_cents DESC"),
            "oldest_due",
            "name_key",
            "debtor_id",  # covering: a filter keystroke reads names and ids from the index alone
            sqlite_where=text("claim_cents > 0"),
            postgresql_where=text("claim_cents > 0"),
            # On a server the whole row the list shows (0021): a page is read from the index alone.
            # SQLite has no payload: 0022 appends the same columns to its keys (not declared here).
            postgresql_include=[
                "name",
                "overdue_count",
                "in_difficulty",
                "last_call",
                "open_disputes",
                "disputed_cents",
                "collector_id",
            ],
        ),
        Index("ix_balance_next_due", "next_due"),
        Index("ix_balance_counted_to", "counted_to"),
    )

    debtor_id: int = Field(foreign_key="debtor.id", primary_key=True, ondelete="CASCADE")
    currency: str = Field(primary_key=True)
    name_key: str  # the debtor's, for the order's last tie-break from the same index
    home_rank: int  # 0 for the home currency (listed first), 1 for the others
    claim_cents: int = Field(sa_column=Column(BigInteger, nullable=False))  # the amount to ask for
    oldest_due: date | None = None
    overdue_count: int = 0  # overdue invoices with something left to pay
    disputed_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    # What is overdue, disputes included, for the day bar's total (0018).
    owed_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default=text("0")))
    counted_to: date | None = None  # the latest due date counted
    next_due: date | None = None  # the earliest due date of an open invoice not counted yet
    horizon: date
    # What the list shows of the debtor beside the amounts, kept by the same refresh (0020), so
    # a page of the list is one range of this table's index and nothing read per row.
    name: str = Field(default="", sa_column_kwargs={"server_default": ""})
    in_difficulty: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    collector_id: int | None = None  # the debtor's collector (None: the shared pool)
    last_call: datetime | None = None  # when the debtor's latest call started
    open_disputes: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})  # all currencies


class BalanceTotal(SQLModel, table=True):
    """The balances' ``owed_cents`` added up per currency (0018), kept by triggers on ``balance``
    itself whatever changes it, so the day bar's overdue total reads a row per currency."""

    __tablename__ = "balance_total"
    currency: str = Field(primary_key=True)
    owed_cents: int = Field(sa_column=Column(BigInteger, nullable=False))


class BalanceChange(SQLModel, table=True):
    """A debtor whose balance a write made stale (0017): filled by the database's own triggers
    on invoices, disputes and debtors' names, whatever wrote, emptied when the balances are
    refreshed. Until then the call list recomputes that debtor from the invoices."""

    __tablename__ = "balance_change"
    id: int | None = Field(default=None, primary_key=True)
    debtor_id: int  # no key, no constraint: two writers noting one debtor never wait for each other
