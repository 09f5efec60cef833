"""The first start on an own ledger: the collector's details asked once, then used."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.command import CommandPalette
from textual.widgets import Input, Select

from callcoach.domain.clock import Clock
from callcoach.services.desk import Desk
from callcoach.tui.app import CallCoachApp
from callcoach.tui.screens.desk import DeskScreen
from callcoach.tui.screens.setup import SetupScreen
from tests.factories import rows, small_ledger

SIZE = (120, 40)


@pytest.fixture
def bare_ledger(tmp_path: Path, engine: Engine, clock: Clock) -> Engine:
    """Invoices imported, nothing said about the collector yet."""
    small_ledger(tmp_path, engine, clock)
    return engine


def script_text(app) -> str:  # type: ignore[no-untyped-def]
    # As read: the pane wraps lines itself and keeps numbers whole with no-break spaces.
    return " ".join(str(app.screen.query_one("#stage-text").render()).replace("\u00a0", " ").split())


async def test_a_new_ledger_opens_on_the_setup_screen_and_the_script_then_names_the_collector(
    bare_ledger, clock, db_path
) -> None:  # type: ignore[no-untyped-def]
    app = CallCoachApp(Desk(bare_ledger, clock=clock, lang="en"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.focused is app.screen.query_one("#collector_name", Input)
        await pilot.press(*"Camille Martin", "tab", *"Atelier Lumen", "tab", *"compta@lumen.example", "tab")
        await pilot.press(*"FR76 3000 6000 0112 3456 7890 189")
        assert "valid IBAN" in str(app.screen.query_one("#iban-check").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
        assert "Atelier Lumen" in str(app.screen.query_one("#day-bar").render())
        await pilot.press("f2")
        assert "Hello, this is Camille Martin from Atelier Lumen" in script_text(app)
    assert rows(db_path, "select collector_name, company, email, iban, late_rule from collectorsettings") == [
        ("Camille Martin", "Atelier Lumen", "compta@lumen.example", "FR7630006000011234567890189", "fr")
    ]


async def test_skipped_setup_leaves_no_gap_in_the_script(bare_ledger, clock) -> None:  # type: ignore[no-untyped-def]
    app = CallCoachApp(Desk(bare_ledger, clock=clock, lang="en"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DeskScreen)
        text = script_text(app)
        assert "…" not in text and "this is  from" not in text and "Hello, this is" not in text
        assert "Ctrl+P › Settings" in text  # where to give the missing name
        assert "callcoach" not in str(app.screen.query_one("#day-bar").render()).split("·")[-1]


async def test_a_wrong_iban_is_named_and_nothing_is_saved(bare_ledger, clock, db_path) -> None:  # type: ignore[no-untyped-def]
    app = CallCoachApp(Desk(bare_ledger, clock=clock, lang="en"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#collector_name", Input).value = "Camille Martin"
        app.screen.query_one("#iban", Input).value = "FR76 3000 6000 0112 3456 7890 188"
        await pilot.pause()
        assert "not a valid IBAN" in str(app.screen.query_one("#iban-check").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert "IBAN: FR76 3000 6000 0112 3456 7890 188 is not valid" in str(
            app.screen.query_one("#setup-errors").render()
        )
    assert rows(db_path, "select collector_name, iban from collectorsettings") == [("", "")]


async def test_choosing_french_on_the_setup_screen_opens_the_desk_in_french(bare_ledger, clock) -> None:  # type: ignore[no-untyped-def]
    app = CallCoachApp(Desk(bare_ledger, clock=clock, lang="en"), recover=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#collector_name", Input).value = "Camille Martin"
        app.screen.query_one("#company", Input).value = "Atelier Lumen"
        app.screen.query_one("#language", Select).value = "fr"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
        await pilot.press("f2")
        assert "Camille Martin, de la société Atelier Lumen" in script_text(app)


async def test_the_palette_lists_each_action_once_in_the_collectors_language(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        options = palette.query_one("CommandList")
        for _ in range(100):  # the palette gathers its hits in a worker: wait for them (2 s at most)
            if options.option_count > 5:
                break
            await pilot.pause(0.02)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        titles = [p.split("\n")[0] for p in prompts]
        assert len(titles) == len(set(titles))
        assert any(t.startswith("Appeler (F2)") for t in titles)
        assert any(t.startswith("Cocher") for t in titles)  # the checklist's tick, whatever has the focus
        assert any(t.startswith("Paramètres") for t in titles)
        assert not {"Keys", "Quit", "Theme", "Screenshot"} & set(titles)  # Textual's own, in English
        assert "Vider le filtre (Échap)" in titles
        await pilot.press(*"param", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.query_one("#collector_name", Input).value == "Camille Martin"


async def test_an_agreement_without_a_recap_says_why(make_app) -> None:  # type: ignore[no-untyped-def]
    """The collector's own e-mail is not set: the promise is saved, and the desk says why no
    recap e-mail was written instead of leaving the collector to wonder."""
    from tests.tui.test_followthrough_desk import _promise_call

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _promise_call(app, pilot, notes="Promised Friday")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("your own e-mail address is not set" in m for m in said), said
        assert isinstance(app.screen, DeskScreen)
