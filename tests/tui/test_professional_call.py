"""Calls as a professional makes them (issue 18): someone else answers, voicemail, a refusal
that still closes on a dated step, and a contact learned during a call kept for the next one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, Select

from callcoach.tui.screens.contact import ContactScreen
from callcoach.tui.screens.desk import DeskScreen
from callcoach.tui.screens.excuses import ExcuseScreen
from callcoach.tui.screens.outcome import OutcomeScreen
from callcoach.tui.widgets.checklist import Checklist
from tests.factories import rows

SIZE = (120, 40)


def script_text(app) -> str:  # type: ignore[no-untyped-def]
    # As read: the pane wraps lines itself and keeps numbers whole with no-break spaces.
    return " ".join(str(app.screen.query_one("#stage-text").render()).replace("\u00a0", " ").split())


def checklist_text(app) -> str:  # type: ignore[no-untyped-def]
    """Every line of the checklist as the collector reads it."""
    items = app.screen.query_one(Checklist).items
    return "\n".join([i.title for i in items] + [line.text for i in items for line in i.lines])


async def pick_excuse(app, pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("f4")
    assert isinstance(app.screen, ExcuseScreen)
    index = [e.key for e in app.screen.excuses].index(key)
    await pilot.press(*["down"] * index, "enter")
    await pilot.pause()


async def add_contact(app, pilot, **typed: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("f10")
    form = app.screen
    assert isinstance(form, ContactScreen)
    for field, value in typed.items():
        if field in ("civility", "can_release"):
            form.query_one(f"#{field}", Select).value = value
        else:
            form.query_one(f"#{field}", Input).value = value
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_gatekeeper_answers_and_a_callback_slot_is_taken(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pick_excuse(app, pilot, "gatekeeper")
        shown = script_text(app)
        assert "May I speak to the person in charge of payments" in shown
        assert "Never give the amount" in shown
        await pilot.press(*"Switchboard: ask for Mrs Roux")
        # The name and direct line the switchboard gave go into the file, not only into the notes.
        await add_contact(app, pilot, name="Mme Claire Roux", role="Head of accounts", phone="01 23 45 67 89")
        assert isinstance(app.screen, DeskScreen)
        await pilot.press("f3")
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        form.query_one("#outcome", Select).value = "gatekeeper"
        await pilot.pause()
        assert not form.query_one("#row-why").display  # nobody to learn a reason from
        form.query_one("#date", Input).value = "27/11/2026"
        form.query_one("#time", Input).value = "14:00"
        await pilot.pause()
        assert "I'll call Ms Roux back tomorrow, 27 November at 2 pm." in str(form.query_one("#recap").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
    [(outcome, notes)] = rows(db_path, "select outcome, notes from call")
    assert outcome == "gatekeeper" and "Answered by: Switchboard: ask for Mrs Roux" in notes
    assert rows(db_path, "select kind, due_at from followup") == [("callback", "2026-11-27 14:00:00.000000")]
    assert rows(
        db_path, "select name, civility, role, phone, found_in_call_id from contact where name like 'Claire%'"
    ) == [("Claire Roux", "mrs", "Head of accounts", "01 23 45 67 89", 1)]


async def test_a_voicemail_call_is_saved_with_its_next_step(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pick_excuse(app, pilot, "voicemail")
        assert "Name, company and number only: never the amount." in script_text(app)
        await pilot.press("f3")
        form = app.screen
        form.query_one("#outcome", Select).value = "voicemail"
        await pilot.pause()
        form.query_one("#next_step", Select).value = "callback"
        await pilot.pause()
        assert form.query_one("#row-time").display  # a callback is timed
        form.query_one("#date", Input).value = "+1"
        form.query_one("#time", Input).value = "9h30"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
    assert rows(db_path, "select outcome from call") == [("voicemail",)]
    assert rows(db_path, "select kind, due_at from followup") == [("callback", "2026-11-27 09:30:00.000000")]


async def test_a_refused_call_is_not_saved_without_a_next_step(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f3")
        form = app.screen
        form.query_one("#outcome", Select).value = "refused"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        errors = str(form.query_one("#errors").render())
        assert "étape suivante : choisissez un rappel, une relance écrite ou une mesure annoncée" in errors
        assert rows(db_path, "select ended_at from call") == [(None,)]
        # A dated consequence, said calmly, closes the call.
        form.query_one("#next_step", Select).value = "formal_notice"
        form.query_one("#why", Select).value = "bad_faith"
        form.query_one("#date", Input).value = "10/12/2026"
        await pilot.pause()
        recap = str(form.query_one("#recap").render())
        assert "sans règlement de votre part, une mise en demeure vous sera adressée le 10 décembre." in recap
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
        assert "Raison du retard relevée au dernier appel : mauvaise foi" in checklist_text(app)
    assert rows(db_path, "select outcome, why from call") == [("refused", "bad_faith")]
    assert rows(db_path, "select kind, what, due_at from followup") == [
        ("consequence", "formal_notice", "2026-12-10 00:00:00.000000")
    ]


async def test_a_contact_added_during_a_call_is_in_the_next_calls_checklist(make_app, moving, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        await pilot.press("f2")
        await add_contact(
            app,
            pilot,
            name="Paul Girard",
            civility="mr",
            role="Comptable",
            email="compta@gamma.example",
            can_release="yes",
        )
        assert isinstance(app.screen, DeskScreen)
        await pilot.press("f3")
        form = app.screen
        form.query_one("#outcome", Select).value = "callback"
        form.query_one("#why", Select).value = "cash_strain"
        form.query_one("#date", Input).value = "30/11/2026"
        form.query_one("#time", Input).value = "16h"
        await pilot.pause()
        assert "je vous rappelle le 30 novembre à 16 h." in str(form.query_one("#recap").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert desk.current is None

        moving.moment += timedelta(days=4)  # the next call, on the agreed day
        desk.refresh_list()
        await pilot.pause()
        shown = checklist_text(app)
        assert "Demander Paul Girard (Comptable)" in shown
        assert "peut débloquer le paiement" in shown
        assert "Nouveau : Paul Girard, noté lors de l'appel du 26 novembre" in shown
        assert "proposez un échéancier daté, avec un premier versement dès aujourd'hui" in shown
        await pilot.press("f2")
        await pilot.pause()
        assert "Je suis bien en ligne avec Monsieur Girard ?" in script_text(app)
    assert rows(
        db_path, "select name, civility, email, can_release_payment from contact where found_in_call_id = 1"
    ) == [("Paul Girard", "mr", "compta@gamma.example", "yes")]


async def test_a_contact_without_a_way_to_reach_it_is_refused_in_french(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await add_contact(app, pilot, name="Quelqu'un", email="pas-une-adresse")
        form = app.screen
        assert isinstance(form, ContactScreen)
        assert "e-mail : adresse e-mail illisible : 'pas-une-adresse'" in str(form.query_one("#errors").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
    assert rows(db_path, "select count(*) from contact where name = 'Quelqu''un'") == [(0,)]


async def test_a_dispute_on_part_and_a_promise_for_the_rest_in_one_call(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app("fr")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f6", "f6", "f4")  # the excuse's answer shows at the negotiation stage too
        index = [e.key for e in app.screen.excuses].index("amount_disputed")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        assert "Mettons de côté la partie contestée" in script_text(app)
        await pilot.press("f3")
        form = app.screen
        form.query_one("#outcome", Select).value = "dispute"
        await pilot.pause()
        form.query_one("#amount", Input).value = "400"
        form.query_one("#reason", Input).value = "brochures abîmées"
        form.query_one("#rest_amount", Input).value = "600"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "reste : saisissez la date de règlement du reste" in str(form.query_one("#errors").render())
        form.query_one("#rest_date", Input).value = "+2"
        await pilot.pause()
        assert (
            "Le reste n'étant pas contesté, vous réglez 600,00\u00a0€ par virement, au plus tard le 28 novembre."
            in str(form.query_one("#recap").render())
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
    assert rows(db_path, "select amount_cents, reason, status from dispute") == [(40000, "brochures abîmées", "open")]
    assert rows(db_path, "select amount_cents, due_date, method, status from promise") == [
        (60000, "2026-11-28", "transfer", "pending")
    ]
