"""The measures a collector reads the ledger by: aging buckets, DSO by countback, how
far a promise can be counted on, and the weeks and months they are reported over.

Pure rules on plain numbers; the SQL that gathers the numbers lives in services/overview.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Days late, inclusive on both ends; ``None``: no upper end. Not yet due is 0 or fewer.
AGING_BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("not_due", None, 0),
    ("late_1_30", 1, 30),
    ("late_31_60", 31, 60),
    ("late_61_90", 61, 90),
    ("late_91", 91, None),
)


def aging_bucket(days_late: int) -> str:
    """The bucket of an invoice ``days_late`` days past its due date (negative: not due yet)."""
    for key, low, high in AGING_BUCKETS:
        if (low is None or days_late >= low) and (high is None or days_late <= high):
            return key
    raise AssertionError(days_late)  # the buckets cover every integer


def due_window(bucket: str, today: date) -> tuple[date | None, date | None]:
    """The due dates, inclusive, of the invoices in ``bucket`` as of ``today``."""
    for key, low, high in AGING_BUCKETS:
        if key == bucket:
            newest = today - timedelta(days=low) if low is not None else None
            oldest = today - timedelta(days=high) if high is not None else None
            return oldest, newest
    raise ValueError(f"no aging bucket {bucket!r}")


def aging_edges(today: date) -> tuple[list[date], list[str]]:
    """Ascending due-date edges and the buckets between them: a due date before the first
    edge is in the first bucket, from edge i on (and before edge i+1) in bucket i+1."""
    lows = [low for _key, low, _high in reversed(AGING_BUCKETS) if low is not None]
    edges = [today - timedelta(days=low - 1) for low in lows]
    return edges, [key for key, _low, _high in reversed(AGING_BUCKETS)]


# ----------------------------------------------------------------- periods
def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def weeks_ahead(today: date, count: int) -> list[date]:
    """The Mondays of the ``count`` weeks from this one on."""
    first = week_start(today)
    return [first + timedelta(weeks=n) for n in range(count)]


def weeks_back(today: date, count: int) -> list[date]:
    """The Mondays of the last ``count`` weeks, this one last."""
    first = week_start(today)
    return [first - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def working_days(monday: date, today: date) -> int:
    """Monday to Friday of the week starting ``monday`` that have begun by ``today``."""
    return sum(1 for n in range(5) if monday + timedelta(days=n) <= today)


# --------------------------------------------------------------------- DSO
@dataclass(frozen=True)
class MonthSales:
    """What was invoiced (net of credit notes) in one month, and how many days that month had
    by the measuring day."""

    days: int
    invoiced_cents: int


@dataclass(frozen=True)
class Countback:
    days: Decimal
    complete: bool  # False: the receivables outran every month given, so ``days`` is a floor


def countback_dso(receivables_cents: int, months: list[MonthSales]) -> Countback:
    """Days sales outstanding by the countback method.

    The open receivables are walked back through the monthly invoiced totals, newest month
    first: a month whose sales the balance still covers adds all its days; the month that
    exhausts the balance adds its share of days. A month with nothing invoiced adds all its
    days (it explains none of the balance)."""
    left = Fraction(receivables_cents)
    days = Fraction(0)
    if left <= 0:
        return Countback(Decimal(0), True)
    for month in months:
        if month.invoiced_cents > 0 and left <= month.invoiced_cents:
            days += month.days * left / month.invoiced_cents
            return Countback(_one_decimal(days), True)
        left -= max(month.invoiced_cents, 0)
        days += month.days
    return Countback(_one_decimal(days), False)


def _one_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def average_days_late(paid: list[tuple[int, int]]) -> Decimal | None:
    """Amount-weighted average days late of ``(cents, days_late)`` payments; early counts as 0."""
    total = sum(cents for cents, _ in paid if cents > 0)
    if total <= 0:
        return None
    weighted = sum(cents * max(days, 0) for cents, days in paid if cents > 0)
    return _one_decimal(Fraction(weighted, total))


# ---------------------------------------------------------------- forecast
@dataclass(frozen=True)
class KeptRecord:
    kept: int
    broken: int

    @property
    def settled(self) -> int:
        return self.kept + self.broken


def kept_rate(own: KeptRecord | None, ledger: KeptRecord) -> Fraction:
    """How far a debtor's promise can be counted on: the share of their own earlier promises
    that were kept; the ledger's share where they have none settled; 1 where nobody has."""
    if own is not None and own.settled:
        return Fraction(own.kept, own.settled)
    if ledger.settled:
        return Fraction(ledger.kept, ledger.settled)
    return Fraction(1)


def round_cents(value: Fraction) -> int:
    """A weighted amount to whole cents, halves away from zero."""
    return int((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1), ROUND_HALF_UP))
