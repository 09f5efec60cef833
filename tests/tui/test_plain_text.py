"""Names and notes from other people's files are shown as they are, never as markup."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets import DataTable, TextArea

from callcoach.domain.clock import Clock
from callcoach.services.desk import Desk
from callcoach.tui.app import CallCoachApp
from tests.factories import FR_HEADER, fr_line, import_file, write_export

HOSTILE = ["[bold]Evil[/] & [@click=app.quit]", "[/]", "[0] x", "[link=file:///etc/passwd]x[/link]", "[@click=app.quit"]


@pytest.fixture
def hostile_ledger(tmp_path: Path, engine: Engine, clock: Clock) -> Engine:
    lines = [FR_HEADER] + [
        fr_line(f"H-{n}", name, date(2026, 9, 1), date(2026, 10, 1), f"{900 - n},00", contact=name, product=name)
        for n, name in enumerate(HOSTILE)
    ]
    import_file(engine, write_export(tmp_path / "h.csv", lines), clock)
    from callcoach.db.engine import session_scope
    from callcoach.services.settings import set_settings

    with session_scope(engine) as session:  # a collector who already gave their details: straight to the desk
        set_settings(session, {"collector_name": "[b]Camille[/b]", "company": "[@click=app.quit]"})
    return engine


async def test_hostile_names_show_literally_and_do_nothing(hostile_ledger: Engine, clock: Clock) -> None:
    app = CallCoachApp(Desk(hostile_ledger, clock=clock, lang="en"))
    async with app.run_test(size=(160, 50)) as pilot:
        desk = app.screen
        table = desk.query_one("#calls", DataTable)
        shown = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert shown == HOSTILE  # at 160 columns every name is whole
        for _ in HOSTILE:
            checklist_text = "\n".join(line.text for item in desk.query_one("#checklist").items for line in item.lines)
            name = desk.view.file.debtor.name
            assert f"Ask for {name}" in checklist_text
            assert desk.query_one("#checklist")._border_subtitle.plain == name
            shown = " ".join(str(desk.query_one("#stage-text").render()).replace("\u00a0", " ").split())
            assert " ".join(name.split()) in shown
            await pilot.press("down")
        await pilot.press("f2", *"[red]not red[/red]")
        assert desk.query_one("#notes", TextArea).text == "[red]not red[/red]"
        await pilot.click("#calls", offset=(5, 2))
        await pilot.pause()
        assert app.is_running
