"""The outcome form proposes the right figures (issue 15, case 6): a dispute starts from the
chosen invoice's remainder, the excuse picked during the call fills the form."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select

from callcoach.tui.screens.outcome import OutcomeScreen
from tests.factories import rows

SIZE = (120, 40)


async def test_a_dispute_starts_from_the_chosen_invoices_remainder(make_app, db_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#calls", DataTable).move_cursor(row=1)  # Beta SA: B-1 and B-2, 500 € each
        await pilot.pause()
        await pilot.press("f2", "f3")
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        assert form.query_one("#amount", Input).value == "1000.00"  # a promise: what is asked for
        form.query_one("#outcome", Select).value = "dispute"
        await pilot.pause()
        assert form.query_one("#amount", Input).value == "500.00"  # the invoice's remainder, not the balance
        form.query_one("#reason", Input).value = "two lines billed twice"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, OutcomeScreen)
    assert rows(db_path, "select amount_cents, reason from dispute") == [(50000, "two lines billed twice")]


async def test_the_amount_is_wrong_excuse_proposes_a_dispute_with_what_was_captured(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f4")
        options = app.screen.query_one("OptionList")
        keys = [e.key for e in app.screen.excuses]  # type: ignore[attr-defined]
        options.highlighted = keys.index("amount_disputed")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"120")  # the cursor waits on "Disputed part:"
        await pilot.press("f3")
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        assert form.query_one("#outcome", Select).value == "dispute"
        assert form.query_one("#amount", Input).value == "120"


async def test_the_form_kept_between_calls_shows_only_the_call_at_hand(make_app) -> None:  # type: ignore[no-untyped-def]
    """The end-of-call form is built once per desk and refilled (issue 17, F3 under 100 ms):
    what was typed during a call comes back when the form is opened again in that call, and
    nothing of it shows in the next debtor's form."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f3")  # Gamma, first on the list
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        assert "Gamma" in str(form.query_one("#outcome-title").render())
        form.query_one("#outcome", Select).value = "callback"
        await pilot.pause()
        form.query_one("#time", Input).value = "15:00"
        await pilot.pause()
        await pilot.press("escape")  # the call stays open, what was typed with it
        await pilot.press("f3")
        assert app.screen is form
        assert form.query_one("#outcome", Select).value == "callback"
        assert form.query_one("#time", Input).value == "15:00"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is not form
        table = app.screen.query_one("#calls", DataTable)
        beta = next(i for i in range(table.row_count) if "Beta" in str(table.get_row_at(i)[0]))
        table.move_cursor(row=beta)
        await pilot.pause()
        await pilot.press("f2", "f3")
        assert app.screen is form  # the same form, refilled for Beta
        assert "Beta SA" in str(form.query_one("#outcome-title").render())
        assert form.query_one("#outcome", Select).value == "promise"
        assert form.query_one("#time", Input).value == ""
        assert form.query_one("#amount", Input).value == "1000.00"
        assert form.query_one("#errors").render().plain == ""  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang", "full", "foreign"), [("en", "DD/MM/YYYY", "JJ"), ("fr", "JJ/MM/AAAA", "DD")])
async def test_the_date_fields_show_the_pattern_in_the_collectors_letters(make_app, lang, full, foreign) -> None:  # type: ignore[no-untyped-def]
    """An English collector reads DD/MM/YYYY, a French one JJ/MM/AAAA: a pattern in the
    other language's letters reads like a foreign word in the middle of a call."""
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f3")
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        for field in ("date", "sent_on", "rest_date", "consequence_date"):
            hint = str(form.query_one(f"#{field}", Input).placeholder)
            assert hint.startswith(full) and foreign not in hint, (field, hint)
        assert str(form.query_one("#commitment_date", Input).placeholder).startswith(full[:5])


async def test_a_box_ticked_or_not_reads_so_without_colour(make_app) -> None:  # type: ignore[no-untyped-def]
    """"Client in difficulty" and the process faults: an "X" when ticked, an empty box when
    not, in the text itself (Textual's boxes show an "X" either way, told apart by colour)."""
    from textual.widgets import Checkbox, SelectionList

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f3")
        form = app.screen
        assert isinstance(form, OutcomeScreen)
        box = form.query_one("#in_difficulty", Checkbox)
        faults = form.query_one("#faults", SelectionList)

        def box_text() -> str:
            return str(box.render())

        def fault_text(index: int) -> str:
            return faults.render_line(index).text

        assert "X" not in box_text() and "Client in difficulty" in box_text()
        assert all("X" not in fault_text(i) for i in range(faults.option_count))
        box.value = True
        faults.select("missing_po")
        await pilot.pause()
        assert "X" in box_text()
        marked = [i for i in range(faults.option_count) if "X" in fault_text(i)]
        assert [str(faults.get_option_at_index(i).value) for i in marked] == ["missing_po"]
