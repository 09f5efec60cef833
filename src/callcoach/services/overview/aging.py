"""What is owed, per currency, by how late it is (not yet due, 1-30, 31-60, 61-90, 91+ days).

Credit notes not yet used count against the bucket of their date, as in an aged balance:
the bucket's amount is net, while its invoice and debtor counts are of what is owed. The
disputed part of an invoice is shown apart: it is not asked for until it is settled
(domain 4.3). Two aggregates: open invoices through the open-invoice index, then the
open disputes (a small table) joined to their invoices.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, distinct, func, select
from sqlmodel import Session, col

from callcoach.db.tables import Dispute, Invoice
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import DisputeStatus, InvoiceStatus
from callcoach.domain.measures import AGING_BUCKETS, aging_edges, due_window
from callcoach.services.calllist import DueWindow
from callcoach.services.overview.sql import IS_DISPUTED, IS_OPEN, as_date, currency_order, period_of


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
    sums = _open_sums(session, edges, keys)
    disputed = _disputed_invoices(session)
    _take_out_disputes(session, sums, disputed, edges, keys)
    apart: dict[str, list[int]] = {}
    debtors_apart: dict[str, set[int]] = {}
    for item in disputed:
        totals = apart.setdefault(item.currency, [0, 0])
        totals[0] += item.disputed
        totals[1] += 1
        debtors_apart.setdefault(item.currency, set()).add(item.debtor_id)
    result = []
    for currency in currency_order(set(sums) | set(apart)):
        found = sums.get(currency, {})
        buckets = [AgingBucket(key, *found.get(key, (0, 0, 0, 0))) for key, _low, _high in AGING_BUCKETS]
        amount, invoices = apart.get(currency, (0, 0))
        result.append(CurrencyAging(currency, buckets, amount, invoices, len(debtors_apart.get(currency, ()))))
    return Aging(today, result)


def _open_sums(session: Session, edges: list[date], keys: list[str]) -> dict[str, dict[str, list[int]]]:
    """Per currency and bucket: [net amount, invoices owed, debtors owing, credit notes], all
    of the open invoices read from the open-invoice index."""
    remaining = col(Invoice.amount_cents) - col(Invoice.paid_cents)
    rows = (
        select(
            col(Invoice.currency).label("currency"),
            col(Invoice.debtor_id).label("debtor_id"),
            period_of(col(Invoice.due_date), edges).label("bucket"),
            remaining.label("remaining"),
        )
        .where(IS_OPEN)
        .subquery("rows")
    )
    owed = rows.c.remaining > 0
    sums: dict[str, dict[str, list[int]]] = {}
    for currency, index, amount, invoices, debtors, credit in session.execute(
        select(
            rows.c.currency,
            rows.c.bucket,
            func.sum(rows.c.remaining),
            func.count(case((owed, 1))),
            func.count(distinct(case((owed, rows.c.debtor_id)))),
            func.sum(case((rows.c.remaining < 0, rows.c.remaining), else_=0)),
        ).group_by(rows.c.currency, rows.c.bucket)
    ).all():
        sums.setdefault(currency, {})[keys[int(index)]] = [
            int(amount or 0),
            int(invoices),
            int(debtors),
            int(credit or 0),
        ]
    return sums


@dataclass(frozen=True)
class _Disputed:
    invoice_id: int
    debtor_id: int
    currency: str
    due_date: date
    open: bool  # still open (partly disputed), not wholly in dispute
    remaining: int
    disputed: int  # never more than what remains

    @property
    def whole(self) -> bool:
        return self.disputed >= self.remaining


def _disputed_invoices(session: Session) -> list[_Disputed]:
    """Invoices with open disputes, and invoices marked disputed as a whole: a few rows, from
    the dispute table and the disputed-invoice index."""
    remaining = col(Invoice.amount_cents) - col(Invoice.paid_cents)
    found: dict[int, _Disputed] = {}
    for invoice_id, debtor_id, currency, due, status, left, amount in session.execute(
        select(
            col(Invoice.id),
            col(Invoice.debtor_id),
            col(Invoice.currency),
            col(Invoice.due_date),
            col(Invoice.status),
            remaining,
            func.sum(col(Dispute.amount_cents)),
        )
        .select_from(Dispute)
        .join(Invoice, col(Invoice.id) == col(Dispute.invoice_id))
        .where(
            col(Dispute.status) == DisputeStatus.OPEN,
            col(Invoice.status).in_([InvoiceStatus.OPEN.value, InvoiceStatus.DISPUTED.value]),
            remaining > 0,
        )
        .group_by(
            col(Invoice.id),
            col(Invoice.debtor_id),
            col(Invoice.currency),
            col(Invoice.due_date),
            col(Invoice.status),
            remaining,
        )
    ).all():
        is_open = status == InvoiceStatus.OPEN
        part = min(int(amount or 0), int(left)) if is_open else int(left)
        found[invoice_id] = _Disputed(invoice_id, debtor_id, currency, as_date(due), is_open, int(left), part)
    for invoice_id, debtor_id, currency, due, left in session.execute(
        select(col(Invoice.id), col(Invoice.debtor_id), col(Invoice.currency), col(Invoice.due_date), remaining).where(
            IS_DISPUTED, remaining > 0
        )
    ).all():
        if invoice_id not in found:  # marked disputed as a whole (an import's status), no dispute row
            found[invoice_id] = _Disputed(invoice_id, debtor_id, currency, as_date(due), False, int(left), int(left))
    return list(found.values())


def _take_out_disputes(
    session: Session,
    sums: dict[str, dict[str, list[int]]],
    disputed: list[_Disputed],
    edges: list[date],
    keys: list[str],
) -> None:
    """The disputed part of an open invoice leaves its bucket; an invoice wholly disputed no
    longer counts as owed there, nor its debtor unless they owe another invoice in it."""
    wholly = [d for d in disputed if d.open and d.whole]
    others = _owing_besides(session, wholly, edges, keys)
    for item in disputed:
        if not item.open:
            continue
        key = keys[bisect_right(edges, item.due_date)]
        bucket = sums.setdefault(item.currency, {}).setdefault(key, [0, 0, 0, 0])
        bucket[0] -= item.disputed
        if item.whole:
            bucket[1] -= 1
            if (item.debtor_id, item.currency, key) not in others:
                bucket[2] -= 1
                others.add((item.debtor_id, item.currency, key))  # counted off once


def _owing_besides(
    session: Session, wholly: list[_Disputed], edges: list[date], keys: list[str]
) -> set[tuple[int, str, str]]:
    """(debtor, currency, bucket) where the debtor owes an open invoice not wholly disputed."""
    if not wholly:
        return set()
    skip = {d.invoice_id for d in wholly}
    owing = set()
    for invoice_id, debtor_id, currency, due in session.execute(
        select(col(Invoice.id), col(Invoice.debtor_id), col(Invoice.currency), col(Invoice.due_date)).where(
            IS_OPEN,
            col(Invoice.debtor_id).in_({d.debtor_id for d in wholly}),
            col(Invoice.amount_cents) > col(Invoice.paid_cents),
        )
    ).all():
        if invoice_id not in skip:
            owing.add((debtor_id, currency, keys[bisect_right(edges, as_date(due))]))
    return owing
