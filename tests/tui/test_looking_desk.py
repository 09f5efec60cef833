"""The desk opened on another day (``callcoach --as-of``): it says it is a preview, shows that
day's list, and leaves the ledger as today left it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from textual.widgets import DataTable

from callcoach.db.engine import session_scope
from callcoach.db.tables import Debtor
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services import calls
from callcoach.services.desk import Desk
from callcoach.tui.app import CallCoachApp
from tests.factories import rows
from tests.tui.conftest import START


def _promise(ledger: Engine) -> None:
    """Alpha promised on 26/11 to pay 1,000 € on 27/11."""
    clock = Clock.fixed(START, UTC)
    with session_scope(ledger) as s:
        alpha = s.exec(select(Debtor.id).where(Debtor.name == "Alpha SARL")).one()[0]
        call = calls.start_call(s, debtor_id=alpha, contact_id=None, clock=clock)
        entry = OutcomeEntry(Outcome.PROMISE, amount_cents=100000, on=date(2026, 11, 27), method="transfer")
        calls.end_call(s, call_id=call.id, entry=entry, notes="", stage="close", excuses=[], clock=clock)


async def test_a_desk_on_another_day_is_a_preview_that_records_nothing(ledger: Engine, db_path) -> None:  # type: ignore[no-untyped-def]
    _promise(ledger)
    ahead = Clock.fixed(datetime(2026, 12, 9, 10, tzinfo=UTC), UTC, what_if=True)
    app = CallCoachApp(Desk(ledger, clock=ahead, lang="fr"), recover=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bar = str(app.screen.query_one("#day-bar").render())
        assert "APERÇU" in bar and "09/12" in bar
        table = app.screen.query_one("#calls", DataTable)
        first = [str(cell) for cell in table.get_row_at(0)]
        assert first[0] == "Alpha SARL"  # on 09/12 the promise is broken: called back first
    assert rows(db_path, "select status from promise") == [("pending",)]
    assert rows(db_path, "select count(*) from followup") == [(0,)]


async def test_the_desk_of_today_is_no_preview(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("fr")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "APERÇU" not in str(app.screen.query_one("#day-bar").render())
