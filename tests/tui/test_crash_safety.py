"""A failing widget never costs the notes: error screen, draft saved, report without personal data."""

from __future__ import annotations

import sqlite3
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callcoach.domain.clock import Clock
from callcoach.services.desk import Desk
from callcoach.tui.app import CallCoachApp
from callcoach.tui.screens.crash import CrashScreen
from callcoach.tui.widgets.script_pane import ScriptPane
from tests.waiting import until


async def test_a_raising_widget_shows_where_the_notes_are(
    ledger: Engine,
    moving,
    db_path: Path,  # type: ignore[no-untyped-def]
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = CallCoachApp(Desk(ledger, clock=Clock(now=moving, tz=UTC), lang="en"))  # recovery on, as for a user
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", *"Secret note about Gamma")

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("boom with Gamma's private details")

        monkeypatch.setattr(ScriptPane, "show_stage", broken)
        # As F6 would, but Pilot cannot wait out a key whose handler raised.
        app.screen.call_later(app.screen.action_stage, 1)
        # Pilot cannot wait for idle once a screen has failed: wait for the crash screen itself.
        await until(
            lambda: isinstance(app.screen, CrashScreen) and app.screen.query("#crash-body"), what="crash screen"
        )
        body = str(app.screen.query_one("#crash-body").render())
        assert "saved in the database (call #1)" in body
        assert str(isolated_home / "state" / "crash.log") in body
        assert app.is_running
    con = sqlite3.connect(db_path)
    assert con.execute("select notes, ended_at from call").fetchall() == [("Secret note about Gamma", None)]
    con.close()
    report = (isolated_home / "state" / "crash.log").read_text()
    assert "RuntimeError" in report and "in show_script" in report
    assert "Gamma" not in report and "Secret" not in report


async def test_notes_go_to_a_file_when_the_database_cannot_take_them(
    ledger: Engine,
    moving,  # type: ignore[no-untyped-def]
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = Desk(ledger, clock=Clock(now=moving, tz=UTC), lang="en")
    app = CallCoachApp(desk, recover=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", *"Keep me")
        from callcoach.services.errors import StoreError

        def full(*args: object, **kwargs: object) -> None:
            raise StoreError("ledger.sqlite: disk full; nothing was saved")

        monkeypatch.setattr(desk, "save_draft", full)
        where = app.screen.rescue_draft()
    saved = isolated_home / "state" / "draft-call-1.json"
    assert where == str(saved)
    assert '"notes": "Keep me"' in saved.read_text()
    assert saved.stat().st_mode & 0o777 == 0o600


async def test_after_a_crash_the_call_comes_back_at_the_next_start(
    ledger: Engine,
    moving,
    db_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = CallCoachApp(Desk(ledger, clock=Clock(now=moving, tz=UTC), lang="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", *"Half-written", "f6")

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("boom")

        monkeypatch.setattr(ScriptPane, "show_stage", broken)
        app.screen.call_later(app.screen.action_stage, 1)
        await until(lambda: isinstance(app.screen, CrashScreen), what="crash screen")
        app.exit(1)  # what Enter does on the crash screen
    monkeypatch.undo()
    again = CallCoachApp(Desk(ledger, clock=Clock(now=moving, tz=UTC), lang="en"), recover=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # continue the interrupted call (the question answers to Enter, never a letter)
        desk = again.screen
        assert desk.current is not None
        assert desk.query_one("#notes").text == "Half-written"
        assert desk.desk.script.stages[desk.stage] == "negotiate"  # it had moved on when it failed
