"""What should come in, week by week, over the next thirteen weeks.

Promises and plan instalments still pending are placed in the week of their date (one
still within its grace days, though its date has passed, in this week). Each counts as
promised, and as expected weighted by how far that debtor can be counted on: the share of
their earlier promises that were kept, or the ledger's share where they have no settled
promise yet (domain.measures.kept_rate). A pending promise past its grace days is broken
(domain 5.2), whatever its stored status says until the next settling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session, col

from callcoach.db.tables import Promise
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import PromiseStatus
from callcoach.domain.measures import KeptRecord, kept_rate, round_cents, weeks_ahead
from callcoach.services.overview.sql import as_date, currency_order
from callcoach.services.settings import get_settings

WEEKS = 13


@dataclass(frozen=True)
class ForecastWeek:
    start: date  # the Monday
    promised_cents: int = 0
    expected_cents: int = 0  # weighted
    promises: int = 0


@dataclass(frozen=True)
class CurrencyForecast:
    currency: str
    weeks: list[ForecastWeek]

    @property
    def promised_cents(self) -> int:
        return sum(w.promised_cents for w in self.weeks)

    @property
    def expected_cents(self) -> int:
        return sum(w.expected_cents for w in self.weeks)


@dataclass(frozen=True)
class Forecast:
    as_of: date
    ledger: KeptRecord  # every debtor's settled promises: the rate for those without their own
    currencies: list[CurrencyForecast] = field(default_factory=list)

    @property
    def ledger_rate(self) -> Fraction:
        return kept_rate(None, self.ledger)


def forecast(session: Session, *, clock: Clock, grace: int | None = None) -> Forecast:
    today = clock.today()
    if grace is None:
        grace = get_settings(session).promise_grace_days
    late_limit = today - timedelta(days=grace)
    mondays = weeks_ahead(today, WEEKS)
    end = mondays[-1] + timedelta(weeks=1)
    records = _records(session, late_limit)
    ledger = KeptRecord(sum(r.kept for r in records.values()), sum(r.broken for r in records.values()))
    left = col(Promise.amount_cents) - col(Promise.received_cents)
    pending = session.execute(
        select(col(Promise.debtor_id), col(Promise.currency), col(Promise.due_date), func.sum(left), func.count())
        .where(
            col(Promise.status) == PromiseStatus.PENDING.value,
            col(Promise.due_date) >= late_limit,
            col(Promise.due_date) < end,
        )
        .group_by(col(Promise.debtor_id), col(Promise.currency), col(Promise.due_date))
    ).all()
    sums: dict[str, list[list[Fraction | int]]] = {}
    for debtor_id, currency, due, amount, count in pending:
        week = max(0, (as_date(due) - mondays[0]).days // 7)
        weeks = sums.setdefault(currency, [[0, Fraction(0), 0] for _ in mondays])
        rate = kept_rate(records.get(debtor_id), ledger)
        weeks[week][0] += int(amount or 0)
        weeks[week][1] += int(amount or 0) * rate
        weeks[week][2] += int(count)
    currencies = [
        CurrencyForecast(
            currency,
            [
                ForecastWeek(monday, int(p), round_cents(Fraction(e)), int(n))
                for monday, (p, e, n) in zip(mondays, sums[currency], strict=True)
            ],
        )
        for currency in currency_order(set(sums))
    ]
    return Forecast(today, ledger, currencies)


def _records(session: Session, late_limit: date) -> dict[int, KeptRecord]:
    """Per debtor: promises kept, and broken (or pending past their grace days)."""
    broken = or_(
        col(Promise.status) == PromiseStatus.BROKEN.value,
        and_(col(Promise.status) == PromiseStatus.PENDING.value, col(Promise.due_date) < late_limit),
    )
    rows = session.execute(
        select(
            col(Promise.debtor_id),
            func.sum(case((col(Promise.status) == PromiseStatus.KEPT.value, 1), else_=0)),
            func.sum(case((broken, 1), else_=0)),
        )
        .where(
            col(Promise.status).in_([PromiseStatus.KEPT.value, PromiseStatus.BROKEN.value, PromiseStatus.PENDING.value])
        )
        .group_by(col(Promise.debtor_id))
    ).all()
    return {debtor: KeptRecord(int(kept or 0), int(lost or 0)) for debtor, kept, lost in rows if kept or lost}
