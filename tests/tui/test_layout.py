"""The desk at the sizes collectors' terminals have: nothing a collector needs is cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets import DataTable

from callcoach.domain.clock import Clock
from callcoach.services.desk import Desk
from callcoach.services.store import open_ledger
from callcoach.tui.app import CallCoachApp
from callcoach.tui.widgets.call_list import NAME_FLOOR, clip, layout
from tests.factories import demo_ledger_at


@pytest.fixture
def demo(tmp_path: Path, clock: Clock) -> Engine:
    path = tmp_path / "demo.sqlite"
    demo_ledger_at(path, clock)
    engine = open_ledger(path)
    yield engine
    engine.dispose()


async def test_no_demo_debtor_name_is_cut_at_120_columns(demo: Engine, clock: Clock) -> None:
    app = CallCoachApp(Desk(demo, clock=clock, lang="en"), recover=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        call_list = app.screen.query_one("#call-list")
        table = app.screen.query_one("#calls", DataTable)
        shown = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert shown == [row.name for row in call_list._shown]
        assert not any(name.endswith("…") for name in shown)
        assert [c.key.value for c in table.columns.values()] == ["name", "overdue", "state", "age", "last"]


async def test_at_80_columns_the_list_keeps_name_amount_and_state(demo: Engine, clock: Clock) -> None:
    app = CallCoachApp(Desk(demo, clock=clock, lang="fr"), recover=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#calls", DataTable)
        assert [c.key.value for c in table.columns.values()] == ["name", "overdue", "state"]
        assert all(str(table.get_row_at(i)[1]).endswith("€") for i in range(table.row_count))
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert [c.key.value for c in table.columns.values()] == ["name", "overdue", "state", "age", "last"]


def test_columns_give_way_to_the_name_in_order() -> None:
    widths = [layout(w) for w in range(30, 140)]
    assert all(name >= NAME_FLOOR or columns == ("state", "overdue") for name, columns in widths)
    assert [len(columns) for _, columns in widths] == sorted(len(columns) for _, columns in widths)
    assert clip("Office de tourisme des Trois Vallées", 12) == "Office de t…"


async def test_home_end_and_escape_on_the_desk(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one("#calls", DataTable)
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        assert table.scroll_x == 0
        await pilot.press("f1")
        assert app.screen.query("HelpPanel")
        await pilot.press("escape")
        assert not app.screen.query("HelpPanel")


async def test_the_footer_offers_what_the_moment_needs(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("fr")
    async with app.run_test(size=(80, 24)) as pilot:
        desk = app.screen

        def shown() -> list[str]:
            return [b.binding.id for b in desk.active_bindings.values() if b.binding.show and b.binding.id]

        assert shown()[0] == "call.start" and "call.end" not in shown() and "app.keys" in shown()
        await pilot.press("f2")
        await pilot.pause()
        assert shown()[0] == "call.end" and "call.start" not in shown() and "app.keys" in shown()
