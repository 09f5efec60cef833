"""Instalment plans (domain 4.4, 5.4): the one schedule that the calculator shows, the outcome
form holds, the promise rows store and the recap e-mail lists.

The schedule always sums to the amount agreed: the instalments are equal, rounded up to the
cent, and the last one takes the rounding ("5,321.98 a month, last 5,321.96"). An optional
first payment of its own ("1,000 now, then 4 x ...") comes before the equal ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from callcoach.domain.worded import WordedError


class PlanError(WordedError):
    """A plan that cannot be made; its code (``plan_first``…) names the reason for the
    interfaces to word."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, code=f"plan_{reason}")


@dataclass(frozen=True)
class Instalment:
    number: int
    due: date
    amount_cents: int


def instalment_dates(first: date, count: int) -> list[date]:
    """Monthly from the first payment; the 31st becomes the month's last day."""
    return [first + relativedelta(months=n) for n in range(count)]


def split_evenly(total_cents: int, count: int) -> list[int]:
    """``count`` amounts summing to ``total_cents``: equal ones rounded up, the last smaller.

    When rounding up would leave nothing for the last (a few cents over many payments), the
    equal ones are rounded down and the last takes the extra cents instead."""
    if count < 1:
        raise PlanError("count", "at least one payment")
    if total_cents < count:
        raise PlanError("too_small", "the amount is smaller than one cent a payment")
    per = -(-total_cents // count)
    if per * (count - 1) >= total_cents:
        per = total_cents // count
    return [per] * (count - 1) + [total_cents - per * (count - 1)]


def schedule(total_cents: int, count: int, first_on: date, first_cents: int | None = None) -> list[Instalment]:
    """The dated instalments of a plan of ``count`` payments; they sum to ``total_cents`` exactly."""
    if total_cents <= 0:
        raise PlanError("nothing", "nothing to spread: the amount is zero")
    if count < 1:
        raise PlanError("count", "at least one payment")
    amounts: list[int] = []
    if first_cents is not None and count > 1:
        if not 0 < first_cents < total_cents:
            raise PlanError("first", "the first payment must be above zero and below the amount")
        amounts = [first_cents]
    amounts += split_evenly(total_cents - sum(amounts), count - len(amounts))
    return [
        Instalment(n, day, cents)
        for n, (day, cents) in enumerate(zip(instalment_dates(first_on, count), amounts, strict=True), 1)
    ]


@dataclass(frozen=True)
class PlanProposal:
    total_cents: int
    first_cents: int | None
    instalments: list[Instalment]
    too_long: bool
    fitting_per_month_cents: int

    @property
    def count(self) -> int:
        return len(self.instalments)

    @property
    def per_payment_cents(self) -> int:
        """The regular instalment (the second one when the first is different)."""
        return self.instalments[1 if self.first_cents is not None and self.count > 1 else 0].amount_cents

    @property
    def last_payment_cents(self) -> int:
        return self.instalments[-1].amount_cents

    @property
    def first(self) -> date:
        return self.instalments[0].due

    @property
    def end(self) -> date:
        return self.instalments[-1].due

    @property
    def months_needed(self) -> int:
        return self.count


def propose(
    total_cents: int,
    *,
    first: date,
    max_months: int,
    per_month_cents: int | None = None,
    count: int | None = None,
    first_cents: int | None = None,
) -> PlanProposal:
    """From the client's offer (an amount a month, or a number of payments, after an optional
    first payment) to the dated schedule. An amount a month gives the number of payments it
    takes; the payments are then made equal, never above the amount offered."""
    if total_cents <= 0:
        raise PlanError("nothing", "nothing to spread: the amount is zero")
    if first_cents is not None and not 0 < first_cents < total_cents:
        raise PlanError("first", "the first payment must be above zero and below the amount")
    rest = total_cents - (first_cents or 0)
    extra = 1 if first_cents is not None else 0
    if per_month_cents is not None:
        if per_month_cents <= 0:
            raise PlanError("per_month", "the monthly amount must be above zero")
        count = -(-rest // per_month_cents) + extra
    elif count is not None:
        if count < 1 + extra:
            raise PlanError("count", "at least one payment")
    else:
        raise PlanError("offer", "give an amount a month or a number of payments")
    instalments = schedule(total_cents, count, first, first_cents)
    fitting = -(-rest // max(max_months - extra, 1))
    return PlanProposal(total_cents, first_cents, instalments, count > max_months, fitting)


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
