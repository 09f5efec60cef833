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
