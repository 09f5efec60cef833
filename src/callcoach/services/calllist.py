"""Whom to call, in what order (domain 1.1): overdue amount first, then age.

One aggregate query ranks debtors in the database; the few facts shown beside each
(last contact, promises, disputes, callbacks) are joined as pre-aggregated subqueries,
so the list costs the same whether the ledger holds 50 invoices or 100,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from callcoach.db.tables import Call, Debtor, Dispute, FollowUp, Invoice, Promise
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import DisputeStatus, FollowUpKind, InvoiceStatus, PromiseStatus

PROMISE_GRACE_DAYS = 3


@dataclass(frozen=True)
class CallListRow:
    debtor_id: int
    name: str
    currency: str
    overdue_cents: int
    oldest_due: date
    overdue_invoices: int
    in_difficulty: bool = False
    last_contact: datetime | None = None
    promises_pending: int = 0
    promises_broken: int = 0
    open_disputes: int = 0
    callback_due: datetime | None = None
    waiting: bool = False

    def age_days(self, today: date) -> int:
        return (today - self.oldest_due).days


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def call_list(
    session: Session, *, clock: Clock, name_filter: str | None = None, limit: int | None = None
) -> list[CallListRow]:
    today = clock.today()
    remaining = Invoice.amount_cents - Invoice.paid_cents
    overdue = (
        select(
            Invoice.debtor_id.label("debtor_id"),
            Invoice.currency.label("currency"),
            func.sum(remaining).label("overdue"),
            func.min(Invoice.due_date).label("oldest_due"),
            func.sum(case((remaining > 0, 1), else_=0)).label("n"),
        )
        .where(Invoice.status == InvoiceStatus.OPEN, Invoice.due_date < today)
        .group_by(Invoice.debtor_id, Invoice.currency)
        .having(func.sum(remaining) > 0)
        .subquery("overdue")
    )
    last_call = (
        select(Call.debtor_id.label("debtor_id"), func.max(Call.started_at).label("last"))
        .group_by(Call.debtor_id)
        .subquery("last_call")
    )
    late_limit = today - timedelta(days=PROMISE_GRACE_DAYS)
    promises = (
        select(
            Promise.debtor_id.label("debtor_id"),
            func.sum(
                case((and_(Promise.status == PromiseStatus.PENDING, Promise.due_date >= late_limit), 1), else_=0)
            ).label("pending"),
            func.sum(
                case(
                    (
                        or_(
                            Promise.status == PromiseStatus.BROKEN,
                            and_(Promise.status == PromiseStatus.PENDING, Promise.due_date < late_limit),
                        ),
                        1,
                    ),
                    else_=0,
                )
            ).label("broken"),
        )
        .where(Promise.status.in_([PromiseStatus.PENDING, PromiseStatus.BROKEN]))
        .group_by(Promise.debtor_id)
        .subquery("promises")
    )
    disputes = (
        select(Dispute.debtor_id.label("debtor_id"), func.count().label("n"))
        .where(Dispute.status == DisputeStatus.OPEN)
        .group_by(Dispute.debtor_id)
        .subquery("disputes")
    )
    end_of_today = clock.start_of(today + timedelta(days=1))
    callbacks = (
        select(FollowUp.debtor_id.label("debtor_id"), func.min(FollowUp.due_at).label("due"))
        .where(FollowUp.kind == FollowUpKind.CALLBACK, FollowUp.done_at.is_(None), FollowUp.due_at < end_of_today)
        .group_by(FollowUp.debtor_id)
        .subquery("callbacks")
    )
    future_callbacks = (
        select(FollowUp.debtor_id.label("debtor_id"), func.count().label("n"))
        .where(FollowUp.kind == FollowUpKind.CALLBACK, FollowUp.done_at.is_(None), FollowUp.due_at >= end_of_today)
        .group_by(FollowUp.debtor_id)
        .subquery("future_callbacks")
    )
    # Waiting on the client (a promise not yet late, a callback agreed for later):
    # not asked for again before then, so ranked below everyone to call now.
    waiting = case(
        (
            and_(
                func.coalesce(promises.c.pending, 0) + func.coalesce(future_callbacks.c.n, 0) > 0,
                func.coalesce(promises.c.broken, 0) == 0,
                callbacks.c.due.is_(None),
            ),
            1,
        ),
        else_=0,
    )
    query = (
        select(
            Debtor.id,
            Debtor.name,
            overdue.c.currency,
            overdue.c.overdue,
            overdue.c.oldest_due,
            overdue.c.n,
            Debtor.in_difficulty,
            last_call.c.last,
            promises.c.pending,
            promises.c.broken,
            disputes.c.n,
            callbacks.c.due,
            waiting,
        )
        .join(overdue, overdue.c.debtor_id == Debtor.id)
        .outerjoin(last_call, last_call.c.debtor_id == Debtor.id)
        .outerjoin(promises, promises.c.debtor_id == Debtor.id)
        .outerjoin(disputes, disputes.c.debtor_id == Debtor.id)
        .outerjoin(callbacks, callbacks.c.debtor_id == Debtor.id)
        .outerjoin(future_callbacks, future_callbacks.c.debtor_id == Debtor.id)
        .order_by(waiting, overdue.c.overdue.desc(), overdue.c.oldest_due.asc(), Debtor.name_key)
    )
    if name_filter:
        from callcoach.domain.text import name_key

        query = query.where(Debtor.name_key.contains(name_key(name_filter), autoescape=True))
    if limit:
        query = query.limit(limit)
    return [
        CallListRow(
            debtor_id=r[0],
            name=r[1],
            currency=r[2],
            overdue_cents=int(r[3]),
            oldest_due=_as_date(r[4]),
            overdue_invoices=int(r[5]),
            in_difficulty=bool(r[6]),
            last_contact=_aware(r[7]),
            promises_pending=int(r[8] or 0),
            promises_broken=int(r[9] or 0),
            open_disputes=int(r[10] or 0),
            callback_due=_aware(r[11]),
            waiting=bool(r[12]),
        )
        for r in session.exec(query).all()  # type: ignore[call-overload]
    ]


def _aware(value: object) -> datetime | None:
    """Aggregates bypass the column type, so SQLite hands back naive UTC text."""
    from datetime import UTC

    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class DayFigures:
    overdue_by_currency: dict[str, int]
    calls_today: int
    promises_due_today: int


def day_figures(session: Session, *, clock: Clock) -> DayFigures:
    today = clock.today()
    remaining = Invoice.amount_cents - Invoice.paid_cents
    totals = session.exec(  # type: ignore[call-overload]
        select(Invoice.currency, func.sum(remaining))
        .where(Invoice.status == InvoiceStatus.OPEN, Invoice.due_date < today, remaining > 0)
        .group_by(Invoice.currency)
    ).all()
    start = clock.start_of(today)
    calls = session.exec(  # type: ignore[call-overload]
        select(func.count())
        .select_from(Call)
        .where(Call.started_at >= start, Call.started_at < start + timedelta(days=1))
    ).one()[0]
    promises = session.exec(  # type: ignore[call-overload]
        select(func.count())
        .select_from(Promise)
        .where(Promise.status == PromiseStatus.PENDING, Promise.due_date == today)
    ).one()[0]
    return DayFigures({c: int(t) for c, t in totals}, int(calls), int(promises))
