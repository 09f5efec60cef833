"""Late-payment costs (domain 2.6, 6, 8): what a late invoice costs its debtor, computed before
the call so the collector can name the figure.

- Interest runs day by day on that day's balance: a payment reduces it from the day after it
  is received. Each day takes the rate of its half-year (France: the ECB rate in force on
  1 January or 1 July, plus 10 points; Belgium: the published half-year rate).
- The 40 EUR recovery indemnity is owed per late invoice whatever the rate, also on an
  invoice finally paid late.
- A half-year whose rate is not yet in the table takes the last known rate: the figure is
  marked provisional, with the file to complete, never dropped.
- French public bodies owe the ECB rate + 8 points of the half-year in which interest
  starts, fixed for the whole delay (Code de la commande publique, R2192-31).
- Private individuals owe no B2B penalties: only the legal interest rate, from a formal
  notice.
- A contractual rate replaces the statutory one, never below three times the French legal
  rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

DAYS_IN_YEAR = 365
PUBLIC_BODY_POINTS = Decimal(8)
CONTRACT_FLOOR_TIMES = 3
INDEMNITY_CURRENCY = "EUR"  # the recovery indemnity is a fixed sum in euros, whatever the invoice's currency


class Basis(StrEnum):
    """Why a debtor owes what they owe for a delay."""

    STATUTORY = "statutory"  # the ledger's rule for businesses (FR ECB + 10, BE table)
    PUBLIC_BODY = "public_body"  # French public procurement: ECB + 8, fixed at the start
    CONTRACT = "contract"  # a rate the collector agreed with this debtor or for the ledger
    INDIVIDUAL = "individual"  # legal interest rate, only from a formal notice
    NONE = "none"  # the collector charges nothing


def half_year(day: date) -> str:
    """ "2025-2" for any day from 1 July to 31 December 2025."""
    return f"{day.year}-{1 if day.month <= 6 else 2}"


def _half_year_end(day: date) -> date:
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


@dataclass(frozen=True)
class RateTable:
    """A published rate per half-year, in percent (the ECB rate for France, the total rate for
    Belgium, the legal rate), with ``where`` naming the file to complete."""

    rule: str
    half_years: dict[str, Decimal]
    where: str = "the rates data"

    def rate(self, key: str) -> tuple[Decimal, bool]:
        """The half-year's rate, and whether it is provisional (the last known one, used because
        that half-year is not in the table yet)."""
        if key in self.half_years:
            return self.half_years[key], False
        earlier = [k for k in self.half_years if _order(k) < _order(key)]
        if earlier:
            return self.half_years[max(earlier, key=_order)], True
        return self.half_years[min(self.half_years, key=_order)], True


def _order(key: str) -> tuple[int, int]:
    year, _, half = key.partition("-")
    return int(year), int(half)


@dataclass(frozen=True)
class LateTerms:
    """How one debtor's delays are charged."""

    basis: Basis
    table: RateTable | None = None  # statutory: the rule's table; public body: the ECB table
    points: Decimal = Decimal(0)  # added to the table's rate (France 10, public bodies 8)
    contract_rate: Decimal | None = None
    legal: RateTable | None = None  # French legal rate: the contract floor, the individuals' rate
    indemnity_cents: int = 4000


@dataclass(frozen=True)
class LateCost:
    days_late: int
    interest_cents: int
    indemnity_cents: int
    basis: Basis = Basis.STATUTORY
    provisional: tuple[str, ...] = ()  # half-years charged at the last known rate
    where: str = ""  # the file to complete when provisional
    paid_late: bool = False  # paid in full, after the due date: claimable, shown apart
    awaiting_notice: bool = False  # an individual, no formal notice yet: nothing runs

    @property
    def total_cents(self) -> int:
        """Interest plus indemnity, for an invoice in euros only: the indemnity is a fixed sum in
        euros (Code de commerce D441-5) while interest runs in the invoice's currency, so an
        invoice in another currency owes two sums, added up per currency (never converted)."""
        return self.interest_cents + self.indemnity_cents

    @property
    def owed(self) -> bool:
        """Anything owed for the delay, whatever the currencies."""
        return bool(self.interest_cents or self.indemnity_cents)


@dataclass(frozen=True)
class Paid:
    on: date
    cents: int


def late_cost(
    *,
    amount_cents: int,
    paid_cents: int,
    due: date,
    payments: Sequence[Paid],
    as_of: date,
    terms: LateTerms,
    notice_on: date | None = None,
) -> LateCost:
    """The costs of one invoice's delay up to ``as_of`` (included), or up to the day it was
    paid in full. Paid amounts without a dated payment (an export's paid column) are taken
    as paid on time: never charge interest on money whose date is unknown."""
    dated = sorted((p for p in payments if p.cents > 0), key=lambda p: p.on)
    undated = max(0, paid_cents - sum(p.cents for p in dated))
    balance_at_due = amount_cents - undated - sum(p.cents for p in dated if p.on <= due)
    cleared = _cleared_on(amount_cents - undated, dated)
    end = min(as_of, cleared) if cleared else as_of
    days = max(0, (end - due).days)
    paid_late = cleared is not None and cleared > due and cleared <= as_of
    if days == 0 or balance_at_due <= 0 or terms.basis == Basis.NONE:
        return LateCost(days, 0, 0, terms.basis)
    start = due
    if terms.basis == Basis.INDIVIDUAL:
        if notice_on is None or notice_on >= end or terms.legal is None:
            return LateCost(days, 0, 0, terms.basis, awaiting_notice=notice_on is None)
        start = max(due, notice_on)
    interest, missing = _interest(amount_cents - undated, dated, start, end, terms)
    indemnity = 0 if terms.basis == Basis.INDIVIDUAL else terms.indemnity_cents
    where = _where(terms) if missing else ""
    cents = int(interest.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return LateCost(days, cents, indemnity, terms.basis, tuple(sorted(missing, key=_order)), where, paid_late)


def _cleared_on(owed: int, dated: list[Paid]) -> date | None:
    running = 0
    for payment in dated:
        running += payment.cents
        if running >= owed:
            return payment.on
    return None


def _where(terms: LateTerms) -> str:
    if terms.basis in (Basis.CONTRACT, Basis.INDIVIDUAL) and terms.legal is not None:
        return terms.legal.where
    return terms.table.where if terms.table is not None else ""


def _interest(owed: int, dated: list[Paid], start: date, end: date, terms: LateTerms) -> tuple[Decimal, set[str]]:
    """Sum over runs of days sharing one balance and one half-year (cents x percent / 100)."""
    missing: set[str] = set()
    fixed = None
    if terms.basis == Basis.PUBLIC_BODY:
        fixed = _rate(terms, start + timedelta(days=1), missing)
    total = Decimal(0)
    day = start + timedelta(days=1)
    while day <= end:
        # The balance on ``day``: payments received before it.
        balance = owed - sum(p.cents for p in dated if p.on < day)
        next_change = min((p.on + timedelta(days=1) for p in dated if p.on >= day), default=end + timedelta(days=1))
        run_end = min(_half_year_end(day), end, next_change - timedelta(days=1))
        run = (run_end - day).days + 1
        if balance > 0:
            rate = fixed if fixed is not None else _rate(terms, day, missing)
            total += Decimal(balance) * rate / 100 * run / DAYS_IN_YEAR
        day = run_end + timedelta(days=1)
    return total, missing


def _rate(terms: LateTerms, day: date, missing: set[str]) -> Decimal:
    key = half_year(day)

    def look(table: RateTable) -> Decimal:
        value, provisional = table.rate(key)
        if provisional:
            missing.add(key)
        return value

    if terms.basis == Basis.CONTRACT:
        assert terms.contract_rate is not None
        if terms.legal is None:
            return terms.contract_rate
        return max(terms.contract_rate, look(terms.legal) * CONTRACT_FLOOR_TIMES)
    if terms.basis == Basis.INDIVIDUAL:
        assert terms.legal is not None
        return look(terms.legal)
    assert terms.table is not None
    return look(terms.table) + terms.points
