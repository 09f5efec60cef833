"""A look at another day (``--as-of``) answers for that day and writes nothing: the promise
a client made for Friday is not broken on Tuesday because someone looked at next week."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from callcoach.cli import context
from callcoach.cli.main import app
from callcoach.db.engine import session_scope
from callcoach.db.tables import Debtor, FollowUp, Promise
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services import calls
from callcoach.services.desk import Desk
from tests.factories import small_ledger

runner = CliRunner()
pytestmark = pytest.mark.both_engines
PRESENT = date(2026, 12, 1)
PROMISED_FOR = date(2026, 12, 4)
LOOKED_AT = "2026-12-09"  # past the promise and its grace days: broken on that day


def at(day: date) -> Clock:
    return Clock.fixed(datetime(day.year, day.month, day.day, 10, tzinfo=UTC), UTC)


@pytest.fixture
def ledger(tmp_path: Path, engine: Engine, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Alpha promised on the present day to pay 1,000 € on 04/12; the CLI's today is 01/12."""
    small_ledger(tmp_path, engine, clock)
    with session_scope(engine) as s:
        alpha = s.exec(select(Debtor.id).where(Debtor.name == "Alpha SARL")).one()[0]
        call = calls.start_call(s, debtor_id=alpha, contact_id=None, clock=at(PRESENT))
        entry = OutcomeEntry(Outcome.PROMISE, amount_cents=100000, on=PROMISED_FOR, method="transfer")
        calls.end_call(s, call_id=call.id, entry=entry, notes="", stage="close", excuses=[], clock=at(PRESENT))
    monkeypatch.setattr(context, "present", lambda: at(PRESENT))
    return engine


def cc(db: Path | str, *args: str, lang: str = "en") -> str:
    result = runner.invoke(app, ["--db", str(db), "--lang", lang, *args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr + result.stdout
    return result.stdout


def kept(engine: Engine) -> tuple[list[str], list[tuple[str, str]]]:
    with session_scope(engine) as s:
        statuses = [p.status for p in s.exec(select(Promise)).scalars()]
        follow_ups = [(f.kind, f.what) for f in s.exec(select(FollowUp)).scalars()]
    return statuses, follow_ups


def promise_status(db: Path | str, *args: str) -> str:
    return json.loads(cc(db, "show", "Alpha SARL", "--json", *args))["promises"][0]["status"]


def test_a_look_at_next_week_answers_for_it_and_changes_nothing(ledger: Engine, ledger_location: Path | str) -> None:
    assert promise_status(ledger_location) == "pending"
    looked = json.loads(cc(ledger_location, "today", "--as-of", LOOKED_AT, "--json"))
    alpha = next(r for r in looked["due_now"] if r["name"] == "Alpha SARL")
    assert alpha["broken_promises"] == 1 and alpha["due"][0]["kind"] == "callback"  # that day's answer
    assert "Alpha SARL" in cc(ledger_location, "list", "--as-of", LOOKED_AT)
    assert promise_status(ledger_location, "--as-of", LOOKED_AT) == "broken"
    # Back to the present: the promise is still pending, no callback was planned, and the
    # client who promised to pay in three days gets no reminder.
    assert kept(ledger) == (["pending"], [])
    assert promise_status(ledger_location) == "pending"
    assert "Alpha SARL" not in cc(ledger_location, "remind", "--dry-run")


def test_a_look_at_another_day_from_the_desk_changes_nothing(ledger: Engine) -> None:
    desk = Desk(ledger, clock=Clock.on(date(2026, 12, 9), UTC, what_if=True), lang="en")
    rows = {r.name: r for r in desk.call_list()}
    assert rows["Alpha SARL"].promises_broken == 1 and rows["Alpha SARL"].due_now
    alpha = rows["Alpha SARL"].debtor_id
    assert [p.status for p in desk.debtor_view(alpha).file.promises] == ["broken"]
    assert any("promise broken" in e.text.lower() for e in desk.timeline(alpha))
    assert kept(ledger) == (["pending"], [])


def test_the_present_day_records_the_broken_promise_and_its_callback(
    ledger: Engine, ledger_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "present", lambda: at(date(2026, 12, 9)))
    cc(ledger_location, "today")
    assert kept(ledger) == (["broken"], [("callback", "broken_promise")])
    with session_scope(ledger) as s:
        due = s.exec(select(FollowUp)).one()[0].due_at
    assert due.date() == date(2026, 12, 8)  # the day after the deadline (5.2)
    # Looking at the same day with --as-of is the present too: nothing more is added.
    cc(ledger_location, "today", "--as-of", LOOKED_AT)
    assert kept(ledger) == (["broken"], [("callback", "broken_promise")])


def test_the_broken_promise_callback_is_worded_in_the_readers_language(
    ledger: Engine, ledger_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "present", lambda: at(date(2026, 12, 9)))
    cc(ledger_location, "today")
    french = cc(ledger_location, "show", "Alpha SARL", lang="fr")
    assert "promesse non tenue : rappeler" in french and "promise broken" not in french
    assert "promise broken: call back" in cc(ledger_location, "show", "Alpha SARL")
    desk = Desk(ledger, clock=at(date(2026, 12, 9)), lang="fr")
    alpha = next(r.debtor_id for r in desk.call_list() if r.name == "Alpha SARL")
    history = " ".join(e.text for e in desk.timeline(alpha)).lower()
    assert "promesse non tenue" in history and "promise broken" not in history
