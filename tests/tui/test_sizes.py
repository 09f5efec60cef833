"""The desk and every form at the sizes collectors' terminals have (80x24, 100x30, 120x40):
nothing a collector needs is cut, every form's buttons are in view. Review the report before
updating (``--snapshot-update -k test_sizes``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable

from tests.tui.conftest import START

SIZES = [(80, 24), (100, 30), (120, 40)]
# What to press on the desk to reach each screen (the first debtor, Gamma, is called).
SCREENS = {
    "desk": [],
    "desk_in_call": ["f2", *"Le client confirme, paiement demain.", "f6", "f6"],
    "outcome": ["f2", *"Accord.", "f3"],
    "excuse": ["f2", "f4"],
    "plan": ["f2", "f8"],
    "payment": ["f9"],
    "history": ["f7"],
    "contact": ["f2", "f10"],
    "keys": ["f1"],
}


def _still(pilot) -> None:  # type: ignore[no-untyped-def]
    """No blinking cursor: the picture must not depend on timing."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_sizes(make_app, snap_compare, screen: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    lang = "fr" if size == (80, 24) else "en"

    async def reach(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await pilot.press(*SCREENS[screen])
        await pilot.pause()
        _still(pilot)
        await pilot.pause()

    assert snap_compare(make_app(lang), terminal_size=size, run_before=reach)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sizes_setup(ledger, clock, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from callcoach.db.engine import session_scope
    from callcoach.services.desk import Desk
    from callcoach.services.settings import set_settings
    from callcoach.tui.app import CallCoachApp

    with session_scope(ledger) as session:  # a new collector: the first start asks
        set_settings(session, {"collector_name": "", "company": ""})
    app = CallCoachApp(Desk(ledger, clock=clock, lang="fr" if size == (80, 24) else "en"), recover=False)

    async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        _still(pilot)

    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sizes_double_call(make_app, moving, snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def call_twice(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f2", *"Promis vendredi.", "f3", "ctrl+s")
        await pilot.pause()
        while pilot.app.screen.__class__.__name__ != pilot.app.desk_screen_class.__name__:
            await pilot.press("escape")
        moving.moment = START + timedelta(minutes=20)
        table = pilot.app.screen.query_one("#calls", DataTable)
        table.move_cursor(row=table.row_count - 1)
        await pilot.pause()
        await pilot.press("f2", *"on")
        await pilot.pause()

    assert snap_compare(make_app("fr" if size == (80, 24) else "en"), terminal_size=size, run_before=call_twice)
