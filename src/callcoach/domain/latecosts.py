"""Late-payment costs (domain 2.6, 6): simple interest day by day at the rate of each
day's half-year, plus the fixed recovery indemnity per late invoice.

Computed before the call so the collector can name the figure; the law makes it due
without any reminder. Individuals (not businesses) owe no B2B penalties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal


class RateMissing(ValueError):
    """The rate table stops before a day of the delay; the message says which half-year."""


@dataclass(frozen=True)
class RateTable:
    rule: str
    points: Decimal
    indemnity_cents: int
    half_years: dict[str, Decimal]  # "2025-2" -> base rate in percent
    where: str = "the rates data"  # where a missing half-year is to be added

    def rate_on(self, day: date) -> Decimal:
        key = f"{day.year}-{1 if day.month <= 6 else 2}"
        if key not in self.half_years:
            half = "first" if day.month <= 6 else "second"
            raise RateMissing(
                f"no late-payment rate for the {half} half of {day.year} ({self.rule}): add it to {self.where}"
            )
        return self.half_years[key] + self.points


@dataclass(frozen=True)
class LateCost:
    days_late: int
    interest_cents: int
    indemnity_cents: int

    @property
    def total_cents(self) -> int:
        return self.interest_cents + self.indemnity_cents


def late_cost(
    remaining_cents: int, due: date, as_of: date, table: RateTable | None, contract_rate: Decimal | None = None
) -> LateCost:
    """From the day after the due date to ``as_of`` included; nothing if not late or no rule."""
    days = (as_of - due).days
    if days <= 0 or remaining_cents <= 0 or (table is None and contract_rate is None):
        return LateCost(max(days, 0), 0, 0)
    interest = Decimal(0)
    day = due + timedelta(days=1)
    # Sum whole runs of days that share a rate (a half-year at most).
    while day <= as_of:
        half_end = date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)
        run_end = min(half_end, as_of)
        run = (run_end - day).days + 1
        rate = contract_rate if contract_rate is not None else table.rate_on(day)  # type: ignore[union-attr]
        interest += Decimal(remaining_cents) * rate / 100 * run / 365
        day = run_end + timedelta(days=1)
    indemnity = table.indemnity_cents if table is not None else 4000
    return LateCost(days, int(interest.quantize(Decimal(1), rounding=ROUND_HALF_UP)), indemnity)
