"""Follow-through in the desk: double calls, history, payments, the plan calculator."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input, OptionList, TextArea

from callcoach.tui.screens.confirm import ConfirmScreen
from callcoach.tui.screens.desk import DeskScreen
from callcoach.tui.screens.history import HistoryScreen
from callcoach.tui.screens.outcome import OutcomeScreen
from callcoach.tui.screens.payment import PaymentScreen
from callcoach.tui.screens.plan import PlanScreen
from tests.factories import rows
from tests.tui.conftest import START

SIZE = (120, 40)


async def _promise_call(app, pilot, amount: str = "1000", date: str = "27/11/2026", notes: str = "") -> None:  # type: ignore[no-untyped-def]
    await pilot.press("f2", *notes, "f3")
    form = app.screen
    form.query_one("#amount", Input).value = amount
    form.query_one("#date", Input).value = date
    await pilot.pause()
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()  # the recap, written after the list's frame
    await pilot.pause()


async def test_calling_again_within_hours_asks_first_and_shows_the_last_call(make_app, moving, db_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        await _promise_call(app, pilot, notes="Promised Friday")
        moving.moment = START + timedelta(minutes=20)
        table = desk.query_one("#calls", DataTable)
        table.move_cursor(row=2)  # Gamma, now waiting at the bottom
        await pilot.pause()
        await pilot.press("f2")
        assert isinstance(app.screen, ConfirmScreen)
        body = str(app.screen.query_one(".body").render())
        assert "Last contact today 09:30: promise to pay." in body and "Promised Friday" in body
        await pilot.press("escape")
        assert desk.current is None
        await pilot.press("f2", "enter")
        assert desk.current is not None
        moving.moment = START + timedelta(hours=5)
    assert rows(db_path, "select count(*) from call") == [(2,)]


async def test_typing_into_the_double_call_question_loses_nothing(make_app, moving) -> None:  # type: ignore[no-untyped-def]
    """F2 then straight to the notes: the letters (an "n" and a "y" among them) decide nothing
    and land in the notes once the collector says to call."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        desk = app.screen
        await _promise_call(app, pilot, notes="Promised Friday")
        moving.moment = START + timedelta(minutes=20)
        desk.query_one("#calls", DataTable).move_cursor(row=2)
        await pilot.pause()
        await pilot.press("f2", *"no answer yet")
        assert isinstance(app.screen, ConfirmScreen) and desk.current is None
        assert "no answer yet" in str(app.screen.query_one(".typed").render())
        await pilot.press("enter")
        assert desk.current is not None
        assert desk.query_one("#notes", TextArea).text == "no answer yet"


async def test_payment_in_the_desk_keeps_the_promise(make_app, db_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _promise_call(app, pilot)
        await pilot.press("f9")
        form = app.screen
        assert isinstance(form, PaymentScreen)
        form.query_one("#amount", Input).value = "1000"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
        table = app.screen.query_one("#calls", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Beta SA", "Alpha SARL"]
    assert rows(db_path, "select status, received_cents from promise") == [("kept", 100000)]


async def test_history_closes_an_announced_step_with_a_reason(make_app, db_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f3")
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        form.query_one("#outcome").value = "refused"
        form.query_one("#consequence").value = "legal_action"
        await pilot.pause()
        form.query_one("#consequence_date", Input).value = "+7"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert rows(db_path, "select kind, what, due_at from followup") == [
            ("consequence", "legal_action", "2026-12-03 00:00:00.000000")
        ]
        await pilot.press("f7")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        texts = [e.text for e in history.events]
        assert "Announced to the client: legal action on 3 December [open]" in texts
        options = history.query_one("#events", OptionList)
        options.highlighted = texts.index("Announced to the client: legal action on 3 December [open]")
        await pilot.press("w")
        await pilot.press(*"client paid", "enter")
        await pilot.pause()
        assert "Announced to the client: legal action on 3 December [withdrawn (client paid)]" in [
            e.text for e in history.events
        ]
        await pilot.press("escape")
    assert rows(db_path, "select resolution, reason from followup") == [("withdrawn", "client paid")]


async def test_plan_calculator_warns_in_years_and_fills_the_outcome(make_app, db_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f8")
        calc = app.screen
        assert isinstance(calc, PlanScreen)
        await pilot.press(*"5")
        text = str(calc.query_one("#result").render())
        assert (
            "200 monthly payments" in text and "would take 16 years and 8 months" in text and "€83.34 a month" in text
        )
        calc.query_one("#count", Input).value = "4"
        await pilot.pause()
        assert "4 monthly payments, from 26/11/2026 to 26/02/2027: €250.00 — total €1,000.00." in str(
            calc.query_one("#result").render()
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("f3")
        form = app.screen
        assert form.query_one("#outcome").value == "plan"
        assert form.query_one("#count", Input).value == "4"
        assert form.query_one("#amount", Input).value == "1000.00"  # the total spread, as the calculator showed
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert rows(db_path, "select amount_cents, due_date, instalment_no from promise order by due_date") == [
        (25000, "2026-11-26", 1),
        (25000, "2026-12-26", 2),
        (25000, "2027-01-26", 3),
        (25000, "2027-02-26", 4),
    ]


async def test_a_payment_larger_than_one_invoice_settles_the_oldest_first(make_app, db_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#calls", DataTable).move_cursor(row=1)  # Beta SA: B-1 (500 €) then B-2 (500 €)
        await pilot.pause()
        await pilot.press("f9")
        form = app.screen
        form.query_one("#amount", Input).value = "700"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)
    assert rows(db_path, "select number, paid_cents, status from invoice where number like 'B-%' order by number") == [
        ("B-1", 50000, "paid"),
        ("B-2", 20000, "open"),
    ]


async def test_close_stage_shows_the_transfer_qr_code(make_app, ledger) -> None:  # type: ignore[no-untyped-def]
    from callcoach.db.engine import session_scope
    from callcoach.services.settings import set_setting

    with session_scope(ledger) as s:
        set_setting(s, "iban", "FR7630006000011234567890189")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f3")
        app.screen.query_one("#amount", Input).value = "250"
        await pilot.pause()
        await pilot.press("escape", "f6", "f6", "f6")
        text = " ".join(str(app.screen.query_one("#stage-text").render()).replace("\u00a0", " ").split())
        assert "To scan in the banking app: €250.00, reference RF" in text
        assert "▀" in text and "▄" in text
