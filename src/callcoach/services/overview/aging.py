"""What is owed, per currency, by how late it is (not yet due, 1-30, 31-60, 61-90, 91+ days).

Credit notes not yet used count against the bucket of their date, as in an aged balance:
the bucket's amount is net, while its invoice and debtor counts are of what is owed. The
disputed part of an invoice is shown apart: it is not asked for until it is settled
(domain 4.3). Two aggregates: open invoices through the open-invoice index, then the
open disputes (a small table) joined to their invoices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, distinct, func, select
from sqlmodel import Session, col

from callcoach.db.tables import Dispute, Invoice
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import DisputeStatus, InvoiceStatus
from callcoach.domain.measures import AGING_BUCKETS, aging_edges, due_window
from callcoach.services.calllist import DueWindow
from callcoach.services.overview.sql import IS_OPEN, currency_order, period_of


@dataclass(frozen=True)
class AgingBucket:
    key: str
    amount_cents: int = 0  # undisputed, credit notes netted
    invoices: int = 0  # invoices with something owed
    debtors: int = 0
    credit_cents: int = 0  # credit notes not yet used, included in the amount (<= 0)


@dataclass(frozen=True)
class CurrencyAging:
    currency: str
    buckets: list[AgingBucket]  # in AGING_BUCKETS order
    disputed_cents: int = 0
    disputed_invoices: int = 0
    disputed_debtors: int = 0

    @property
    def total_cents(self) -> int:
        return sum(b.amount_cents for b in self.buckets)

    @property
    def overdue_cents(self) -> int:
        return sum(b.amount_cents for b in self.buckets if b.key != "not_due")

    def bucket(self, key: str) -> AgingBucket:
        return next(b for b in self.buckets if b.key == key)


@dataclass(frozen=True)
class Aging:
    as_of: date
    currencies: list[CurrencyAging] = field(default_factory=list)


def bucket_filter(bucket: str, currency: str, today: date) -> DueWindow:
    """The call list narrowed to the debtors owing an invoice of this bucket, in this currency."""
    oldest, newest = due_window(bucket, today)
    return DueWindow(currency, oldest, newest, bucket)


def aging(session: Session, *, clock: Clock) -> Aging:
    today = clock.today()
    edges, keys = aging_edges(today)
    remaining = Invoice.amount_cents - Invoice.paid_cents
    disputed_by_invoice = (
        select(Dispute.invoice_id.label("invoice_id"), func.sum(Dispute.amount_cents).label("amount"))
        .where(Dispute.status == DisputeStatus.OPEN, col(Dispute.invoice_id).is_not(None))
        .group_by(Dispute.invoice_id)
        .subquery("disputed")
    )
    disputed = func.coalesce(disputed_by_invoice.c.amount, 0)
    rows = (
        select(
            Invoice.currency.label("currency"),
            Invoice.debtor_id.label("debtor_id"),
            period_of(Invoice.due_date, edges).label("bucket"),
            remaining.label("remaining"),
            # What is asked for: the remaining less its disputed part, never below zero.
            case((remaining <= 0, remaining), (disputed >= remaining, 0), else_=remaining - disputed).label("claim"),
        )
        .outerjoin(disputed_by_invoice, disputed_by_invoice.c.invoice_id == Invoice.id)
        .where(IS_OPEN)
        .subquery("rows")
    )
    owed = rows.c.claim > 0
    totals = session.execute(
        select(
            rows.c.currency,
            rows.c.bucket,
            func.sum(rows.c.claim),
            func.sum(case((rows.c.remaining < 0, rows.c.remaining), else_=0)),
            func.count(case((owed, 1))),
            func.count(distinct(case((owed, rows.c.debtor_id)))),
        ).group_by(rows.c.currency, rows.c.bucket)
    ).all()
    by_currency: dict[str, dict[str, AgingBucket]] = {}
    for currency, index, amount, credit, invoices, debtors in totals:
        by_currency.setdefault(currency, {})[keys[int(index)]] = AgingBucket(
            keys[int(index)], int(amount or 0), int(invoices), int(debtors), int(credit or 0)
        )
    in_dispute = _disputed(session)
    result = []
    for currency in currency_order(set(by_currency) | set(in_dispute)):
        found = by_currency.get(currency, {})
        buckets = [found.get(key, AgingBucket(key)) for key, _low, _high in AGING_BUCKETS]
        result.append(CurrencyAging(currency, buckets, *in_dispute.get(currency, (0, 0, 0))))
    return Aging(today, result)


def _disputed(session: Session) -> dict[str, tuple[int, int, int]]:
    """Per currency: the disputed amount (never more than what remains), invoices, debtors."""
    remaining = Invoice.amount_cents - Invoice.paid_cents
    per_invoice = (
        select(
            Invoice.currency.label("currency"),
            Invoice.debtor_id.label("debtor_id"),
            case((func.sum(Dispute.amount_cents) > remaining, remaining), else_=func.sum(Dispute.amount_cents)).label(
                "amount"
            ),
        )
        .select_from(Dispute)
        .join(Invoice, Invoice.id == Dispute.invoice_id)
        .where(
            Dispute.status == DisputeStatus.OPEN,
            col(Invoice.status).in_([InvoiceStatus.OPEN.value, InvoiceStatus.DISPUTED.value]),
            remaining > 0,
        )
        .group_by(Invoice.id, Invoice.currency, Invoice.debtor_id, Invoice.amount_cents, Invoice.paid_cents)
        .subquery("per_invoice")
    )
    rows = session.execute(
        select(
            per_invoice.c.currency,
            func.sum(per_invoice.c.amount),
            func.count(),
            func.count(distinct(per_invoice.c.debtor_id)),
        ).group_by(per_invoice.c.currency)
    ).all()
    return {c: (int(a or 0), int(n), int(d)) for c, a, n, d in rows}
