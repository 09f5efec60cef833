"""Two collectors' desks on one ledger, side by side (SQLite file and PostgreSQL server):
one call per debtor, each list following the other's work within a second, nothing lost."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from textual.widgets import DataTable, Input

from callcoach.db.engine import session_scope
from callcoach.db.tables import Call, Promise
from callcoach.domain.clock import Clock
from callcoach.services import collectors
from callcoach.services.desk import Desk
from callcoach.services.store import open_ledger
from callcoach.tui.app import CallCoachApp
from callcoach.tui.screens.desk import DeskScreen

pytestmark = pytest.mark.both_engines
SIZE = (120, 40)


def _rows(app: CallCoachApp) -> list[str]:
    table = app.screen.query_one("#calls", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def _until(condition, what: str, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        await asyncio.sleep(0.05)


async def test_two_collectors_one_call_per_debtor_and_a_live_list(
    ledger: Engine, ledger_location: Path | str, moving
) -> None:  # type: ignore[no-untyped-def]
    with session_scope(ledger) as session:
        camille = collectors.add_collector(session, name="Camille Martin").id
        sam = collectors.add_collector(session, name="Sam Okafor").id
    clock = Clock(now=moving, tz=UTC)
    engine_b = open_ledger(ledger_location)  # the other desk is another process: its own engine
    app_a = CallCoachApp(Desk(ledger, clock=clock, lang="en", collector_id=camille), recover=False)
    app_b = CallCoachApp(Desk(engine_b, clock=clock, lang="en", collector_id=sam), recover=False)
    try:
        async with app_a.run_test(size=SIZE) as pilot_a, app_b.run_test(size=SIZE) as pilot_b:
            assert _rows(app_a) == _rows(app_b) == ["Gamma", "Beta SA", "Alpha SARL"]
            await pilot_a.press("f2", *"Gamma's owner: pays on the 30th")
            desk_a = app_a.screen
            assert isinstance(desk_a, DeskScreen) and desk_a.current is not None

            await pilot_b.press("f2")  # Sam on Gamma too
            await pilot_b.pause()
            desk_b = app_b.screen
            assert isinstance(desk_b, DeskScreen) and desk_b.current is None  # refused
            await _until(lambda: desk_b.held is not None, "B sees Gamma held")
            assert desk_b.held is not None and desk_b.held.by == "Camille Martin"

            await pilot_a.press("f3")
            app_a.screen.query_one("#amount", Input).value = "1000"
            await pilot_a.press("ctrl+s")
            await pilot_a.pause()
            assert _rows(app_a) == ["Beta SA", "Alpha SARL", "Gamma"]
            # B pressed nothing: its list follows A's ended call by itself.
            await _until(lambda: _rows(app_b) == ["Beta SA", "Alpha SARL", "Gamma"], "B's list follows A's call")
    finally:
        engine_b.dispose()
    with session_scope(ledger) as session:
        call = session.exec(select(Call)).scalars().one()  # type: ignore[call-overload]
        assert call.notes == "Gamma's owner: pays on the 30th" and call.collector_id == camille
        promise = session.exec(select(Promise)).scalars().one()  # type: ignore[call-overload]
        assert promise.amount_cents == 100_000 and promise.collector_id == camille
