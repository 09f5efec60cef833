"""The call list order: overdue amount first, then age (domain 1.1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.services.calllist import call_list, day_figures
from tests.factories import FR_HEADER, fr_line, import_file, small_ledger, write_export


def test_ordered_by_amount_then_age(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    small_ledger(tmp_path, engine, clock)
    with session_scope(engine) as s:
        rows = call_list(s, clock=clock)
    # Alpha, Beta and Gamma each owe 1 000 €: the oldest overdue comes first.
    # Delta is not yet due; Epsilon has paid.
    assert [(r.name, r.overdue_cents, r.age_days(clock.today())) for r in rows] == [
        ("Gamma", 100000, 178),
        ("Beta SA", 100000, 148),
        ("Alpha SARL", 100000, 56),
    ]
    assert rows[1].overdue_invoices == 2


def test_larger_amount_beats_older_age(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    path = write_export(
        tmp_path / "e.csv",
        [
            FR_HEADER,
            fr_line("OLD", "Old Small", date(2025, 1, 1), date(2025, 2, 1), "100,00"),
            fr_line("NEW", "New Large", date(2026, 10, 1), date(2026, 11, 1), "100,01"),
        ],
    )
    import_file(engine, path, clock)
    with session_scope(engine) as s:
        assert [r.name for r in call_list(s, clock=clock)] == ["New Large", "Old Small"]


def test_filter_limit_and_figures(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    small_ledger(tmp_path, engine, clock)
    with session_scope(engine) as s:
        assert [r.name for r in call_list(s, clock=clock, name_filter="BÉTA")] == ["Beta SA"]
        assert [r.name for r in call_list(s, clock=clock, name_filter="beta")] == ["Beta SA"]
        assert len(call_list(s, clock=clock, limit=2)) == 2
        figures = day_figures(s, clock=clock)
    assert figures.overdue_by_currency == {"EUR": 300000}
    assert (figures.calls_today, figures.promises_due_today) == (0, 0)


def test_as_of_a_later_day_brings_new_debtors_due(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    small_ledger(tmp_path, engine, clock)
    with session_scope(engine) as s:
        later = call_list(s, clock=Clock.on(date(2026, 12, 15), clock.tz))
    assert later[0].name == "Delta"


@pytest.mark.sqlite_only  # SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans are the bench's concern
def test_the_list_query_reads_the_balances_in_order_and_the_few_others_by_index(engine: Engine, clock: Clock) -> None:
    from sqlalchemy import text

    from callcoach.services.calllist import page_sql

    with engine.connect() as conn:
        plan = conn.execute(text("EXPLAIN QUERY PLAN " + page_sql(engine, clock=clock))).fetchall()
        typed = conn.execute(text("EXPLAIN QUERY PLAN " + page_sql(engine, clock=clock, name_filter="al"))).fetchall()
    # The middle group walks the balances in the list's order (no sort of every debtor), from
    # the index alone (0022: it holds every column the list shows), for a typed name too ...
    assert any("SCAN balance USING COVERING INDEX ix_balance_rank" in str(row) for row in plan)
    assert any("SCAN balance USING COVERING INDEX ix_balance_rank" in str(row) for row in typed)
    # ... and the few debtors ranked from their invoices are found by index, not by a scan.
    assert any("invoice USING" in str(row) and "ix_invoice_open" in str(row) for row in plan)
    assert not any(str(row[3]) in ("SCAN invoice", "SCAN balance", "SCAN debtor") for row in plan)
    # The page's SQL is the one the desk runs: the open status is written in, not bound.
    assert "status = 'open'" in page_sql(engine, clock=clock)


def test_every_row_holds_every_field_in_its_own_type(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    """A page's rows are filled without the dataclass's ``__init__`` (services/calllist.py,
    ``_rows``): each read still hands back every field, in the type it is declared with, and
    a row stays read-only. Waiting, due now, disputed and called debtors, on every path
    (page, filter, aging bucket, the aggregate reference)."""
    from dataclasses import FrozenInstanceError, fields
    from datetime import datetime, timedelta
    from datetime import time as clock_time

    from callcoach.domain.kinds import FollowUpKind, Outcome
    from callcoach.domain.outcomes import OutcomeEntry
    from callcoach.services.calllist import CallListRow, DueWindow, aggregate_list
    from callcoach.services.desk import Desk

    small_ledger(tmp_path, engine, clock)
    desk = Desk(engine, clock=clock, lang="en")
    beta = next(r for r in desk.call_list() if r.name == "Beta SA").debtor_id
    call = desk.start_call(beta, None)
    entry = OutcomeEntry(outcome=Outcome.CALLBACK, on=clock.today() + timedelta(days=2), at=clock_time(9, 30))
    desk.end_call(call.id, entry, notes="Call back.", stage="close", excuses=[], recap=False)
    later = Clock.on(clock.today() + timedelta(days=3), clock.tz)
    with session_scope(engine, write=False) as s:
        today, due = call_list(s, clock=clock), call_list(s, clock=later)
        reads = [
            today,
            due,
            call_list(s, clock=clock, limit=2, offset=1),
            call_list(s, clock=clock, name_filter="beta"),
            call_list(s, clock=later, window=DueWindow("EUR")),
            aggregate_list(s, clock=later),
        ]
    ZERO = timedelta(0)  # aware, in UTC
    declared = {f.name for f in fields(CallListRow)}
    for row in (row for read in reads for row in read):
        assert set(vars(row)) == declared
        assert all(type(getattr(row, n)) is int for n in declared if n.endswith(("_cents", "_id", "s_later")))
        assert type(row.oldest_due) is date and type(row.in_difficulty) is bool
        assert row.last_contact is None or (type(row.last_contact) is datetime and row.last_contact.utcoffset() == ZERO)
        for name in ("overdue_invoices", "promises_pending", "promises_broken", "open_disputes", "plans_pending"):
            assert type(getattr(row, name)) is int
        with pytest.raises(FrozenInstanceError):
            row.name = "changed"  # type: ignore[misc]
    waiting = next(r for r in today if r.debtor_id == beta)
    assert (waiting.waiting, waiting.due_now, waiting.callbacks_later, waiting.due) == (True, False, 1, [])
    assert waiting.last_contact is not None
    now_due = next(r for r in due if r.debtor_id == beta)
    assert (now_due.waiting, now_due.due_now, now_due.callbacks_later) == (False, True, 0)
    assert now_due.callback_due is not None and now_due.callback_due.kind == FollowUpKind.CALLBACK
    assert all(r.due == [] and not r.due_now for r in today if r.debtor_id != beta)
