"""After a call with an agreement, the recap e-mail is shown for review, copied, and sent."""

from __future__ import annotations

from datetime import UTC, date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from sqlalchemy import Engine
from textual.widgets import Input, Static, TextArea

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.services.desk import Desk
from callcoach.services.settings import set_setting
from callcoach.tui.app import CallCoachApp
from callcoach.tui.screens.desk import DeskScreen
from callcoach.tui.screens.history import HistoryScreen
from callcoach.tui.screens.outcome import OutcomeScreen
from callcoach.tui.screens.recap import RecapScreen
from tests.conftest import Inbox
from tests.factories import FR_HEADER, fr_line, import_file, rows, write_export
from tests.waiting import until

SIZE = (120, 40)


def _ledger(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    lines = [
        FR_HEADER,
        fr_line(
            "R-7",
            "[bold]Rossi[/] SA",
            date(2026, 9, 1),
            date(2026, 10, 1),
            "1 200,00",
            contact="Anna Rossi",
            email="anna@rossi.example",
        ),
    ]
    import_file(engine, write_export(tmp_path / "e.csv", lines), clock)
    with session_scope(engine) as session:
        for name, value in {
            "collector_name": "Camille Martin",
            "company": "Atelier Lumen",
            "email": "camille@lumen.example",
            "iban": "FR7630006000011234567890189",
        }.items():
            set_setting(session, name, value)


async def _save_promise(app: CallCoachApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """A call on the first debtor ended with a promise of 1,200.00 for 30/11/2026: Ctrl+S pressed."""
    await pilot.press("f2", *"Agreed on a transfer.", "f3")
    form = app.screen
    assert isinstance(form, OutcomeScreen)
    form.query_one("#amount", Input).value = "1200"
    form.query_one("#date", Input).value = "30/11/2026"
    await pilot.pause()
    await pilot.press("ctrl+s")


async def _end_with_promise(app: CallCoachApp, pilot) -> RecapScreen:  # type: ignore[no-untyped-def]
    await _save_promise(app, pilot)
    await until(lambda: isinstance(app.screen, RecapScreen), what="the recap shown after the call")
    await app.workers.wait_for_complete()  # its file written meanwhile
    await pilot.pause()
    recap = app.screen
    assert isinstance(recap, RecapScreen)
    return recap


async def test_recap_is_reviewed_copied_and_sent(tmp_path: Path, engine: Engine, clock: Clock, smtp: Inbox) -> None:
    _ledger(tmp_path, engine, clock)
    app = CallCoachApp(Desk(engine, clock=Clock(now=lambda: clock.now(), tz=UTC), lang="en"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        recap = await _end_with_promise(app, pilot)
        shown = " ".join(str(w.render()) for w in recap.query(Static))
        assert "To: Anna Rossi <anna@rossi.example>" in shown
        assert "Attachments: " in shown and ".png" in shown  # the EPC QR code
        body = recap.query_one("#recap-body", TextArea).text
        assert (
            "vous procédez au règlement de 1\u202f200,00\xa0€" in body and "lundi 30 novembre 2026" in body
        )  # in the debtor's language
        assert "\r" not in body
        assert "In the outbox: s to send it now" in str(recap.query_one("#recap-state").render())

        await pilot.press("c")
        assert app.clipboard.startswith("To: Anna Rossi <anna@rossi.example>\nSubject: ")
        assert body in app.clipboard

        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(recap.query_one("#recap-state").render()) == "Sent"
        assert len(smtp.messages) == 1
        sent = message_from_bytes(smtp.messages[0], policy=default)
        assert sent["To"].addresses[0].addr_spec == "anna@rossi.example"
        assert not recap.check_action("send", ())  # never twice

        await pilot.press("escape")
        assert isinstance(app.screen, DeskScreen)
    [(path, sent_at)] = rows(tmp_path / "ledger.sqlite", "select path, sent_at from emailrecord")
    assert Path(str(path)).is_file() and sent_at is not None


async def test_the_recap_shows_before_its_file_is_written_and_names_the_file_only_once_it_is(
    tmp_path: Path, engine: Engine, clock: Clock, smtp: Inbox, monkeypatch, isolated_home: Path
) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+S shows the recap at once; the file is written while it is read. Until it is
    there, the dialog claims no file and offers no sending."""
    import threading

    _ledger(tmp_path, engine, clock)
    save = Desk.save_recap
    release = threading.Event()

    def slow_save(self: Desk, draft):  # type: ignore[no-untyped-def]
        assert release.wait(timeout=10), "the file was never let through"
        return save(self, draft)

    monkeypatch.setattr(Desk, "save_recap", slow_save)
    app = CallCoachApp(Desk(engine, clock=clock, lang="en"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        await _save_promise(app, pilot)
        await until(lambda: isinstance(app.screen, RecapScreen), what="the recap shown after the call")
        recap = app.screen
        assert isinstance(recap, RecapScreen)
        assert "vous procédez au règlement de 1\u202f200,00\xa0€" in recap.query_one("#recap-body", TextArea).text
        assert str(recap.query_one("#recap-state").render()) == "Writing it to the outbox…"
        assert not recap.query_one("#recap-file").display
        assert not recap.check_action("send", ())  # nothing to send yet
        outbox = isolated_home / "data" / "outbox"
        assert not outbox.exists() or list(outbox.glob("*.eml")) == []

        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        [written] = list(outbox.glob("*.eml"))
        assert recap.query_one("#recap-file").display
        assert str(recap.query_one("#recap-file").render()) == f"File: {written}"
        assert "In the outbox: s to send it now" in str(recap.query_one("#recap-state").render())
        assert recap.check_action("send", ())


async def test_the_desk_does_not_take_its_own_call_for_a_colleagues_change(
    tmp_path: Path, engine: Engine, clock: Clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+S writes the call and the desk reads the ledger again at once: its once-a-second
    look finds nothing new in that (no second reload of the list it has just redrawn). The
    recap's record, written later by the worker, and a colleague's write are news."""
    import threading

    _ledger(tmp_path, engine, clock)
    monkeypatch.setattr(DeskScreen, "_tick", lambda self: None)  # the looks are made here, by hand
    save = Desk.save_recap
    release = threading.Event()

    def held_save(self: Desk, draft):  # type: ignore[no-untyped-def]
        assert release.wait(timeout=10), "the recap was never let through"
        return save(self, draft)

    monkeypatch.setattr(Desk, "save_recap", held_save)
    desk = Desk(engine, clock=clock, lang="en")
    app = CallCoachApp(desk, recover=False)
    async with app.run_test(size=SIZE) as pilot:
        assert desk.ledger_changed() is False  # the first look only starts watching
        await _save_promise(app, pilot)
        await until(lambda: isinstance(app.screen, RecapScreen), what="the recap shown after the call")
        assert desk.ledger_changed() is False  # the call: the desk's own, read again at once
        release.set()
        await app.workers.wait_for_complete()
        with session_scope(engine) as session:  # a colleague, another window
            set_setting(session, "company", "Atelier Lumen SARL")
        assert desk.ledger_changed() is True


async def test_without_smtp_the_recap_stays_in_the_outbox_and_reopens_from_the_history(
    tmp_path: Path, engine: Engine, clock: Clock
) -> None:
    _ledger(tmp_path, engine, clock)
    app = CallCoachApp(Desk(engine, clock=clock, lang="en"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        recap = await _end_with_promise(app, pilot)
        assert "set up an SMTP server" in str(recap.query_one("#recap-state").render())
        assert not recap.check_action("send", ())
        await pilot.press("s")  # not offered: nothing happens
        await pilot.press("escape")
        assert isinstance(app.screen, DeskScreen)

        await pilot.press("f7")  # the history
        history = app.screen
        assert isinstance(history, HistoryScreen)
        events = history.events
        history.query_one("#events").highlighted = next(i for i, e in enumerate(events) if e.email_path)
        await pilot.press("e")
        assert isinstance(app.screen, RecapScreen)
        assert "To: Anna Rossi" in str(app.screen.query_one("#recap-to").render())
    [(sent_at,)] = rows(tmp_path / "ledger.sqlite", "select sent_at from emailrecord")
    assert sent_at is None


async def test_closing_the_recap_while_it_is_sent_loses_nothing(
    tmp_path: Path, engine: Engine, clock: Clock, smtp: Inbox, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import threading

    _ledger(tmp_path, engine, clock)
    send = Desk.send_email
    closed = threading.Event()

    def slow_send(self: Desk, path: str) -> int:
        # The server answers only once the collector has closed the screen.
        assert closed.wait(timeout=10), "the recap screen was never closed"
        return send(self, path)

    monkeypatch.setattr(Desk, "send_email", slow_send)
    app = CallCoachApp(Desk(engine, clock=clock, lang="en"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        await _end_with_promise(app, pilot)
        await pilot.press("s")
        await pilot.press("escape")
        assert isinstance(app.screen, DeskScreen)
        closed.set()
        await app.workers.wait_for_complete()
        await until(lambda: any(n.message == "Sent" for n in app._notifications), what="the 'Sent' notice")
        assert isinstance(app.screen, DeskScreen)  # still told how it went, on the desk
    assert len(smtp.messages) == 1
    [(sent_at,)] = rows(tmp_path / "ledger.sqlite", "select sent_at from emailrecord")
    assert sent_at is not None


async def test_a_recap_that_cannot_be_written_leaves_the_call_saved_and_says_so(
    tmp_path: Path, engine: Engine, clock: Clock, monkeypatch, isolated_home: Path
) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+S saves the call first; the recap is shown, then written in a worker. A full disk
    stops the file only: the promise is kept, no partial file is left, the dialog keeps the
    text to copy and says it is not in the outbox, naming the file, and the desk says so too."""
    from tests.safety.test_disk_full_and_erasure import disk_full, every_file

    _ledger(tmp_path, engine, clock)
    disk_full(monkeypatch)
    app = CallCoachApp(Desk(engine, clock=clock, lang="en"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        await _save_promise(app, pilot)
        await until(lambda: isinstance(app.screen, RecapScreen), what="the recap shown after the call")
        await app.workers.wait_for_complete()
        await pilot.pause()
        recap = app.screen
        assert isinstance(recap, RecapScreen)
        state = str(recap.query_one("#recap-state").render())
        assert state.startswith("Not in the outbox: ") and ".eml: disk full" in state, state
        assert str(isolated_home / "data" / "outbox") in state  # the file it meant
        assert not recap.query_one("#recap-file").display  # no file is claimed
        assert not recap.check_action("send", ())
        said = [n.message for n in app._notifications]
        assert any(m.startswith("The call is saved, but its recap e-mail could not be written") for m in said), said
        await pilot.press("c")  # the text is not lost: it goes to the clipboard
        assert "1\u202f200,00\xa0€" in app.clipboard and app.clipboard.startswith("To: Anna Rossi")
        await pilot.press("escape")
        assert isinstance(app.screen, DeskScreen)
    db = tmp_path / "ledger.sqlite"
    assert rows(db, "select outcome, notes from call") == [("promise", "Agreed on a transfer.")]
    assert rows(db, "select amount_cents from promise") == [(120000,)]
    assert rows(db, "select count(*) from emailrecord") == [(0,)]
    outbox = isolated_home / "data" / "outbox"
    assert not outbox.exists() or every_file(outbox) == []


async def test_with_no_recap_the_desk_says_the_call_is_saved_then_why_no_recap_once(
    tmp_path: Path, engine: Engine, clock: Clock
) -> None:
    _ledger(tmp_path, engine, clock)
    with session_scope(engine) as session:
        set_setting(session, "email", "")  # the collector's own address is missing
    app = CallCoachApp(Desk(engine, clock=clock, lang="en"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        await _save_promise(app, pilot)
        await app.workers.wait_for_complete()
        await until(lambda: len(app._notifications) >= 2, what="the desk's two notices")
        assert isinstance(app.screen, DeskScreen)
        said = [n.message for n in app._notifications]
        assert said == [
            "Call saved: promise to pay.",
            "No recap e-mail was written: your own e-mail address is not set (Ctrl+P › Settings).",
        ]
