"""The whole call, driven as a collector would, then checked in the SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, TextArea

from callcoach.tui.screens.confirm import ConfirmScreen
from callcoach.tui.screens.desk import DeskScreen
from callcoach.tui.screens.excuses import ExcuseScreen
from callcoach.tui.screens.outcome import OutcomeScreen
from callcoach.tui.widgets.checklist import Checklist
from tests.factories import rows
from tests.tui.conftest import START

SIZE = (120, 40)


def title(widget) -> str:  # type: ignore[no-untyped-def]
    """A border title as painted (the public getter's markup round-trip loses brackets)."""
    return widget._border_title.plain if widget._border_title else ""


def subtitle(widget) -> str:  # type: ignore[no-untyped-def]
    return widget._border_subtitle.plain if widget._border_subtitle else ""


def script_text(app) -> str:  # type: ignore[no-untyped-def]
    # As read: the pane wraps lines itself and keeps numbers whole with no-break spaces.
    return " ".join(str(app.screen.query_one("#stage-text").render()).replace("\u00a0", " ").split())


async def test_promise_call_from_first_debtor_to_saved_rows(make_app, moving, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        assert isinstance(desk, DeskScreen)
        table = desk.query_one("#calls", DataTable)
        assert str(table.get_row_at(0)[0]) == "Gamma"  # 1 000 € and the oldest
        assert subtitle(desk.query_one(Checklist)) == "Gamma"

        await pilot.press("f2")
        assert desk.current is not None
        await pilot.press(*"Spoke to the owner.")
        assert "Intro" in title(desk.query_one("#script"))
        assert "Camille Martin" in script_text(app) and "C-1" in script_text(app)

        await pilot.press("f6")
        assert "[Listen]" in title(desk.query_one("#script"))
        await pilot.press("f4")
        assert isinstance(app.screen, ExcuseScreen)
        await pilot.press("down", "enter")  # the cheque is in the post
        await pilot.pause()
        assert "cheque number" in script_text(app)
        await pilot.press(*"0042")
        notes = desk.query_one("#notes", TextArea).text
        assert "Cheque no.: 0042" in notes

        await pilot.press("f6")
        assert "When will you pay?" in script_text(app)  # negotiate keeps the three questions
        await pilot.press("f6")
        assert "[Close]" in title(desk.query_one("#script"))

        moving.moment = START + timedelta(minutes=4, seconds=30)
        await pilot.press("f3")
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        assert form.query_one("#method").value == "cheque"  # what the excuse captured fills the form
        form.query_one("#amount", Input).value = "250"
        form.query_one("#date", Input).value = "27/11/2026"
        await pilot.pause()
        assert "you pay €250.00 by cheque, tomorrow, 27 November at the latest" in str(
            form.query_one("#recap").render()
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
        assert desk.current is None

    calls = rows(
        db_path,
        "select c.debtor_id, d.name, c.started_at, c.ended_at, c.stage_reached, "
        "c.excuses, c.notes, c.outcome, c.contact_id from call c join debtor d on d.id = c.debtor_id",
    )
    assert len(calls) == 1
    debtor_id, name, started, ended, stage, excuses, notes, outcome, contact = calls[0]
    assert (name, stage, excuses, outcome, contact) == ("Gamma", "close", "cheque_in_post", "promise", None)
    assert started.startswith("2026-11-26 09:30:00") and ended.startswith("2026-11-26 09:34:30")
    assert notes.startswith('Spoke to the owner.\n— "The cheque is in the post"\n  Cheque no.: 0042')
    promises = rows(db_path, "select debtor_id, amount_cents, currency, due_date, method, status, call_id from promise")
    assert promises == [(debtor_id, 25000, "EUR", "2026-11-27", "cheque", "pending", 1)]


async def test_a_promised_debtor_moves_below_those_to_call(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        table = desk.query_one("#calls", DataTable)
        before = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert before == ["Gamma", "Beta SA", "Alpha SARL"]
        await pilot.press("f2", "f3")
        app.screen.query_one("#amount", Input).value = "1000"
        await pilot.press("ctrl+s")
        await pilot.pause()
        after = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert after == ["Beta SA", "Alpha SARL", "Gamma"]
        assert table.cursor_row == 2  # the cursor followed Gamma to its new place
        assert str(table.get_row_at(2)[2]) == "◷"  # the state column: a promise running
        assert "Calls today 1" in str(desk.query_one("#day-bar").render())


async def test_cancelling_the_form_keeps_the_call_and_everything_typed(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", *"Call me back after lunch")
        await pilot.press("f3")
        form = app.screen
        form.query_one("#outcome", Select).value = "callback"
        await pilot.pause()
        form.query_one("#time", Input).value = "14:30"
        await pilot.press("escape")
        desk = app.screen
        assert isinstance(desk, DeskScreen) and desk.current is not None
        assert desk.query_one("#notes", TextArea).text == "Call me back after lunch"
        await pilot.press("f3")
        form = app.screen
        assert form.query_one("#outcome", Select).value == "callback"
        assert form.query_one("#time", Input).value == "14:30"
        assert rows(db_path, "select ended_at from call") == [(None,)]


async def test_an_incomplete_outcome_is_refused_with_the_reason(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f3")
        form = app.screen
        form.query_one("#outcome", Select).value = "callback"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert "time: enter a time (HH:MM)" in str(form.query_one("#errors").render())
        form.query_one("#date", Input).value = "01/01/2020"
        form.query_one("#time", Input).value = "14:00"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "date: the date is in the past" in str(form.query_one("#errors").render())
    assert rows(db_path, "select count(*) from followup") == [(0,)]
    assert rows(db_path, "select ended_at from call") == [(None,)]


async def test_the_reasons_are_given_in_french_on_a_french_desk(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f3")
        form = app.screen
        form.query_one("#outcome", Select).value = "callback"
        form.query_one("#date", Input).value = "31/02/2027"
        form.query_one("#time", Input).value = "25h"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = str(form.query_one("#errors").render())
        assert "date : cette date n'existe pas : '31/02/2027'" in shown
        assert "heure : cette heure n'existe pas : '25h'" in shown
        form.query_one("#outcome", Select).value = "promise"
        form.query_one("#date", Input).value = "+2"
        form.query_one("#amount", Input).value = "0"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "montant : saisissez un montant supérieur à zéro" in str(form.query_one("#errors").render())


async def test_callback_and_dispute_write_their_records(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f3")
        form = app.screen
        form.query_one("#outcome", Select).value = "dispute"
        await pilot.pause()
        form.query_one("#amount", Input).value = "1000"
        form.query_one("#reason", Input).value = "damaged brochures"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("f2", "f3")  # Gamma is now disputed in full: Beta SA is on top
        form = app.screen
        form.query_one("#outcome", Select).value = "callback"
        await pilot.pause()
        form.query_one("#date", Input).value = "+1"
        form.query_one("#time", Input).value = "14h"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert rows(
        db_path,
        "select d.name, i.number, x.amount_cents, x.reason, x.status, i.status "
        "from dispute x join debtor d on d.id = x.debtor_id join invoice i on i.id = x.invoice_id",
    ) == [("Gamma", "C-1", 100000, "damaged brochures", "open", "disputed")]
    assert rows(db_path, "select d.name, f.kind, f.due_at from followup f join debtor d on d.id = f.debtor_id") == [
        ("Beta SA", "callback", "2026-11-27 14:00:00.000000")
    ]


async def test_moving_the_cursor_and_filtering(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        await pilot.press("down")
        assert subtitle(desk.query_one(Checklist)) == "Beta SA"
        assert "on two invoices; the oldest has been overdue since" in script_text(app)
        await pilot.press("slash", *"alp")
        await pilot.pause()
        table = desk.query_one("#calls", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Alpha SARL"]
        assert subtitle(desk.query_one(Checklist)) == "Alpha SARL"
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 3


async def test_checklist_items_tick_and_count(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        checklist = desk.query_one(Checklist)
        checklist.focus()
        total = len(checklist.items)
        await pilot.press("space", "down", "space")
        assert f"checklist ready: 2/{total}" in subtitle(desk.query_one("#script"))
        warnings = [line.text for item in checklist.items for line in item.lines if line.warning]
        assert "⚠ no contact: ask for the name of the person in charge" in warnings
        assert "⚠ no e-mail: a copy cannot be sent during the call" in warnings
        desk.query_one("#calls").focus()
        await pilot.press("down", "down")  # Alpha SARL: a contact whose authority is unknown
        lines = [line.text for item in checklist.items for line in item.lines]
        assert "Ask for Ann Alpha (—) — —" in lines
        assert "payment authority unknown: ask" in lines
        assert "⚠ no decision-maker known: ask who can release the payment" in lines


async def test_notes_survive_a_closed_app_and_come_back(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", *"Half a sentence", "f6")
        # The draft is written 0.8 s after the last keystroke, with no key pressed: wait for it (5 s at most).
        expected = [("Half a sentence", "listen", None)]
        for _ in range(50):
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            if rows(db_path, "select notes, stage_reached, ended_at from call") == expected:
                break
        assert rows(db_path, "select notes, stage_reached, ended_at from call") == expected
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        assert isinstance(again.screen, ConfirmScreen)  # continue the call, or end it?
        assert "Half a sentence" in str(again.screen.query_one(".body").render())
        await pilot.press("enter")
        desk = again.screen
        assert desk.current is not None
        assert desk.query_one("#notes", TextArea).text == "Half a sentence"
        assert "[Listen]" in title(desk.query_one("#script"))


async def test_quitting_saves_the_last_keystrokes(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", *"typed just before quitting", "ctrl+q")
    assert rows(db_path, "select notes from call") == [("typed just before quitting",)]


async def test_french_desk(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        table = desk.query_one("#calls", DataTable)
        assert str(table.get_row_at(0)[1]) == "1\u202f000,00\u00a0€"
        await pilot.press("f2")
        assert "Bonjour, Camille Martin, de la société Atelier Lumen" in script_text(app)
        assert "Appeler" in str([b.description for _, b in desk._bindings])


@pytest.fixture
def short_busy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requested before the ledger, so its engine waits 0.2 s for a lock instead of 10."""
    monkeypatch.setenv("CALLCOACH_BUSY_MS", "200")


async def test_a_locked_database_keeps_the_call_and_says_why(
    short_busy_wait,
    make_app,  # type: ignore[no-untyped-def]
    db_path: Path,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", *"Promised Friday")
        await pilot.press("f3")
        form = app.screen
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, OutcomeScreen)
            assert "database is busy" in str(form.query_one("#errors").render())
        finally:
            other.execute("ROLLBACK")
            other.close()
        await pilot.press("ctrl+s")  # the lock is gone: the same entry saves
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
    assert rows(db_path, "select notes, outcome from call") == [("Promised Friday", "promise")]


async def test_an_interrupted_call_can_be_ended_at_once_with_its_form_as_it_was(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", *"Callback Monday", "f3")
        form = app.screen
        form.query_one("#outcome", Select).value = "callback"
        await pilot.pause()
        form.query_one("#time", Input).value = "10:30"
        await pilot.press("escape")
        await pilot.press("ctrl+q")  # the form's values are part of the saved draft
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("escape")  # end it now
        await pilot.pause()
        form = again.screen
        assert isinstance(form, OutcomeScreen)
        assert form.query_one("#outcome", Select).value == "callback"
        assert form.query_one("#time", Input).value == "10:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert rows(db_path, "select notes, outcome from call") == [("Callback Monday", "callback")]


async def test_a_long_list_loads_page_by_page(make_app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A desk's ledger is never loaded whole: a page, then the next as the cursor nears its end."""
    import callcoach.tui.widgets.call_list as call_list_module

    monkeypatch.setattr(call_list_module, "PAGE", 2)  # the widget pages through the list
    monkeypatch.setattr(call_list_module, "NEAR_END", 1)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        table = desk.query_one("#calls", DataTable)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert subtitle(desk.query_one("#call-list")) == "3"  # counted apart from the page
        assert table.row_count == 2
        await pilot.press("down")  # the last loaded row: the next page comes
        await pilot.pause()
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Gamma", "Beta SA", "Alpha SARL"]
        await pilot.press("down")
        assert subtitle(desk.query_one(Checklist)) == "Alpha SARL"
