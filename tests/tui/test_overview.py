"""The overview on the demo ledger: its four parts at both sizes, and a bucket picked."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets import DataTable

from callcoach.domain.clock import Clock
from callcoach.services.desk import Desk
from callcoach.tui.app import CallCoachApp
from callcoach.tui.screens.desk import DeskScreen
from callcoach.tui.screens.overview import OverviewScreen
from callcoach.tui.widgets.call_list import CallList
from tests.factories import demo_ledger_at

DEMO_DAY = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.fixture
def demo(tmp_path: Path) -> Engine:
    from callcoach.services.store import open_ledger

    path = tmp_path / "demo.sqlite"
    demo_ledger_at(path, Clock.fixed(DEMO_DAY, UTC))
    engine = open_ledger(path)
    yield engine
    engine.dispose()


def _app(engine: Engine, lang: str = "en") -> CallCoachApp:
    return CallCoachApp(Desk(engine, clock=Clock.fixed(DEMO_DAY, UTC), lang=lang), recover=False, demo=True)


async def _open_overview(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+o")
    # The figures are added up in a thread, then the screen is pushed with them: wait for
    # both, then for every refresh that follows (the plots draw at their laid-out size).
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, OverviewScreen) and screen.figures is not None:
            break
    assert isinstance(screen, OverviewScreen) and screen.figures is not None
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_overview_120x40(demo: Engine, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_app(demo), terminal_size=(120, 40), run_before=_open_overview)


def test_overview_80x24_fr(demo: Engine, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_app(demo, "fr"), terminal_size=(80, 24), run_before=_open_overview)


def _debtors_91_days_late(db: Path) -> set[str]:
    """Read from the file as another tool would: debtors owing an invoice due 91+ days ago."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "SELECT DISTINCT d.name FROM invoice i JOIN debtor d ON d.id = i.debtor_id "
            "WHERE i.status = 'open' AND i.amount_cents > i.paid_cents AND i.due_date <= '2026-08-27'"
        ).fetchall()
    finally:
        con.close()
    return {name for (name,) in rows}


async def test_picking_91_days_leaves_only_those_debtors(demo: Engine) -> None:
    app = _app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        desk = app.screen
        assert isinstance(desk, DeskScreen)
        everyone = {row.name for row in desk.query_one(CallList)._shown}
        await _open_overview(pilot)
        table = app.screen.query_one("#aging-table", DataTable)
        assert table.has_focus
        while str(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value) != "EUR:late_91":
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is desk
        listed = {row.name for row in desk.query_one(CallList)._shown}
        expected = _debtors_91_days_late(Path(str(demo.url.database)))
        assert listed == expected and 0 < len(listed) < len(everyone)
        assert "91+ days" in str(desk.query_one(CallList).border_title)
        assert desk.query_one(CallList).total == len(expected)
        await pilot.press("escape")  # everyone again
        await pilot.pause()
        assert {row.name for row in desk.query_one(CallList)._shown} == everyone


async def test_not_yet_due_is_not_a_list_to_call(demo: Engine) -> None:
    app = _app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_overview(pilot)
        await pilot.press("enter")  # the first row: not yet due
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        assert any("nobody to call" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen) and app.screen.query_one(CallList).window is None
