"""Days sales outstanding over the last twelve months, by the countback method, and the
average days late of what was paid.

The receivables at each month's end are rebuilt backwards from today's, which the ledger
knows exactly: what was invoiced since is taken off, what was settled since is added back.
A settlement recorded with its date (a payment, a credit note, a re-import that found an
invoice paid) counts on that date; an amount an import brought in already paid, whose
date callcoach never learnt, counts as settled on its due date (today, if that is later).
Every figure is a sum grouped by day in SQL, read in the order of a date index (0013), and
gathered into months here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from callcoach.db.tables import Invoice, Payment
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import InvoiceStatus
from callcoach.domain.measures import (
    MonthSales,
    add_months,
    average_days_late,
    countback_dso,
    month_end,
)
from callcoach.services.overview.sql import IS_DISPUTED, IS_OPEN, NOT_CANCELLED, as_date, currency_order

MONTHS = 12
SALES_MONTHS = 36  # how far back the countback may walk from the oldest point
CREDIT_NOTE = "credit_note"  # a settlement that brings no money: not "paid"


@dataclass(frozen=True)
class DsoPoint:
    month: date  # the first of the month
    as_of: date  # its last day, or today for this month
    receivables_cents: int
    dso: Decimal
    complete: bool  # False: the receivables outran three years of sales; dso is a floor
    days_late: Decimal | None  # average days late of what was paid in the month


@dataclass(frozen=True)
class CurrencyDso:
    currency: str
    points: list[DsoPoint]
    days_late: Decimal | None  # over the twelve months

    @property
    def latest(self) -> DsoPoint:
        return self.points[-1]


@dataclass(frozen=True)
class Dso:
    as_of: date
    currencies: list[CurrencyDso] = field(default_factory=list)


def dso(session: Session, *, clock: Clock) -> Dso:
    today = clock.today()
    first_month = add_months(today, -(MONTHS - 1))
    points = [month_end(add_months(first_month, n)) for n in range(MONTHS - 1)] + [today]
    # Point k closes at points[k]; settlements after it fall in the periods after it.
    point_edges = [p + timedelta(days=1) for p in points[:-1]]
    sales_start = add_months(first_month, -SALES_MONTHS)
    month_edges = [add_months(sales_start, n) for n in range(1, SALES_MONTHS + MONTHS)]

    open_now = _open_now(session)
    invoiced = _invoiced_by_month(session, sales_start, today, month_edges)
    settled = _settled_after(session, points, point_edges)
    late = _days_late(session, first_month, today)
    result = []
    for currency in currency_order(set(open_now) | set(invoiced) | set(settled)):
        months = invoiced.get(currency, {})
        later = settled.get(currency, {})
        balance = open_now.get(currency, 0)
        series: list[DsoPoint] = []
        for k in range(MONTHS - 1, -1, -1):
            if k < MONTHS - 1:
                # Going back past point k+1: what was invoiced after point k was not yet owed,
                # and what was settled after it was still owed.
                # Points are month ends: what came after point k is point k+1's month.
                balance += later.get(k + 1, 0) - months.get(_month_index(sales_start, points[k + 1]), 0)
            series.append(_point(points[k], balance, months, sales_start, late.get(currency, {})))
        series.reverse()
        everything = [item for month in late.get(currency, {}).values() for item in month]
        result.append(CurrencyDso(currency, series, average_days_late(everything)))
    return Dso(today, result)


def _month_index(sales_start: date, day: date) -> int:
    """How many months ``day``'s month comes after the first month of sales read (0: that one)."""
    return (day.year * 12 + day.month) - (sales_start.year * 12 + sales_start.month)


def _point(
    as_of: date, balance: int, months: dict[int, int], sales_start: date, late: dict[int, list[tuple[int, int]]]
) -> DsoPoint:
    index = _month_index(sales_start, as_of)
    walk = []
    for n in range(index, -1, -1):
        start = add_months(sales_start, n)
        days = as_of.day if n == index else (month_end(start) - start).days + 1
        walk.append(MonthSales(days, months.get(n, 0)))
    back = countback_dso(balance, walk)
    return DsoPoint(
        as_of.replace(day=1), as_of, balance, back.days, back.complete, average_days_late(late.get(index, []))
    )


def _open_now(session: Session) -> dict[str, int]:
    remaining = col(Invoice.amount_cents) - col(Invoice.paid_cents)
    owed: dict[str, int] = {}
    for status in (IS_OPEN, IS_DISPUTED):  # each through its own partial index
        for currency, amount in session.execute(
            select(col(Invoice.currency), func.sum(remaining)).where(status).group_by(col(Invoice.currency))
        ).all():
            owed[currency] = owed.get(currency, 0) + int(amount or 0)
    return owed


def _by_day(rows: Sequence[Any], edges: list[date]) -> dict[str, dict[int, int]]:
    """Sums grouped by (day, currency) in SQL, gathered into the periods ``edges`` cut."""
    out: dict[str, dict[int, int]] = {}
    for day, currency, amount in rows:
        period = bisect_right(edges, as_date(day))
        sums = out.setdefault(currency, {})
        sums[period] = sums.get(period, 0) + int(amount or 0)
    return out


def _invoiced_by_month(session: Session, start: date, today: date, edges: list[date]) -> dict[str, dict[int, int]]:
    """Grouped by issue day, in the order of the issue-date index: no sort, no table read."""
    rows = session.execute(
        select(col(Invoice.issue_date), col(Invoice.currency), func.sum(col(Invoice.amount_cents)))
        .where(col(Invoice.issue_date) >= start, col(Invoice.issue_date) <= today, col(Invoice.status) != NOT_CANCELLED)
        .group_by(col(Invoice.issue_date), col(Invoice.currency))
    ).all()
    return _by_day(rows, edges)


def _settled_after(session: Session, points: list[date], edges: list[date]) -> dict[str, dict[int, int]]:
    """Per currency and period k (after point k-1, up to point k): what was settled then."""
    today, since = points[-1], edges[0]
    live = col(Invoice.status) != NOT_CANCELLED
    settled = case(
        (col(Invoice.status) == InvoiceStatus.PAID.value, col(Invoice.amount_cents)), else_=col(Invoice.paid_cents)
    )
    # Dated settlements, on their day.
    dated = _by_day(
        session.execute(
            select(col(Payment.paid_on), col(Invoice.currency), func.sum(col(Payment.amount_cents)))
            .select_from(Payment)
            .join(Invoice, col(Invoice.id) == col(Payment.invoice_id))
            .where(live, col(Payment.paid_on) >= since, col(Payment.paid_on) <= today)
            .group_by(col(Payment.paid_on), col(Invoice.currency))
        ).all(),
        edges,
    )
    # Settled amounts without a date, on their due date: everything settled, less the dated part.
    undated = _by_day(
        session.execute(
            select(col(Invoice.due_date), col(Invoice.currency), func.sum(settled))
            .where(col(Invoice.due_date) >= since, live)
            .group_by(col(Invoice.due_date), col(Invoice.currency))
        ).all(),
        edges,
    )
    dated_by_due = _by_day(
        session.execute(
            select(col(Invoice.due_date), col(Invoice.currency), func.sum(col(Payment.amount_cents)))
            .select_from(Payment)
            .join(Invoice, col(Invoice.id) == col(Payment.invoice_id))
            .where(live, col(Invoice.due_date) >= since)
            .group_by(col(Invoice.due_date), col(Invoice.currency))
        ).all(),
        edges,
    )
    out: dict[str, dict[int, int]] = {}
    for sign, sums in ((1, dated), (1, undated), (-1, dated_by_due)):
        for currency, periods in sums.items():
            total = out.setdefault(currency, {})
            for period, amount in periods.items():
                total[period] = total.get(period, 0) + sign * amount
    return out


def _days_late(session: Session, first_month: date, today: date) -> dict[str, dict[int, list[tuple[int, int]]]]:
    """Per currency and month (indexed like the sales months): (paid cents, days late) pairs."""
    rows = session.execute(
        select(col(Invoice.currency), col(Payment.paid_on), col(Invoice.due_date), func.sum(col(Payment.amount_cents)))
        .select_from(Payment)
        .join(Invoice, col(Invoice.id) == col(Payment.invoice_id))
        .where(
            col(Payment.paid_on) >= first_month,
            col(Payment.paid_on) <= today,
            func.coalesce(col(Payment.method), "") != CREDIT_NOTE,
            col(Invoice.amount_cents) > 0,
        )
        .group_by(col(Invoice.currency), col(Payment.paid_on), col(Invoice.due_date))
    ).all()
    sales_start = add_months(first_month, -SALES_MONTHS)
    out: dict[str, dict[int, list[tuple[int, int]]]] = {}
    for currency, paid_on, due, amount in rows:
        paid_day, due_day = as_date(paid_on), as_date(due)
        index = _month_index(sales_start, paid_day)
        out.setdefault(currency, {}).setdefault(index, []).append((int(amount), (paid_day - due_day).days))
    return out
