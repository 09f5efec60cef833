"""The instalment-plan calculator (domain 4.4): reject unworkable offers with numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class PlanProposal:
    total_cents: int
    count: int
    per_payment_cents: int
    last_payment_cents: int
    first: date
    end: date
    too_long: bool
    fitting_per_month_cents: int
    months_needed: int


def propose(
    total_cents: int, *, first: date, max_months: int, per_month_cents: int | None = None, count: int | None = None
) -> PlanProposal:
    """From the client's offer (an amount a month, or a number of payments) to a dated plan."""
    if total_cents <= 0:
        raise ValueError("nothing to spread: the amount is zero")
    if per_month_cents is not None:
        if per_month_cents <= 0:
            raise ValueError("the monthly amount must be above zero")
        count = -(-total_cents // per_month_cents)
        per = per_month_cents
    elif count is not None:
        if count < 1:
            raise ValueError("at least one payment")
        per = -(-total_cents // count)
        count = -(-total_cents // per)
    else:
        raise ValueError("give an amount a month or a number of payments")
    last = total_cents - per * (count - 1)
    end = first + relativedelta(months=count - 1)
    fitting = -(-total_cents // max_months)
    return PlanProposal(total_cents, count, per, last, first, end, count > max_months, fitting, count)


def duration_words(months: int, lang: str) -> str:
    """ "19 years", "8 months": how long a plan takes, said plainly."""
    years, rest = divmod(months, 12)
    if lang == "fr":
        if years and not rest:
            return f"{years} an{'s' if years > 1 else ''}"
        if years:
            return f"{years} an{'s' if years > 1 else ''} et {rest} mois"
        return f"{months} mois"
    if years and not rest:
        return f"{years} year{'s' if years > 1 else ''}"
    if years:
        return f"{years} year{'s' if years > 1 else ''} and {rest} month{'s' if rest > 1 else ''}"
    return f"{months} month{'s' if months > 1 else ''}"
