"""Whom to call, in what order.

Three groups, top to bottom: **due now** (a callback or commitment whose time has come, a
step announced to the client whose date has passed, a broken promise) in time order;
then everyone else with an overdue balance, largest amount first, then oldest (domain
1.1); then those **waiting** on a promise not yet late or a callback agreed for later,
who are not asked for again before then. The database ranks them from each debtor's
kept balance (services/balances.py, services/calllist_sql.py), so a page of the list, a
filter keystroke and the list after a call cost the same at 1,000 invoices or a million.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Select, and_, bindparam, case, func, literal, select
from sqlmodel import Session, col

from callcoach.db.tables import Call, FollowUp, Promise
from callcoach.domain.claims import HOME_CURRENCY
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import FollowUpKind, PromiseStatus
from callcoach.services.balances import overdue_totals
from callcoach.services.calllist_sql import FAR_PAST, IS_OPEN, MOMENT, aggregate_statement, ranked_statement
from callcoach.services.settings import get_settings

__all__ = ["FAR_PAST", "HOME_CURRENCY", "IS_OPEN", "PAGE", "CallListRow", "DueWindow", "call_list", "day_figures"]
PAGE = 100  # rows the desk loads at a time: a few screens, never a desk's whole ledger
SHOWN = 15  # the columns of a row the list shows; an aggregate statement's last three only sort


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
    query = _statement(bool(name_filter), limit is not None, window, mine is not None)
    params = _params(session, clock, grace, name_filter, limit, offset, window) | {"me": mine}
    rows: Sequence[Any] = _read(session, query, params)
    if window is not None:  # read from the invoices: the statement yields its sort columns too
        rows = [r[:SHOWN] for r in rows]
    return _rows(rows, _due_items(session, [r[0] for r in rows if r[12] == 0], clock.now()))


def aggregate_list(session: Session, *, clock: Clock, grace: int | None = None) -> list[CallListRow]:
    """The whole list added up from the invoices, without the balances: the reference the
    kept balances must match (``callcoach check`` and the tests compare the two)."""
    params = _params(session, clock, grace, None, None, 0)
    rows = [r[:SHOWN] for r in _read(session, aggregate_statement(False, False), params)]
    return _rows(rows, _due_items(session, [r[0] for r in rows if r[12] == 0], clock.now()))


def _read(session: Session, query: Select[Any], params: dict[str, object]) -> Sequence[Any]:
    """The list's rows through the session's connection, not the session: the statement's
    columns come from the tables' classes, so the session would copy every row it is handed
    once more (a getter call per column, then a second row object: about a microsecond a row).
    What the session holds unwritten is written first, as the session itself would do."""
    session.flush()
    return session.connection().execute(query, params).all()


def _rows(rows: Sequence[Any], due: dict[int, list[DueItem]]) -> list[CallListRow]:
    """The list's rows as the desk shows them: what a page costs beyond its query is this loop.

    Every column already arrives as the row holds it, on both engines (the SQL casts its sums
    to integers, the column types read dates and flags), so only the counts a part leaves
    empty become 0, the group becomes two flags and the few last calls are made aware. The generated ``__init__`` of
    a frozen dataclass sets each of the 17 fields through ``object.__setattr__`` (about 1.7 µs
    a row, more than the rest of the loop); each row's fields are handed over in one dict
    instead, which is what that ``__init__`` leaves behind (``tests/services/test_calllist.py``
    checks every field is there)."""
    new, fill = object.__new__, object.__setattr__
    shown: list[CallListRow] = []
    add = shown.append
    for (
        debtor_id,
        name,
        currency,
        cents,
        oldest,
        n,
        flag,
        last,
        pending,
        broken,
        disputes,
        disputed,
        grp,
        plan,
        later,
    ) in rows:
        row = new(CallListRow)
        fill(
            row,
            "__dict__",
            {
                "debtor_id": debtor_id,
                "name": name,
                "currency": currency,
                "overdue_cents": cents,
                "oldest_due": oldest,
                "overdue_invoices": n,
                "in_difficulty": flag,
                "last_contact": last if last is None else _utc(last),
                "promises_pending": pending or 0,
                "promises_broken": broken or 0,
                "open_disputes": disputes,
                "disputed_cents": disputed,
                "due_now": grp == 0,
                "waiting": grp == 2,
                "due": (due.get(debtor_id) or []) if grp == 0 else [],
                "plans_pending": plan or 0,
                "callbacks_later": later or 0,
            },
        )
        add(row)
    return shown


def _utc(moment: datetime) -> datetime:
    """A last call as the list shows it, aware and in UTC: SQLite hands back the naive UTC it
    stores, a server the moment in its session's time zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _statement(filtered: bool, paged: bool, window: DueWindow | None, mine: bool) -> Select[Any]:
    """An aging bucket picked on the overview is read from its invoices (its due dates are
    the point); every other list from the balances."""
    if window is not None:
        return aggregate_statement(filtered, paged, True, mine)
    return ranked_statement(filtered, paged, mine)


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
    statement = _statement(bool(name_filter), False, window, mine is not None)
    query = select(func.count()).select_from(statement.order_by(None).subquery())
    params = _params(session, clock, grace, name_filter, None, 0, window) | {"me": mine}
    return int(session.execute(query, params).one()[0])


def page_sql(engine: Engine, *, clock: Clock, name_filter: str | None = None) -> str:
    """The first page's SQL with its values inlined: what the benchmark runs in the bare driver."""
    with Session(engine) as session:
        params = _params(session, clock, None, name_filter, PAGE, 0)
    query = _statement(bool(name_filter), True, None, False).params(**params)
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

        values["needle"] = name_key(name_filter)
    if limit is not None:
        values |= {"limit": limit, "offset": offset, "top": limit + offset}
    if window is not None:
        values |= {
            "w_currency": window.currency,
            "w_oldest": window.oldest_due or date.min,
            "w_newest": window.newest_due or date.max,
        }
    return values


def _due_items(session: Session, debtor_ids: list[int], now: datetime) -> dict[int, list[DueItem]]:
    if not debtor_ids:
        return {}
    items: dict[int, list[DueItem]] = {}
    # The four columns shown, not the follow-ups as ORM objects (each one tracked by the session).
    for debtor_id, kind, what, due_at in session.execute(
        select(col(FollowUp.debtor_id), col(FollowUp.kind), col(FollowUp.what), col(FollowUp.due_at))
        .where(col(FollowUp.debtor_id).in_(debtor_ids), col(FollowUp.done_at).is_(None), col(FollowUp.due_at) <= now)
        .order_by(col(FollowUp.due_at))
    ):
        items.setdefault(debtor_id, []).append(DueItem(kind, what, due_at))
    return items


@dataclass(frozen=True)
class DayFigures:
    overdue_by_currency: dict[str, int]
    calls_today: int
    promises_due_today: int
    due_today: int = 0
    late: int = 0


def whole_day(clock: Clock) -> Clock:
    """The clock at the end of its day: what is due at any time today is due this morning
    (a callback at 14:00 is on the morning's agenda)."""
    end_of_day = clock.start_of(clock.today()) + timedelta(hours=23, minutes=59)
    return Clock.fixed(max(end_of_day, clock.now()), clock.tz, what_if=clock.what_if)


@dataclass(frozen=True)
class DueToday:
    debtors: int  # debtors of the call list due today: a follow-up due by tonight, or a promise broken
    late: int  # of them, those with a follow-up that was due before today


def due_today(session: Session, *, clock: Clock, grace: int | None = None, mine: int | None = None) -> DueToday:
    """Who is due today, counted on the call list's own query: the desk's header and
    ``callcoach today`` (the rows of ``call_list(clock=whole_day(clock))`` marked due_now)
    give the same answer. Every debtor due now is one the list ranks by aggregate (something
    to follow), so the count reads that part only."""
    rows = aggregate_statement(False, False, False, mine is not None, special=True).order_by(None).subquery()
    day_start = bindparam("day_start", clock.start_of(clock.today()), type_=MOMENT)
    missed = and_(rows.c.due_key > literal(FAR_PAST, MOMENT), rows.c.due_key < day_start)
    query = select(func.count(), func.coalesce(func.sum(case((missed, 1), else_=0)), 0)).where(rows.c.grp == 0)
    params = _params(session, whole_day(clock), grace, None, None, 0) | {"me": mine}
    debtors, late = session.execute(query, params).one()
    return DueToday(int(debtors), int(late))


def day_figures(session: Session, *, clock: Clock, mine: int | None = None) -> DayFigures:
    """The desk's top line. "Due" and "late" count debtors, as ``due_today`` does for
    ``callcoach today``."""
    today = clock.today()
    start = clock.start_of(today)
    tomorrow = start + timedelta(days=1)
    totals = overdue_totals(session, today=today)

    def count(query: Any) -> int:
        return int(session.exec(query).one()[0])

    calls = count(
        select(func.count()).select_from(Call).where(col(Call.started_at) >= start, col(Call.started_at) < tomorrow)
    )
    promises = count(
        select(func.count())
        .select_from(Promise)
        .where(col(Promise.status) == PromiseStatus.PENDING, col(Promise.due_date) == today)
    )
    due = due_today(session, clock=clock, mine=mine)
    return DayFigures(totals, calls, promises, due.debtors, due.late)
