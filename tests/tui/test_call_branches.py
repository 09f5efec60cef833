"""The branch a call took decides how it ends: someone else answered (who, their direct line,
the slot), voicemail (the next step), a cheque in the post (its number, when it was sent);
and the keys that need a debtor leave the footer when there is none."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets import Input, Select
from textual.widgets._footer import FooterKey

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.services.desk import Desk
from callcoach.services.settings import set_setting
from callcoach.services.store import open_ledger
from callcoach.tui.app import CallCoachApp
from callcoach.tui.screens.desk import DeskScreen
from callcoach.tui.screens.outcome import OutcomeScreen
from tests.factories import demo_ledger_at, rows
from tests.tui.test_professional_call import checklist_text, pick_excuse, script_text
from tests.waiting import until


@pytest.fixture
def demo(tmp_path: Path, clock: Clock) -> Engine:
    path = tmp_path / "demo.sqlite"
    demo_ledger_at(path, clock)
    engine = open_ledger(path)
    yield engine
    engine.dispose()


def recap_text(form: OutcomeScreen) -> str:
    return " ".join(str(form.query_one("#recap").render()).replace("\u00a0", " ").split())


def shown(form: OutcomeScreen, row: str) -> bool:
    return bool(form.query_one(f"#row-{row}").display)


async def type_captures(pilot, *answers: str) -> None:  # type: ignore[no-untyped-def]
    """As a collector fills the capture lines: the cursor waits on the first, ↓ End to the next."""
    for n, answer in enumerate(answers):
        if n:
            await pilot.press("down", "end")
        await pilot.press(*answer)


async def test_someone_else_answers_the_form_proposes_the_slot_and_the_line_goes_into_the_file(
    demo: Engine, clock: Clock, tmp_path: Path
) -> None:
    app = CallCoachApp(Desk(demo, clock=clock, lang="fr"), recover=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        desk = app.screen
        assert isinstance(desk, DeskScreen) and desk.view is not None
        sought = desk.view.file.whom_to_ask()
        sought_name = desk.view.file.debtor.name
        assert sought is not None and sought.phone
        await pilot.press("f2")
        await pick_excuse(app, pilot, "gatekeeper")
        # Nobody to listen to yet: still the introduction, with the branch's own words only.
        assert desk.stage == 0
        text = script_text(app)
        assert "Pourrais-je parler à" in text and "Il reste" not in text and "€" not in text
        # Each capture line fits 80 columns: typed answers land after their own label.
        await type_captures(pilot, "Standard, Mme Roux", "01 99 00 00 33", "03/12 à 10h")
        notes = desk.notes
        assert "A répondu : Standard, Mme Roux" in notes and "Ligne directe : 01 99 00 00 33" in notes
        assert "Rappeler le : 03/12 à 10h" in notes
        await pilot.press("f3")
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        assert form.query_one("#outcome", Select).value == "gatekeeper"
        assert form.query_one("#answered_by", Input).value == "Standard, Mme Roux"
        assert form.query_one("#direct_line", Input).value == "01 99 00 00 33"
        assert form.query_one("#date", Input).value == "03/12"
        assert form.query_one("#time", Input).value == "10h"
        assert not shown(form, "amount") and not shown(form, "method")  # no payment proposed
        said = recap_text(form)
        assert "je rappellerai" in said and "3 décembre à 10 h" in said
        assert "€" not in said and "…" not in said
        await pilot.press("ctrl+s")
        await until(lambda: isinstance(app.screen, DeskScreen), what="the call saved")
        # The debtor may move down the list (a callback is due later): found again as a user would.
        await pilot.press("slash", *sought_name)
        await until(
            lambda: desk.view is not None and desk.view.file.debtor.id == sought.debtor_id,
            seconds=15,
            what=f"{sought_name!r} shown again",
        )
        # The next call asks for the same person on the direct line learned; the history reads whole.
        shown_list = checklist_text(app)
        assert "01 99 00 00 33 / " + sought.phone in shown_list
        history = [line for line in shown_list.splitlines() if "Standard, Mme Roux" in line]
        assert history and "— —" not in history[0]
    db = tmp_path / "demo.sqlite"
    [(outcome,)] = rows(db, "select outcome from call where ended_at is not null")
    assert outcome == "gatekeeper"
    assert rows(db, f"select phone, phone_alt from contact where id = {sought.id}") == [
        ("01 99 00 00 33", sought.phone)
    ]
    [(due,)] = rows(db, "select due_at from followup where done_at is null and kind = 'callback'")
    assert str(due).startswith("2026-12-03 10:00")


async def test_voicemail_ends_on_a_callback_with_no_amount(demo: Engine, clock: Clock, tmp_path: Path) -> None:
    app = CallCoachApp(Desk(demo, clock=clock, lang="fr"), recover=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.press("f3")  # the form opened too early, then closed: the branch still decides
        assert isinstance(app.screen, OutcomeScreen)
        app.screen.query_one("#amount", Input).value = "100"
        await pilot.press("escape")
        await pick_excuse(app, pilot, "voicemail")
        assert app.screen.stage == 0 and "Pourriez-vous me rappeler" in script_text(app)
        await type_captures(pilot, "messagerie de M. Delorme", "27/11")
        await pilot.press("f3")
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        assert form.query_one("#outcome", Select).value == "voicemail"
        assert form.query_one("#next_step", Select).value == "callback"
        assert form.query_one("#date", Input).value == "27/11"
        assert not shown(form, "amount")
        # No time typed: the field says so plainly, and the sentence waits for it.
        time = form.query_one("#time", Input)
        assert time.value == "" and "HH:MM" in time.placeholder
        said = recap_text(form)
        assert "…" not in said and "l'heure" in said
        time.value = "9h30"
        await pilot.pause()
        assert "demain 27 novembre à 9 h 30" in recap_text(form)
        await pilot.press("ctrl+s")
        await until(lambda: isinstance(app.screen, DeskScreen), what="the call saved")
    assert rows(tmp_path / "demo.sqlite", "select outcome from call where ended_at is not null") == [("voicemail",)]


async def test_a_cheque_in_the_post_is_expected_after_the_post_and_its_number_kept(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await pick_excuse(app, pilot, "cheque_in_post")
        await type_captures(pilot, "1234567", "", "25/11/2026")
        await pilot.press("f3")
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        assert form.query_one("#method", Select).value == "cheque"
        assert form.query_one("#cheque_number", Input).value == "1234567"
        assert form.query_one("#sent_on", Input).value == "25/11/2026"
        # Sent on the 25th, three days of post: expected on the 28th, not the day it was sent.
        assert form.query_one("#date", Input).value == "28/11/2026"
        said = recap_text(form)
        assert "cheque no. 1234567" in said and "sent on 25 November" in said and "on 28 November" in said
        await pilot.press("ctrl+s")
        await until(lambda: isinstance(app.screen, DeskScreen) or app.screen.__class__.__name__ == "RecapScreen")
        if not isinstance(app.screen, DeskScreen):
            await pilot.press("escape")
        await until(lambda: "by cheque no. 1234567, sent on 25/11/2026" in checklist_text(app), what="the cheque")
    [(number, sent, due, method)] = rows(db_path, "select cheque_number, sent_on, due_date, method from promise")
    assert (number, str(sent), str(due), method) == ("1234567", "2026-11-25", "2026-11-28", "cheque")


@pytest.fixture
def empty_ledger(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        set_setting(session, "collector_name", "Camille Martin")
        set_setting(session, "company", "Atelier Lumen")
    return engine


def footer_keys(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {key.key for key in app.screen.query(FooterKey)}


async def test_keys_that_need_a_debtor_leave_the_footer_on_an_empty_ledger(empty_ledger, clock) -> None:  # type: ignore[no-untyped-def]
    app = CallCoachApp(Desk(empty_ledger, clock=clock, lang="fr"), recover=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        keys = footer_keys(app)
        assert "ctrl+o" in keys and not keys & {"f2", "f6", "f7", "f9", "f10"}, keys
        await pilot.press("f2")
        await pilot.pause()
        assert not app.screen.query("Toast")  # nothing offered, nothing to refuse


async def test_the_debtor_keys_come_back_when_a_debtor_is_shown(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: "f2" in footer_keys(app), what="F2 in the footer with a debtor shown")
        assert {"f6", "f7"} <= footer_keys(app)
        checklist = app.screen.query_one("Checklist")
        assert str(checklist.border_subtitle)  # the debtor's name over the checklist
        await pilot.press("slash", *"zzzz")  # a filter that keeps nobody
        await until(lambda: "f2" not in footer_keys(app), what="F2 gone with nobody shown")
        # Nobody matches what was typed: said so, not "nobody owes anything, import invoices".
        said = str(app.screen.query_one("#stage-text").render())
        assert "« zzzz »" in said and "Échap" in said and "import" not in said, said
        assert not str(checklist.border_subtitle)  # no debtor's name over an empty checklist
        await pilot.press("escape")
        await until(lambda: "f2" in footer_keys(app), what="F2 back with the filter cleared")
        assert str(checklist.border_subtitle)
