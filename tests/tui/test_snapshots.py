"""The main screen as it looks at 80x24 and 120x40 (review the report before updating)."""

from __future__ import annotations

from textual.widgets import TextArea


def test_desk_80x24(make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_desk_120x40(make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=(120, 40))


def test_desk_in_a_call_at_the_close_stage_fr(make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def walk_to_close(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f2", *"Le client confirme.", "f6", "f6", "f6")
        # A blinking cursor would make the picture depend on timing.
        pilot.app.screen.query_one(TextArea).cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app("fr"), terminal_size=(120, 40), run_before=walk_to_close)


def test_hostile_names_shown_literally(tmp_path, engine, clock, snap_compare) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from callcoach.services.desk import Desk
    from callcoach.tui.app import CallCoachApp
    from tests.factories import FR_HEADER, fr_line, import_file, write_export

    names = [
        "[bold]Evil[/] & [@click=app.quit]",
        "[/]",
        "[0] x",
        "[link=file:///etc/passwd]x[/link]",
        '"Clip\x1b]52;c;aGk=\x07board"',
    ]  # quoted: it holds the file's separator
    lines = [FR_HEADER] + [
        fr_line(f"H-{n}", name, date(2026, 9, 1), date(2026, 10, 1), f"{900 - n},00", contact=name)
        for n, name in enumerate(names)
    ]
    import_file(engine, write_export(tmp_path / "h.csv", lines), clock)
    from callcoach.db.engine import session_scope
    from callcoach.services.settings import set_settings

    with session_scope(engine) as session:  # the desk itself, not the first start's setup screen
        set_settings(session, {"collector_name": "Camille Martin", "company": "Atelier Lumen"})
    assert snap_compare(CallCoachApp(Desk(engine, clock=clock, lang="en"), recover=False), terminal_size=(120, 40))


def test_recap_for_review_120x40(tmp_path, engine, clock, snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The recap e-mail after an agreement, as it is read before it leaves (no SMTP set up)."""
    from callcoach.services.desk import Desk
    from callcoach.tui.app import CallCoachApp
    from tests.tui.test_recap_review import _end_with_promise, _ledger

    _ledger(tmp_path, engine, clock)
    # The screen names the e-mail's file: a home given relative to the test's folder keeps
    # the picture the same from one run to the next.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CALLCOACH_HOME", "home")

    async def agree(pilot) -> None:  # type: ignore[no-untyped-def]
        await _end_with_promise(pilot.app, pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        await pilot.pause()

    app = CallCoachApp(Desk(engine, clock=clock, lang="en"), recover=False)
    assert snap_compare(app, terminal_size=(120, 40), run_before=agree)


def test_crash_screen_80x24_fr(make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """What a collector sees when a widget fails: where the notes are, where the report is."""
    from callcoach.tui.screens.crash import CrashScreen

    async def crash(pilot) -> None:  # type: ignore[no-untyped-def]
        L = pilot.app.desk.presenter.labels
        body = L.get("crash_body", where=L.get("draft_in_db", call=1), log="~/.local/state/callcoach/crash.log")
        await pilot.app.push_screen(CrashScreen(L["crash_title"], body))
        await pilot.pause()

    assert snap_compare(make_app("fr"), terminal_size=(80, 24), run_before=crash)
