"""Whether the calls are working, week by week over the last twelve weeks.

Per week: calls made and per working day; the reached rate (calls that ended with the
right person on the line: neither no answer nor a wrong person, over the calls ended);
promises and plans agreed; promises due that week kept and broken (a pending one past its
grace days is broken); and the money received that week from debtors called in the 30
days before the payment (credit notes are no money, and are left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session, col

from callcoach.db.tables import Call, Collector, Invoice, Payment, Promise
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome, PromiseStatus
from callcoach.domain.measures import weeks_back, working_days
from callcoach.services.overview.sql import as_date, currency_order, period_of
from callcoach.services.settings import get_settings

WEEKS = 12
COLLECTED_WITHIN_DAYS = 30
NOT_REACHED = (Outcome.NO_ANSWER.value, Outcome.WRONG_PERSON.value)
AGREED = (Outcome.PROMISE.value, Outcome.PLAN.value)
CREDIT_NOTE = "credit_note"


@dataclass(frozen=True)
class ResultsWeek:
    start: date  # the Monday
    calls: int = 0
    ended: int = 0
    reached: int = 0
    working_days: int = 5
    agreed: int = 0  # calls that ended in a promise or a plan
    kept: int = 0
    broken: int = 0
    collected: dict[str, int] = field(default_factory=dict)  # per currency, cents

    @property
    def reached_rate(self) -> Decimal | None:
        """Share of the calls ended, in percent with no decimals."""
        if not self.ended:
            return None
        return (Decimal(100 * self.reached) / self.ended).quantize(Decimal(1), ROUND_HALF_UP)

    @property
    def per_day(self) -> Decimal | None:
        if not self.working_days:
            return None
        return (Decimal(self.calls) / self.working_days).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class CollectorResults:
    """One collector's calls over the twelve weeks (team mode: a ledger with collectors)."""

    name: str
    calls: int = 0
    ended: int = 0
    reached: int = 0
    agreed: int = 0


@dataclass(frozen=True)
class Results:
    as_of: date
    weeks: list[ResultsWeek]
    collectors: list[CollectorResults] = field(default_factory=list)

    @property
    def currencies(self) -> list[str]:
        return currency_order({c for w in self.weeks for c in w.collected})


def results(session: Session, *, clock: Clock, grace: int | None = None) -> Results:
    today = clock.today()
    if grace is None:
        grace = get_settings(session).promise_grace_days
    mondays = weeks_back(today, WEEKS)
    starts = [clock.start_of(m) for m in mondays[1:]]
    first, end = clock.start_of(mondays[0]), clock.start_of(today + timedelta(days=1))
    inner = (
        select(
            period_of(col(Call.started_at), starts).label("week"),
            col(Call.outcome).label("outcome"),
        )
        .where(col(Call.started_at) >= first, col(Call.started_at) < end)
        .subquery()
    )
    ended = col(inner.c.outcome).is_not(None)
    calls = {
        int(week): (int(n), int(e or 0), int(r or 0), int(a or 0))
        for week, n, e, r, a in session.execute(
            select(
                inner.c.week,
                func.count(),
                func.sum(case((ended, 1), else_=0)),
                func.sum(case((and_(ended, col(inner.c.outcome).not_in(NOT_REACHED)), 1), else_=0)),
                func.sum(case((col(inner.c.outcome).in_(AGREED), 1), else_=0)),
            ).group_by(inner.c.week)
        ).all()
    }
    kept, broken = _promise_fates(session, mondays, today, grace)
    collected = _collected(session, clock, mondays, today)
    weeks = []
    for n, monday in enumerate(mondays):
        count, ended_n, reached, agreed = calls.get(n, (0, 0, 0, 0))
        weeks.append(
            ResultsWeek(
                monday,
                count,
                ended_n,
                reached,
                working_days(monday, today),
                agreed,
                kept.get(n, 0),
                broken.get(n, 0),
                collected.get(n, {}),
            )
        )
    return Results(today, weeks, _by_collector(session, first, end))


def _by_collector(session: Session, first: datetime, end: datetime) -> list[CollectorResults]:
    """Calls, reached and agreed per collector; none when the ledger is kept by one person."""
    ended = col(Call.outcome).is_not(None)
    rows = session.execute(
        select(
            col(Collector.name),
            func.count(col(Call.id)),
            func.sum(case((ended, 1), else_=0)),
            func.sum(case((and_(ended, col(Call.outcome).not_in(NOT_REACHED)), 1), else_=0)),
            func.sum(case((col(Call.outcome).in_(AGREED), 1), else_=0)),
        )
        .select_from(Collector)
        .outerjoin(
            Call,
            and_(
                col(Call.collector_id) == col(Collector.id), col(Call.started_at) >= first, col(Call.started_at) < end
            ),
        )
        .group_by(col(Collector.id), col(Collector.name))
        .order_by(col(Collector.name))
    ).all()
    return [CollectorResults(name, int(n), int(e or 0), int(r or 0), int(a or 0)) for name, n, e, r, a in rows]


def _promise_fates(
    session: Session, mondays: list[date], today: date, grace: int
) -> tuple[dict[int, int], dict[int, int]]:
    late_limit = today - timedelta(days=grace)
    broken = or_(
        col(Promise.status) == PromiseStatus.BROKEN.value,
        and_(col(Promise.status) == PromiseStatus.PENDING.value, col(Promise.due_date) < late_limit),
    )
    inner = (
        select(
            period_of(col(Promise.due_date), mondays[1:]).label("week"),
            case((col(Promise.status) == PromiseStatus.KEPT.value, 1), else_=0).label("kept"),
            case((broken, 1), else_=0).label("broken"),
        )
        .where(col(Promise.due_date) >= mondays[0], col(Promise.due_date) <= today)
        .subquery()
    )
    kept: dict[int, int] = {}
    lost: dict[int, int] = {}
    for week, k, b in session.execute(
        select(inner.c.week, func.sum(inner.c.kept), func.sum(inner.c.broken)).group_by(inner.c.week)
    ).all():
        kept[int(week)], lost[int(week)] = int(k or 0), int(b or 0)
    return kept, lost


def _collected(session: Session, clock: Clock, mondays: list[date], today: date) -> dict[int, dict[str, int]]:
    """Money received each week from a debtor called in the 30 days up to the payment."""
    since = mondays[0] - timedelta(days=COLLECTED_WITHIN_DAYS)
    called: dict[int, list[date]] = {}
    for debtor_id, started in session.execute(
        select(col(Call.debtor_id), col(Call.started_at)).where(
            col(Call.started_at) >= clock.start_of(since),
            col(Call.started_at) < clock.start_of(today + timedelta(days=1)),
        )
    ).all():
        called.setdefault(debtor_id, []).append(clock.local(_aware(started)).date())
    if not called:
        return {}
    paid = session.execute(
        select(col(Invoice.debtor_id), col(Invoice.currency), col(Payment.paid_on), func.sum(col(Payment.amount_cents)))
        .select_from(Payment)
        .join(Invoice, col(Invoice.id) == col(Payment.invoice_id))
        .where(
            col(Payment.paid_on) >= mondays[0],
            col(Payment.paid_on) <= today,
            func.coalesce(col(Payment.method), "") != CREDIT_NOTE,
            col(Invoice.debtor_id).in_(
                select(col(Call.debtor_id)).where(col(Call.started_at) >= clock.start_of(since)).scalar_subquery()
            ),
        )
        .group_by(col(Invoice.debtor_id), col(Invoice.currency), col(Payment.paid_on))
    ).all()
    out: dict[int, dict[str, int]] = {}
    window = timedelta(days=COLLECTED_WITHIN_DAYS)
    for debtor_id, currency, paid_on, amount in paid:
        day = as_date(paid_on)
        if any(call_day <= day <= call_day + window for call_day in called[debtor_id]):
            week = (day - mondays[0]).days // 7
            sums = out.setdefault(week, {})
            sums[currency] = sums.get(currency, 0) + int(amount or 0)
    return out


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
