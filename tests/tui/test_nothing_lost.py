"""Issue 16 in the desk, as a collector meets it: a second window on the same call,
nonstop typing, an erasure while the call is open, a busy or read-only ledger, the crash
screen's keys."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callcoach.domain.clock import Clock
from callcoach.services.calls import CallTaken
from callcoach.services.desk import Desk
from callcoach.services.privacy import forget_debtor
from callcoach.services.store import open_ledger
from callcoach.tui.app import CallCoachApp
from callcoach.tui.screens.confirm import ConfirmScreen
from callcoach.tui.screens.crash import CrashScreen
from callcoach.tui.widgets.notes_pane import NotesPane
from tests.factories import rows

SIZE = (120, 40)


def notes_of(db_path: Path) -> list[str]:
    return [str(r[0]) for r in rows(db_path, "select notes from call order by id")]


async def until(pilot, check, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for ``check()`` to hold, the app's workers done, ``seconds`` at most."""
    for _ in range(int(seconds / 0.1)):
        await pilot.app.workers.wait_for_complete()
        if check():
            return
        await pilot.pause(0.1)
    assert check(), [n.message for n in pilot.app._notifications]


def status(app: CallCoachApp) -> str:
    return str(app.screen.query_one("#call-status").render())


async def test_nonstop_typing_reaches_the_ledger_while_typing(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        typed = ""
        # A key at least every quarter of a second, never a pause long enough for a debounce.
        for key in "abcdefghijklmnop":
            await pilot.press(key)
            typed += key
            await asyncio.sleep(0.12)
        saved = notes_of(db_path)[0]
        assert len(saved) >= 4 and typed.startswith(saved)  # saved while the typing went on


def window_a(db_path: Path, moving) -> tuple[Desk, int, int]:  # type: ignore[no-untyped-def]
    """Another window (its own engine and lease) in a call on the first debtor, notes "A1"."""
    other = Desk(open_ledger(db_path), clock=Clock(now=moving, tz=UTC), lang="en")
    first = other.call_list(settle=False)[0]
    held = other.start_call(first.debtor_id, None)
    other.save_draft(held.id, notes="A1", stage=None, excuses=[])
    return other, held.id, first.debtor_id


async def test_a_second_window_sees_the_call_read_only_and_calls_someone_else(
    make_app, db_path: Path, moving  # type: ignore[no-untyped-def]
) -> None:
    _, _, debtor = window_a(db_path, moving)
    app = make_app()  # window B
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        assert desk.current is None  # A's call is not resumed here
        await until(pilot, lambda: "Open in another window since 09:30" in status(app))
        area = desk.query_one(NotesPane).area
        assert area.read_only and area.text == "A1"
        await pilot.press("down", "f2")  # another debtor: B calls them at once
        assert desk.current is not None and desk.current.debtor_id != debtor
        await pilot.press(*"B1")
        await until(pilot, lambda: notes_of(db_path) == ["A1", "B1"])


async def test_a_second_window_takes_the_call_over_only_on_confirmation(
    make_app, db_path: Path, moving  # type: ignore[no-untyped-def]
) -> None:
    other, call_id, _ = window_a(db_path, moving)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        await until(pilot, lambda: desk.held is not None)
        await pilot.press("f2")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # leave it
        assert desk.current is None
        await pilot.press("f2", "enter")  # take it over
        assert desk.current is not None and desk.current.call.id == call_id
        await pilot.press(*" B1")
        await until(pilot, lambda: notes_of(db_path) == ["A1 B1"])
    with pytest.raises(CallTaken):  # and A stops writing: its next save is refused
        other.save_draft(call_id, notes="A1 A2", stage=None, excuses=[])
    assert notes_of(db_path) == ["A1 B1"]


async def test_the_first_window_is_told_and_stops_writing(make_app, db_path: Path, moving) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        await pilot.press("f2", *"A1")
        await until(pilot, lambda: notes_of(db_path) == ["A1"])
        call_id = desk.current.call.id
        taker = Desk(open_ledger(db_path), clock=Clock(now=moving, tz=UTC), lang="en")
        taker.take_over(call_id, confirmed=True)
        taker.save_draft(call_id, notes="A1 B1 B2", stage=None, excuses=[])
        await pilot.press(*" A2")
        await until(pilot, lambda: desk.current is None)
        area = desk.query_one(NotesPane).area
        assert area.read_only and area.text == "A1 A2"  # kept on screen, to copy
        assert any("taken over in another window" in n.message for n in app._notifications)
        await pilot.press("x")
        await pilot.pause(1.0)
        await app.workers.wait_for_complete()
    assert notes_of(db_path) == ["A1 B1 B2"]


async def test_forget_is_not_undone_by_the_open_desk(make_app, ledger: Engine, db_path: Path, isolated_home: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        await pilot.press("f2", *"SECRET")
        await until(pilot, lambda: notes_of(db_path) == ["SECRET"])
        forget_debtor(ledger, debtor_id=desk.current.debtor_id, clock=Clock.fixed(desk.desk.clock.now()))
        await pilot.press("x")
        await until(pilot, lambda: desk.current is None)
        assert desk.query_one(NotesPane).area.text == ""
        assert any("data was erased" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
    assert b"SECRET" not in db_path.read_bytes()
    assert not list((isolated_home / "state").glob("draft-call-*"))


async def test_a_busy_ledger_still_opens_the_desk(
    ledger: Engine, db_path: Path, moving, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("CALLCOACH_BUSY_MS", "300")
    engine = open_ledger(db_path)
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another program holds the write lock throughout
    try:
        app = CallCoachApp(Desk(engine, clock=Clock(now=moving, tz=UTC), lang="en"), recover=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert not isinstance(app.screen, CrashScreen)
            assert app.screen.query_one("#calls").row_count == 3
            await pilot.press("f2")
            await until(pilot, lambda: any("busy" in n.message for n in app._notifications))
            assert app.screen.current is None
    finally:
        writer.execute("ROLLBACK")
        writer.close()


async def test_a_read_only_ledger_opens_read_only_and_says_so(
    ledger: Engine, db_path: Path, moving, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr("callcoach.services.store._writable", lambda path: False)
    before = db_path.read_bytes()
    app = CallCoachApp(Desk(open_ledger(db_path), clock=Clock(now=moving, tz=UTC), lang="fr"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#calls").row_count == 3
        assert any("lecture seule" in n.message for n in app._notifications)
        await pilot.press("f2")
        assert app.screen.current is None
    assert db_path.read_bytes() == before


async def test_escape_on_the_crash_screen_quits(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(CrashScreen("Something went wrong", "notes saved"))
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 1
