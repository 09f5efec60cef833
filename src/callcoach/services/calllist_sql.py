"""The call list's SQL: the order of services/calllist.py, answered from the balances.

Two parts, one statement, one snapshot. Debtors with something to follow (a follow-up not
done, a promise pending or broken) and debtors whose balance row does not answer for
``today`` (see services/balances.py) are few whatever the ledger's size: they are ranked by
:func:`aggregate_statement`, the list's original query, over their own invoices only.
Everyone else is in the middle group and owes what their balance row says: the database
reads the first page of them in order from ``ix_balance_rank`` and stops, reading nothing
else (the row holds the name, flag, collector, last call and open disputes; on a server the
index carries them too). The union is sorted once more, on the same keys, so the order is
exactly the aggregate query's (tests/services/test_balances.py compares the two on
generated ledgers, on both engines).

On a server the statement's plan is kept on the connection and reused: the values that
shape it (the day, the page's size) are written into the SQL, and a typed name is found
by position rather than by LIKE, so no read and no keystroke makes the server plan again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import col
from sqlmodel.sql.sqltypes import UTCDateTime

from callcoach.db.tables import Balance, BalanceChange, Call, Debtor, Dispute, FollowUp, Invoice, Promise
from callcoach.domain.claims import HOME_CURRENCY
from callcoach.domain.kinds import DisputeStatus, FollowUpKind, InvoiceStatus, PromiseStatus

FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)
DAY = Date()
MOMENT = UTCDateTime()  # the type of every datetime column (aware UTC)
# The last call as the driver's moment, read without MOMENT's Python step for every row (most
# rows have none): services/calllist.py makes the few there are aware and UTC.
LAST_CALL = DateTime(timezone=True)
# Written into the SQL, not bound: only then can the database use a partial index, whose
# condition it must see in the query.
IS_OPEN = col(Invoice.status) == literal(InvoiceStatus.OPEN.value, literal_execute=True)
OWED = col(Balance.claim_cents) > literal(0, literal_execute=True)
WATCHED = (PromiseStatus.PENDING.value, PromiseStatus.BROKEN.value)

# The columns every part yields, in order; the last three only sort.
COLUMNS = (
    "debtor_id",
    "name",
    "currency",
    "claimable",
    "oldest_due",
    "n",
    "in_difficulty",
    "last_call",
    "pending",
    "broken",
    "disputes",
    "disputed",
    "grp",
    "plan",
    "later",
    "home",
    "due_key",
    "name_key",
)


def _written(name: str, type_: Any) -> Any:
    """A value written into the SQL rather than bound. The server keeps one plan per statement
    on the connection, made without the bound values; told only "a day", it must expect a
    third of the balances to be out of date and plans to add up half the ledger (a hundred
    times slower at a million invoices), so it plans the statement again at every read. With
    the day and the page's size in the text, the kept plan is the right one: the text
    changes once a day and once a page."""
    return bindparam(name, type_=type_, literal_execute=True)


def _today() -> Any:
    return _written("today", DAY)


def _page(query: Select[Any]) -> Select[Any]:
    return query.limit(_written("limit", Integer)).offset(_written("offset", Integer))


def special_debtors() -> CompoundSelect:
    """The debtors the aggregate ranks: something to follow, or a balance that does not
    answer for today (an invoice fell due since it was counted, or a write not yet refreshed)."""
    today = _today()
    return union(
        select(col(FollowUp.debtor_id)).where(col(FollowUp.done_at).is_(None)),
        select(col(Promise.debtor_id)).where(
            col(Promise.status).in_([literal(s, literal_execute=True) for s in WATCHED])
        ),
        select(col(Balance.debtor_id)).where(col(Balance.next_due) < today),
        select(col(Balance.debtor_id)).where(col(Balance.counted_to) >= today),
        select(col(BalanceChange.debtor_id)),
    )


@lru_cache(maxsize=16)
def ranked_statement(filtered: bool, paged: bool, mine: bool) -> Select[Any]:
    """The whole list (or one page): the special debtors' rows, and the balances' first
    ``top`` rows (``offset + limit``) in the middle group's order, sorted together."""
    aggregated = aggregate_statement(filtered, False, False, mine, special=True).order_by(None)
    owed = _balances_part(filtered, paged, mine).subquery("owed")
    ranked = union_all(aggregated, select(*owed.c)).subquery("ranked")
    query = select(*(ranked.c[name] for name in COLUMNS[:15])).order_by(
        ranked.c.grp,
        ranked.c.home,
        ranked.c.currency,
        ranked.c.due_key,
        ranked.c.claimable.desc(),
        ranked.c.oldest_due.asc(),
        ranked.c.name_key,
    )
    if paged:
        query = _page(query)
    return query


def _balances_part(filtered: bool, paged: bool, mine: bool) -> Select[Any]:
    """Debtors in the middle group, from their balance rows alone, in the list's order: the
    database walks ``ix_balance_rank`` and stops after ``top`` rows, reading nothing else
    (the row holds the debtor's name, flag, collector, last call and open disputes)."""
    nothing = cast(null(), BigInteger)  # typed: a server will not match an untyped NULL with a count
    columns: list[Any] = [
        col(Balance.debtor_id),
        col(Balance.name),
        col(Balance.currency),
        col(Balance.claim_cents),
        col(Balance.oldest_due),
        col(Balance.overdue_count),
        col(Balance.in_difficulty),
        type_coerce(col(Balance.last_call), LAST_CALL),
        nothing,
        nothing,
        cast(col(Balance.open_disputes), BigInteger),
        col(Balance.disputed_cents),
        literal(1, Integer),
        nothing,
        nothing,
        col(Balance.home_rank),
        cast(null(), MOMENT),
        col(Balance.name_key),
    ]
    # In this order: SQLite tests each entry's conditions as written, and a typed name,
    # checked on the index entry alone, turns most entries away before the lookup among the
    # special debtors (a filtered page walks about seven entries for each row it shows).
    kept = [OWED]
    if filtered:
        kept.append(_named(col(Balance.name_key)))
    kept.append(col(Balance.debtor_id).not_in(special_debtors()))
    if mine:
        kept.append(_mine(col(Balance.collector_id)))
    query = (
        select(*(c.label(name) for c, name in zip(columns, COLUMNS, strict=True)))
        .where(*kept)
        .order_by(
            col(Balance.home_rank),
            col(Balance.currency),
            col(Balance.claim_cents).desc(),
            col(Balance.oldest_due),
            col(Balance.name_key),
        )
    )
    if paged:
        query = query.limit(_written("top", Integer))
    return query


class found_in(FunctionElement[int]):
    """Where a text starts inside another (1 for the start, 0 when absent): ``strpos`` on a
    server, ``instr`` on SQLite."""

    type = Integer()
    inherit_cache = True
    name = "found_in"


@compiles(found_in)
def _instr(element: found_in, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(found_in, "postgresql")
def _strpos(element: found_in, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


def _named(name_key: Any) -> ColumnElement[bool]:
    """The typed name found anywhere in the debtor's name key. Not ``LIKE '%...%'``: for a
    LIKE the server estimates how many names each typed text matches and plans the list
    again at every keystroke (a millisecond at a million invoices); a position has no such
    estimate, so one plan, kept on the connection, serves every keystroke."""
    return found_in(name_key, bindparam("needle", type_=String)) > literal(0, literal_execute=True)


def _mine(collector_id: Any) -> ColumnElement[bool]:
    """A team's collector: their own debtors and the shared pool."""
    return or_(collector_id.is_(None), collector_id == bindparam("me", type_=Integer))


@lru_cache(maxsize=16)
def aggregate_statement(
    filtered: bool, paged: bool, windowed: bool = False, mine: bool = False, *, special: bool = False
) -> Select[Any]:
    """The list as one aggregate over the open invoices: the reference the balances must
    match, and the ranking of the few debtors they do not cover (``special``)."""
    today = _today()
    now = bindparam("now", type_=MOMENT)
    overdue = _claimable_sql(today)
    matching = None
    # Filtered before the sums, so a typed name adds up only the invoices of the debtors it
    # names; the few special debtors are found first, then their names read, not every name.
    debtors: Any = special_debtors() if special else None
    if filtered:
        matching = _named(col(Debtor.name_key))
        named = select(col(Debtor.id)).where(matching)
        debtors = named if debtors is None else named.where(col(Debtor.id).in_(debtors))
    if debtors is not None:
        overdue = overdue.where(col(Invoice.debtor_id).in_(debtors))
    if windowed:
        overdue = overdue.where(col(Invoice.currency) == bindparam("w_currency", type_=String))
        overdue = overdue.where(col(Invoice.debtor_id).in_(_in_window()))
    owed = overdue.subquery("overdue")
    # Looked up for each debtor listed, not added up over every call and dispute the desk
    # ever made: the desk's history grows for years, the list must not grow with it.
    last_call = select(func.max(col(Call.started_at))).where(col(Call.debtor_id) == col(Debtor.id)).scalar_subquery()
    open_disputes = (
        select(func.count())
        .select_from(Dispute)
        .where(col(Dispute.debtor_id) == col(Debtor.id), col(Dispute.status) == DisputeStatus.OPEN)
        .scalar_subquery()
    )
    promises = _promises_sql()
    due_follow_ups = (
        select(col(FollowUp.debtor_id).label("debtor_id"), func.min(col(FollowUp.due_at)).label("first"))
        .where(col(FollowUp.done_at).is_(None), col(FollowUp.due_at) <= now)
        .group_by(col(FollowUp.debtor_id))
        .subquery("due_follow_ups")
    )
    later_callbacks = (
        select(col(FollowUp.debtor_id).label("debtor_id"), func.count().label("n"))
        .where(col(FollowUp.kind) == FollowUpKind.CALLBACK, col(FollowUp.done_at).is_(None), col(FollowUp.due_at) > now)
        .group_by(col(FollowUp.debtor_id))
        .subquery("later_callbacks")
    )
    broken = func.coalesce(promises.c.broken, 0)
    is_due_now = or_(due_follow_ups.c.first.is_not(None), broken > 0)
    is_waiting = func.coalesce(promises.c.pending, 0) + func.coalesce(later_callbacks.c.n, 0) > 0
    group = case((is_due_now, 0), (is_waiting, 2), else_=1)
    home = case((owed.c.currency == HOME_CURRENCY, 0), else_=1)
    due_first = func.coalesce(due_follow_ups.c.first, literal(FAR_PAST))
    due_key = case((is_due_now, due_first), else_=literal(FAR_PAST))
    # The same key for the union's sort: empty outside the first group, as in the balances' part.
    due_column = case((is_due_now, due_first), else_=cast(null(), MOMENT))
    claimable = owed.c.claimable
    columns = (
        col(Debtor.id),
        col(Debtor.name),
        owed.c.currency,
        claimable,
        owed.c.oldest_due,
        owed.c.n,
        col(Debtor.in_difficulty),
        type_coerce(last_call, LAST_CALL),
        promises.c.pending,
        promises.c.broken,
        open_disputes,
        owed.c.disputed,
        group,
        promises.c.plan,
        later_callbacks.c.n,
        home,
        due_column,
        col(Debtor.name_key),
    )
    query = (
        select(*(c.label(name) for c, name in zip(columns, COLUMNS, strict=True)))
        .join(owed, owed.c.debtor_id == col(Debtor.id))
        .outerjoin(promises, promises.c.debtor_id == col(Debtor.id))
        .outerjoin(due_follow_ups, due_follow_ups.c.debtor_id == col(Debtor.id))
        .outerjoin(later_callbacks, later_callbacks.c.debtor_id == col(Debtor.id))
        .order_by(
            group,
            # Amounts in different currencies cannot be compared without a rate: euros first,
            # then each other currency ranked on its own.
            home,
            owed.c.currency,
            due_key,
            claimable.desc(),
            owed.c.oldest_due.asc(),
            col(Debtor.name_key),
        )
    )
    if matching is not None:
        query = query.where(matching)
    if mine:
        query = query.where(_mine(col(Debtor.collector_id)))
    if paged:
        query = _page(query)
    return query


def _promises_sql() -> Any:
    """Per debtor: promises pending and not late, broken (or late past the grace days), and
    pending instalments of a plan."""
    late_limit = bindparam("late_limit", type_=DAY)
    pending = col(Promise.status) == PromiseStatus.PENDING
    on_time = and_(pending, col(Promise.due_date) >= late_limit)
    late = or_(col(Promise.status) == PromiseStatus.BROKEN, and_(pending, col(Promise.due_date) < late_limit))
    in_plan = and_(on_time, func.coalesce(col(Promise.instalment_count), 1) > 1)
    return (
        select(
            col(Promise.debtor_id).label("debtor_id"),
            func.sum(case((on_time, 1), else_=0)).label("pending"),
            func.sum(case((late, 1), else_=0)).label("broken"),
            func.sum(case((in_plan, 1), else_=0)).label("plan"),
        )
        .where(col(Promise.status).in_([PromiseStatus.PENDING, PromiseStatus.BROKEN]))
        .group_by(col(Promise.debtor_id))
        .subquery("promises")
    )


def _in_window() -> Select[Any]:
    """The debtors owing an open invoice in the window's currency and due dates."""
    inner = aliased(Invoice)
    return select(col(inner.debtor_id)).where(
        col(inner.status) == literal(InvoiceStatus.OPEN.value, literal_execute=True),
        col(inner.currency) == bindparam("w_currency", type_=String),
        col(inner.due_date) >= bindparam("w_oldest", type_=DAY),
        col(inner.due_date) <= bindparam("w_newest", type_=DAY),
        col(inner.amount_cents) > col(inner.paid_cents),
    )


def _claimable_sql(today: Any) -> Any:
    """The amount to ask for per debtor and currency, in SQL: the mirror of
    ``domain.claims.claimable_by_currency`` (each open overdue invoice's remainder less its
    open disputed part, never below zero). tests/services/test_claims_agree.py proves both
    give the same figures on generated ledgers; services/balances.py keeps the same sums."""
    remaining = col(Invoice.amount_cents) - col(Invoice.paid_cents)
    disputed = (
        select(col(Dispute.invoice_id).label("invoice_id"), func.sum(col(Dispute.amount_cents)).label("amount"))
        .where(col(Dispute.status) == DisputeStatus.OPEN, col(Dispute.invoice_id).is_not(None))
        .group_by(col(Dispute.invoice_id))
        .subquery("disputed")
    )
    # Sums of cents stay integers: a server would otherwise hand back each figure as a decimal.
    on_invoice = func.coalesce(cast(disputed.c.amount, BigInteger), 0)
    claim = remaining - on_invoice
    claim_cents = cast(func.sum(case((claim > 0, claim), else_=0)), BigInteger)
    return (
        select(
            col(Invoice.debtor_id).label("debtor_id"),
            col(Invoice.currency).label("currency"),
            claim_cents.label("claimable"),
            func.min(col(Invoice.due_date)).label("oldest_due"),
            func.sum(case((remaining > 0, 1), else_=0)).label("n"),
            cast(func.sum(on_invoice), BigInteger).label("disputed"),
        )
        .select_from(Invoice)
        .outerjoin(disputed, disputed.c.invoice_id == col(Invoice.id))
        .where(IS_OPEN, col(Invoice.due_date) < today)
        .group_by(col(Invoice.debtor_id), col(Invoice.currency))
        .having(claim_cents > 0)
    )
