"""What each debtor owes, kept beside the invoices so the call list never adds them up.

A ``balance`` row holds, per debtor and currency, the call list's figures (the amount to
ask for, the oldest due date, the overdue invoices, the disputed part) counted over the
open invoices due before its ``horizon``, the day it was last refreshed. The list asks for
another day ``today``: the row still answers while no open invoice falls due between the
two (``counted_to < today <= next_due``); a debtor whose row does not is recomputed from
its invoices at read time, and refreshed at the desk's next settle.

The database itself notes which debtors a write touched (triggers on invoices, disputes and
debtors' names fill ``balance_change``, whatever wrote: the ORM, a bulk import, COPY, a
forget), and every write transaction refreshes those debtors before it commits, in one
set-based statement. Until then the list treats them as stale, so no write can leave a
wrong amount on screen. ``callcoach check`` recomputes every row and repairs any drift.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Date, Engine, Integer, bindparam, event, text
from sqlmodel import Session

from callcoach.domain.claims import HOME_CURRENCY

TODAY = "callcoach_today"  # session.info key: the day a write happens, the refresh's horizon
MANY = 2_000  # past this many debtors, one pass over every invoice beats a pass per debtor
CHUNK = 500

FIGURES = (
    "name_key",
    "home_rank",
    "claim_cents",
    "oldest_due",
    "overdue_count",
    "disputed_cents",
    "owed_cents",
    "counted_to",
    "next_due",
    # What the list shows beside the amounts (0020): counted per debtor, the same in each currency's row.
    "name",
    "in_difficulty",
    "collector_id",
    "last_call",
    "open_disputes",
)


DEBTOR = "d.name_key, d.name, d.in_difficulty, d.collector_id"  # the debtor's columns a balance row holds
PER_DEBTOR_HORIZON = (
    "LEFT JOIN (SELECT debtor_id, MAX(horizon) AS h FROM balance GROUP BY debtor_id) hz ON hz.debtor_id = i.debtor_id"
)


def _their_invoices(where: str) -> str:
    """The debtors' condition for the disputes: by their invoices, as the list counts them."""
    return where.replace("AND i.debtor_id", "AND invoice_id IN (SELECT id FROM invoice WHERE debtor_id") + (
        ")" if where else ""
    )


def _figures_sql(horizon: str, where: str) -> str:
    """Per debtor and currency, the call list's figures over the open invoices due before
    ``horizon``: the mirror of ``calllist._claimable_sql`` (and so of
    ``domain.claims.claimable_by_currency``), plus the due dates that bound its validity."""
    due = f"i.due_date < {horizon}"
    claim = "i.amount_cents - i.paid_cents - COALESCE(x.amount, 0)"
    return f"""
SELECT i.debtor_id, i.currency, d.name_key,
       CASE WHEN i.currency = '{HOME_CURRENCY}' THEN 0 ELSE 1 END,
       SUM(CASE WHEN {due} AND {claim} > 0 THEN {claim} ELSE 0 END),
       MIN(CASE WHEN {due} THEN i.due_date END),
       SUM(CASE WHEN {due} AND i.amount_cents > i.paid_cents THEN 1 ELSE 0 END),
       SUM(CASE WHEN {due} THEN COALESCE(x.amount, 0) ELSE 0 END),
       SUM(CASE WHEN {due} AND i.amount_cents > i.paid_cents THEN i.amount_cents - i.paid_cents ELSE 0 END),
       MAX(CASE WHEN {due} THEN i.due_date END),
       MIN(CASE WHEN NOT ({due}) THEN i.due_date END),
       d.name, d.in_difficulty, d.collector_id,
       (SELECT MAX(c.started_at) FROM call c WHERE c.debtor_id = i.debtor_id),
       (SELECT COUNT(*) FROM dispute s WHERE s.debtor_id = i.debtor_id AND s.status = 'open'),
       {horizon}
FROM invoice i
JOIN debtor d ON d.id = i.debtor_id
LEFT JOIN (
    SELECT invoice_id, SUM(amount_cents) AS amount FROM dispute
    WHERE status = 'open' AND invoice_id IS NOT NULL {_their_invoices(where)}
    GROUP BY invoice_id
) x ON x.invoice_id = i.id
{PER_DEBTOR_HORIZON if "hz." in horizon else ""}
WHERE i.status = 'open' {where}
GROUP BY i.debtor_id, i.currency, {DEBTOR}{", hz.h" if "hz." in horizon else ""}
"""


COLUMNS = "debtor_id, currency, " + ", ".join(FIGURES) + ", horizon"
UPSERT = " ON CONFLICT (debtor_id, currency) DO UPDATE SET " + ", ".join(
    f"{name} = excluded.{name}" for name in (*FIGURES, "horizon")
)
VANISHED = (
    "DELETE FROM balance WHERE debtor_id IN :ids AND NOT EXISTS (SELECT 1 FROM invoice i "
    "WHERE i.debtor_id = balance.debtor_id AND i.currency = balance.currency AND i.status = 'open')"
)
REFRESH_LOCK = 0x63616C6C  # PostgreSQL advisory lock: one balance refresh at a time
_HORIZON = bindparam("horizon", type_=Date)
_IDS = bindparam("ids", type_=Integer, expanding=True)


def refresh(conn: Connection, debtor_ids: Iterable[int] | None, today: date) -> int:
    """Recompute the balances of these debtors (None: every debtor) from their invoices, as of
    ``today``; return how many debtors were refreshed (-1: all).

    On a server, refreshes take turns (an advisory lock held to the commit): each then reads
    the invoices as the previous one left them, so two collectors' writes on one debtor
    cannot leave the balance of whichever counted first. The notes in ``balance_change`` are
    removed before the invoices are read, so a note added meanwhile is never lost."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REFRESH_LOCK})
    if debtor_ids is None:
        conn.execute(text("DELETE FROM balance_change"))
        conn.execute(text("DELETE FROM balance"))
        conn.execute(text(f"INSERT INTO balance ({COLUMNS}) {_figures_sql(':horizon', '')}"), {"horizon": today})
        _total_from_scratch(conn)  # whatever the totals held before (a copy, a drift), they follow the rows now
        if conn.dialect.name == "postgresql":
            # A rebuild follows a large write (an import, a move): without fresh statistics the
            # server would plan the list for empty tables, and read whole ones to answer it.
            for table in ("balance", "invoice", "debtor"):
                conn.execute(text(f"ANALYZE {table}"))
        return -1
    ids = sorted(set(debtor_ids))
    if len(ids) > MANY:
        return refresh(conn, None, today)
    upsert = text(f"INSERT INTO balance ({COLUMNS}) {_figures_sql(':horizon', 'AND i.debtor_id IN :ids')}{UPSERT}")
    upsert = upsert.bindparams(_HORIZON, _IDS)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        conn.execute(text("DELETE FROM balance_change WHERE debtor_id IN :ids").bindparams(_IDS), {"ids": chunk})
        conn.execute(upsert, {"ids": chunk, "horizon": today})
        conn.execute(text(VANISHED).bindparams(_IDS), {"ids": chunk})
    return len(ids)


def stale_debtors(conn: Connection, today: date) -> list[int]:
    """The debtors whose stored balance does not answer for ``today``: an invoice fell due
    since it was counted (or, for a day before its horizon, was counted too early), or a
    write touched them and they were not refreshed yet."""
    found = conn.execute(
        text(
            "SELECT debtor_id FROM balance WHERE next_due < :today "
            "UNION SELECT debtor_id FROM balance WHERE counted_to >= :today "
            "UNION SELECT DISTINCT debtor_id FROM balance_change"
        ).bindparams(bindparam("today", type_=Date)),
        {"today": today},
    )
    return [int(r[0]) for r in found]


def refresh_stale(session: Session, today: date) -> int:
    """Bring every balance to ``today``: the desk does it when it settles the list, so a day
    that moves on costs one pass over the debtors with an invoice newly due."""
    conn = session.connection()
    stale = stale_debtors(conn, today)
    return refresh(conn, stale, today) if stale else 0


def note_today(session: Session, today: date) -> None:
    """The day of this transaction's writes: the horizon its balance refresh counts from."""
    session.info[TODAY] = today


@event.listens_for(Session, "before_commit")
def _refresh_changed(session: Session) -> None:
    """Every write transaction leaves the balances it touched up to date (the triggers named
    them in ``balance_change``). A read transaction never writes: a debtor another program
    left stale is recomputed at read time until the next write refreshes it."""
    from callcoach.db.engine import WROTE, is_read_only

    bind = session.get_bind()
    if not isinstance(bind, Engine) or not session.in_transaction():
        return
    if not bind.get_execution_options().get("sqlite_immediate", True) or is_read_only(bind):
        return
    session.flush()
    conn = session.connection()
    changed = {int(r[0]) for r in conn.execute(text("DELETE FROM balance_change RETURNING debtor_id"))}
    if changed:
        today = session.info.get(TODAY) or datetime.now(UTC).date()  # only a horizon: see the module's docstring
        refresh(conn, changed, today)
        conn.info.pop(WROTE, None)  # the transaction's own writes already told the other desks


# ---------------------------------------------------------------- check and repair
@dataclass(frozen=True)
class Drift:
    """A balance that is not what the invoices say: ``stored`` or ``recomputed`` is None when
    the row is missing on that side."""

    debtor_id: int
    currency: str
    stored: dict[str, object] | None
    recomputed: dict[str, object] | None

    def differences(self) -> dict[str, tuple[object, object]]:
        stored, recomputed = self.stored or {}, self.recomputed or {}
        return {
            name: (stored.get(name), recomputed.get(name))
            for name in FIGURES
            if stored.get(name) != recomputed.get(name)
        }


def _normal(values: Iterable[object]) -> dict[str, object]:
    """A row's figures with dates as dates and sums as ints, whatever the engine handed back."""
    out: dict[str, object] = {}
    for name, value in zip(FIGURES, values, strict=True):
        if value is None or name in AS_READ:
            pass
        elif name in DAYS:
            value = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        else:
            value = int(cast(Any, value))
        out[name] = value
    return out


DAYS = ("oldest_due", "counted_to", "next_due")
AS_READ = ("name_key", "name", "last_call")  # compared as the engine hands them back, stored and recomputed alike


def drift(session: Session, *, today: date) -> list[Drift]:
    """Every balance row compared with the invoices, each at the row's own horizon (a debtor
    without a row: at ``today``). Debtors waiting in ``balance_change`` are not drift: the
    list already recomputes them, and the next write refreshes them."""
    conn = session.connection()
    pending = {int(r[0]) for r in conn.execute(text("SELECT debtor_id FROM balance_change"))}
    stored = {
        (int(r[0]), str(r[1])): _normal(r[2:])
        for r in conn.execute(text(f"SELECT debtor_id, currency, {', '.join(FIGURES)} FROM balance"))
    }
    recomputed = {
        (int(r[0]), str(r[1])): _normal(r[2 : 2 + len(FIGURES)])
        for r in conn.execute(
            text(_figures_sql("COALESCE(hz.h, :horizon)", "")).bindparams(_HORIZON), {"horizon": today}
        )
    }
    found = []
    for key in sorted(stored.keys() | recomputed.keys()):
        if key[0] in pending or stored.get(key) == recomputed.get(key):
            continue
        found.append(Drift(key[0], key[1], stored.get(key), recomputed.get(key)))
    return found


def overdue_totals(session: Session, *, today: date) -> dict[str, int]:
    """What is overdue on ``today`` per currency, disputes included (the day bar's figure):
    the kept total, corrected for the few debtors whose balance does not answer for today
    (their stored part taken off, their invoices added up instead)."""
    conn = session.connection()
    stale = (
        "SELECT debtor_id FROM balance WHERE next_due < :today UNION SELECT debtor_id FROM balance "
        "WHERE counted_to >= :today UNION SELECT debtor_id FROM balance_change"
    )
    day = bindparam("today", type_=Date)
    totals: dict[str, int] = {str(c): int(o) for c, o in conn.execute(text(TOTALS))}
    for currency, owed in conn.execute(
        text(
            f"SELECT currency, SUM(owed_cents) FROM balance WHERE debtor_id IN ({stale}) GROUP BY currency"
        ).bindparams(day),
        {"today": today},
    ):
        totals[str(currency)] = totals.get(str(currency), 0) - int(owed)
    for currency, owed in conn.execute(
        text(
            "SELECT currency, SUM(amount_cents - paid_cents) FROM invoice WHERE status = 'open' "
            f"AND due_date < :today AND amount_cents > paid_cents AND debtor_id IN ({stale}) GROUP BY currency"
        ).bindparams(day),
        {"today": today},
    ):
        totals[str(currency)] = totals.get(str(currency), 0) + int(owed)
    return {currency: owed for currency, owed in sorted(totals.items()) if owed > 0}


TOTALS = "SELECT currency, owed_cents FROM balance_total"
SUMMED = "SELECT currency, SUM(owed_cents) FROM balance GROUP BY currency"


def total_drift(session: Session) -> list[tuple[str, int, int]]:
    """Per currency where they differ: the kept total and the balances' sum (currency, stored, summed)."""
    conn = session.connection()
    stored = {str(c): int(o) for c, o in conn.execute(text(TOTALS))}
    summed = {str(c): int(o) for c, o in conn.execute(text(SUMMED))}
    return [
        (c, stored.get(c, 0), summed.get(c, 0))
        for c in sorted(stored.keys() | summed.keys())
        if stored.get(c, 0) != summed.get(c, 0)
    ]


def repair_totals(session: Session) -> None:
    _total_from_scratch(session.connection())


def _total_from_scratch(conn: Connection) -> None:
    conn.execute(text("DELETE FROM balance_total"))
    conn.execute(text(f"INSERT INTO balance_total (currency, owed_cents) {SUMMED}"))


def repair(session: Session, drifted: list[Drift], *, today: date) -> int:
    """Recompute the drifted debtors' balances (as of ``today``); return how many."""
    ids = {d.debtor_id for d in drifted}
    if ids:
        refresh(session.connection(), ids, today)
    return len(ids)
