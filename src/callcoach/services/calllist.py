"""Whom to call, in what order.

Three groups, top to bottom: **due now** (a callback or commitment whose time has come, a
step announced to the client whose date has passed, a broken promise) in time order;
then everyone else with an overdue balance, largest amount first, then oldest (domain
1.1); then those **waiting** on a promise not yet late or a callback agreed for later,
who are not asked for again before then. One aggregate query ranks them in the
database, so the list costs the same at 50 invoices or 100,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Engine, Integer, Select, String, and_, bindparam, case, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from callcoach.db.tables import Call, Debtor, Dispute, FollowUp, Invoice, Promise
from callcoach.domain.claims import HOME_CURRENCY
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import DisputeStatus, FollowUpKind, InvoiceStatus, PromiseStatus
from callcoach.services.settings import get_settings

FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)
# Written into the SQL, not bound: only then can the database use the open-invoices index,
# whose condition it must see in the query.
IS_OPEN = Invoice.status == literal(InvoiceStatus.OPEN.value, literal_execute=True)
PAGE = 100  # rows the desk loads at a time: a few screens, never a desk's whole ledger


@dataclass(frozen=True)
class DueWindow:
    """Only the debtors owing, in ``currency``, an open invoice due between the two dates
    (inclusive; ``None``: no limit): an aging bucket picked on the overview."""

    currency: str
    oldest_due: date | None = None
    newest_due: date | None = None
    bucket: str = ""


@dataclass(frozen=True)
class DueItem:
    """Something owed to the client or to ourselves, whose time has come."""

    kind: str
    what: str
    due_at: datetime


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
    disputed_cents: int = 0
    due_now: bool = False
    waiting: bool = False
    due: list[DueItem] = field(default_factory=list)
    plans_pending: int = 0  # of the pending promises, instalments of a plan
    callbacks_later: int = 0  # callbacks planned, not yet due

    def age_days(self, today: date) -> int:
        return (today - self.oldest_due).days

    @property
    def callback_due(self) -> DueItem | None:
        return next((d for d in self.due if d.kind == FollowUpKind.CALLBACK), None)


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def call_list(
    session: Session,
    *,
    clock: Clock,
    name_filter: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    grace: int | None = None,
    window: DueWindow | None = None,
    mine: int | None = None,
) -> list[CallListRow]:
    """One page of the list (or all of it). ``grace``: the promise grace days, if the caller has them.
    ``mine``: a team's collector, whose list holds their own debtors and the shared pool."""
    query = _statement(bool(name_filter), limit is not None, window is not None, mine is not None)
    params = _params(session, clock, grace, name_filter, limit, offset, window) | {"me": mine}
    rows = session.execute(query, params).all()
    due = _due_items(session, [r[0] for r in rows if r[12] == 0], clock.now())
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
            disputed_cents=int(r[11] or 0),
            due_now=r[12] == 0,
            waiting=r[12] == 2,
            due=due.get(r[0], []),
            plans_pending=int(r[13] or 0),
            callbacks_later=int(r[14] or 0),
        )
        for r in rows
    ]


def call_list_length(
    session: Session,
    *,
    clock: Clock,
    name_filter: str | None = None,
    grace: int | None = None,
    window: DueWindow | None = None,
    mine: int | None = None,
) -> int:
    """How many rows the whole list has: asked apart from the page, so the page never waits for it."""
    statement = _statement(bool(name_filter), False, window is not None, mine is not None)
    query = select(func.count()).select_from(statement.order_by(None).subquery())
    params = _params(session, clock, grace, name_filter, None, 0, window) | {"me": mine}
    return int(session.execute(query, params).one()[0])


def page_sql(engine: Engine, *, clock: Clock, name_filter: str | None = None) -> str:
    """The first page's SQL with its values inlined: what the benchmark runs in raw sqlite3."""
    with Session(engine) as session:
        params = _params(session, clock, None, name_filter, PAGE, 0)
    query = _statement(bool(name_filter), True).params(**params)
    return str(query.compile(engine, compile_kwargs={"literal_binds": True}))


def _params(
    session: Session,
    clock: Clock,
    grace: int | None,
    name_filter: str | None,
    limit: int | None,
    offset: int,
    window: DueWindow | None = None,
) -> dict[str, object]:
    if grace is None:
        grace = get_settings(session).promise_grace_days
    today = clock.today()
    values: dict[str, object] = {"today": today, "now": clock.now(), "late_limit": today - timedelta(days=grace)}
    if name_filter:
        from callcoach.domain.text import name_key

        escaped = name_key(name_filter).replace("/", "//").replace("%", "/%").replace("_", "/_")
        values["pattern"] = f"%{escaped}%"
    if limit is not None:
        values |= {"limit": limit, "offset": offset}
    if window is not None:
        values |= {
            "w_currency": window.currency,
            "w_oldest": window.oldest_due or date.min,
            "w_newest": window.newest_due or date.max,
        }
    return values


@lru_cache(maxsize=8)
def _statement(filtered: bool, paged: bool, windowed: bool = False, mine: bool = False) -> Select:  # type: ignore[type-arg]
    """Built once, values bound at each run: building this query costs more than running it
    on a small ledger, and a built statement is compiled once."""
    today = bindparam("today", type_=Invoice.due_date.type)
    now = bindparam("now", type_=FollowUp.due_at.type)
    overdue = _claimable_sql(today)
    matching = None
    if filtered:
        # Filtered before the sums, so a typed name adds up only that debtor's invoices.
        matching = col(Debtor.name_key).like(bindparam("pattern", type_=String), escape="/")
        overdue = overdue.where(col(Invoice.debtor_id).in_(select(Debtor.id).where(matching)))
    if windowed:
        overdue = overdue.where(Invoice.currency == bindparam("w_currency", type_=String))
        overdue = overdue.where(col(Invoice.debtor_id).in_(_in_window()))
    overdue = overdue.subquery("overdue")
    last_call = (
        select(Call.debtor_id.label("debtor_id"), func.max(Call.started_at).label("last"))
        .group_by(Call.debtor_id)
        .subquery("last_call")
    )
    late_limit = bindparam("late_limit", type_=Promise.due_date.type)
    pending_late = and_(Promise.status == PromiseStatus.PENDING, Promise.due_date < late_limit)
    promises = (
        select(
            Promise.debtor_id.label("debtor_id"),
            func.sum(
                case((and_(Promise.status == PromiseStatus.PENDING, Promise.due_date >= late_limit), 1), else_=0)
            ).label("pending"),
            func.sum(case((or_(Promise.status == PromiseStatus.BROKEN, pending_late), 1), else_=0)).label("broken"),
            func.sum(
                case(
                    (
                        and_(
                            Promise.status == PromiseStatus.PENDING,
                            Promise.due_date >= late_limit,
                            func.coalesce(Promise.instalment_count, 1) > 1,
                        ),
                        1,
                    ),
                    else_=0,
                )
            ).label("plan"),
        )
        .where(col(Promise.status).in_([PromiseStatus.PENDING, PromiseStatus.BROKEN]))
        .group_by(Promise.debtor_id)
        .subquery("promises")
    )
    open_disputes = (
        select(Dispute.debtor_id.label("debtor_id"), func.count().label("n"))
        .where(Dispute.status == DisputeStatus.OPEN)
        .group_by(Dispute.debtor_id)
        .subquery("open_disputes")
    )
    due_follow_ups = (
        select(FollowUp.debtor_id.label("debtor_id"), func.min(FollowUp.due_at).label("first"))
        .where(col(FollowUp.done_at).is_(None), FollowUp.due_at <= now)
        .group_by(FollowUp.debtor_id)
        .subquery("due_follow_ups")
    )
    later_callbacks = (
        select(FollowUp.debtor_id.label("debtor_id"), func.count().label("n"))
        .where(FollowUp.kind == FollowUpKind.CALLBACK, col(FollowUp.done_at).is_(None), FollowUp.due_at > now)
        .group_by(FollowUp.debtor_id)
        .subquery("later_callbacks")
    )
    broken = func.coalesce(promises.c.broken, 0)
    is_due_now = or_(due_follow_ups.c.first.is_not(None), broken > 0)
    is_waiting = func.coalesce(promises.c.pending, 0) + func.coalesce(later_callbacks.c.n, 0) > 0
    group = case((is_due_now, 0), (is_waiting, 2), else_=1)
    claimable = overdue.c.claimable
    query = (
        select(
            Debtor.id,
            Debtor.name,
            overdue.c.currency,
            claimable,
            overdue.c.oldest_due,
            overdue.c.n,
            Debtor.in_difficulty,
            last_call.c.last,
            promises.c.pending,
            promises.c.broken,
            open_disputes.c.n,
            overdue.c.disputed,
            group,
            promises.c.plan,
            later_callbacks.c.n,
        )
        .join(overdue, overdue.c.debtor_id == Debtor.id)
        .outerjoin(last_call, last_call.c.debtor_id == Debtor.id)
        .outerjoin(promises, promises.c.debtor_id == Debtor.id)
        .outerjoin(open_disputes, open_disputes.c.debtor_id == Debtor.id)
        .outerjoin(due_follow_ups, due_follow_ups.c.debtor_id == Debtor.id)
        .outerjoin(later_callbacks, later_callbacks.c.debtor_id == Debtor.id)
        .order_by(
            group,
            # Amounts in different currencies cannot be compared without a rate: euros first,
            # then each other currency ranked on its own.
            case((overdue.c.currency == HOME_CURRENCY, 0), else_=1),
            overdue.c.currency,
            case((is_due_now, func.coalesce(due_follow_ups.c.first, literal(FAR_PAST))), else_=literal(FAR_PAST)),
            claimable.desc(),
            overdue.c.oldest_due.asc(),
            Debtor.name_key,
        )
    )
    if matching is not None:
        query = query.where(matching)
    if mine:  # a team's collector: their own debtors and the shared pool
        me = bindparam("me", type_=Integer)
        query = query.where(or_(col(Debtor.collector_id).is_(None), Debtor.collector_id == me))
    if paged:
        query = query.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    return query


def _in_window() -> Select:  # type: ignore[type-arg]
    """The debtors owing an open invoice in the window's currency and due dates."""
    inner = aliased(Invoice)
    return select(inner.debtor_id).where(
        inner.status == literal(InvoiceStatus.OPEN.value, literal_execute=True),
        inner.currency == bindparam("w_currency", type_=String),
        inner.due_date >= bindparam("w_oldest", type_=Invoice.due_date.type),
        inner.due_date <= bindparam("w_newest", type_=Invoice.due_date.type),
        inner.amount_cents > inner.paid_cents,
    )


def _claimable_sql(today: object) -> Select:  # type: ignore[type-arg]
    """The amount to ask for per debtor and currency, in SQL: the mirror of
    ``domain.claims.claimable_by_currency`` (each open overdue invoice's remainder less its
    open disputed part, never below zero). tests/services/test_claims_agree.py proves both
    give the same figures on generated ledgers."""
    remaining = Invoice.amount_cents - Invoice.paid_cents
    disputed = (
        select(Dispute.invoice_id.label("invoice_id"), func.sum(Dispute.amount_cents).label("amount"))
        .where(Dispute.status == DisputeStatus.OPEN, col(Dispute.invoice_id).is_not(None))
        .group_by(Dispute.invoice_id)
        .subquery("disputed")
    )
    on_invoice = func.coalesce(disputed.c.amount, 0)
    claim = remaining - on_invoice
    claim_cents = func.sum(case((claim > 0, claim), else_=0))
    return (
        select(
            Invoice.debtor_id.label("debtor_id"),
            Invoice.currency.label("currency"),
            claim_cents.label("claimable"),
            func.min(Invoice.due_date).label("oldest_due"),
            func.sum(case((remaining > 0, 1), else_=0)).label("n"),
            func.sum(on_invoice).label("disputed"),
        )
        .select_from(Invoice)
        .outerjoin(disputed, disputed.c.invoice_id == Invoice.id)
        .where(IS_OPEN, Invoice.due_date < today)
        .group_by(Invoice.debtor_id, Invoice.currency)
        .having(claim_cents > 0)
    )


def _due_items(session: Session, debtor_ids: list[int], now: datetime) -> dict[int, list[DueItem]]:
    if not debtor_ids:
        return {}
    items: dict[int, list[DueItem]] = {}
    for follow_up in session.exec(  # type: ignore[call-overload]
        select(FollowUp)
        .where(col(FollowUp.debtor_id).in_(debtor_ids), col(FollowUp.done_at).is_(None), FollowUp.due_at <= now)
        .order_by(FollowUp.due_at)
    ).scalars():
        items.setdefault(follow_up.debtor_id, []).append(DueItem(follow_up.kind, follow_up.what, follow_up.due_at))
    return items


def _aware(value: object) -> datetime | None:
    """Aggregates bypass the column type, so SQLite hands back naive UTC text."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class DayFigures:
    overdue_by_currency: dict[str, int]
    calls_today: int
    promises_due_today: int
    due_today: int = 0
    late: int = 0


def day_figures(session: Session, *, clock: Clock) -> DayFigures:
    today = clock.today()
    start = clock.start_of(today)
    tomorrow = start + timedelta(days=1)
    remaining = Invoice.amount_cents - Invoice.paid_cents
    totals = session.exec(  # type: ignore[call-overload]
        select(Invoice.currency, func.sum(remaining))
        .where(IS_OPEN, Invoice.due_date < today, remaining > 0)
        .group_by(Invoice.currency)
    ).all()

    def count(query) -> int:  # type: ignore[no-untyped-def]
        return int(session.exec(query).one()[0])  # type: ignore[call-overload]

    calls = count(select(func.count()).select_from(Call).where(Call.started_at >= start, Call.started_at < tomorrow))
    promises = count(
        select(func.count())
        .select_from(Promise)
        .where(Promise.status == PromiseStatus.PENDING, Promise.due_date == today)
    )
    open_follow_ups = select(func.count()).select_from(FollowUp).where(col(FollowUp.done_at).is_(None))
    due_today = count(open_follow_ups.where(FollowUp.due_at >= start, FollowUp.due_at < tomorrow))
    late = count(open_follow_ups.where(FollowUp.due_at < start))
    return DayFigures({c: int(t) for c, t in totals}, calls, promises, due_today + promises, late)
