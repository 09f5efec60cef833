"""Issue 16, reproductions 1, 2, 5 and 7 at the service level: one window per open call,
erasure that no open desk can undo, and the notes' fallback file read back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services.calls import CallTaken, DebtorErased
from callcoach.services.desk import Desk
from callcoach.services.drafts import draft_path, save_draft_file
from callcoach.services.privacy import forget_debtor
from callcoach.services.store import open_ledger
from tests.factories import rows, small_ledger

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.fixture
def ledger(tmp_path: Path, engine: Engine, clock: Clock) -> Engine:
    small_ledger(tmp_path, engine, clock)
    return engine


def desk(engine: Engine, clock: Clock) -> Desk:
    """A desk window: its own engine (as another process would have) and its own lease."""
    return Desk(open_ledger(Path(str(engine.url.database))), clock=clock, lang="en")


def debtors(d: Desk) -> list[int]:
    return [r.debtor_id for r in d.call_list(settle=False)]


def test_two_desks_never_overwrite_each_others_notes(ledger: Engine, db_path: Path, clock: Clock) -> None:
    a, b = desk(ledger, clock), desk(ledger, clock)
    first, second = debtors(a)[:2]
    call = a.start_call(first, None)
    a.save_draft(call.id, notes="A1", stage=None, excuses=[])
    # B sees the call as taken, read-only, and cannot open a second one on that debtor.
    held = b.held_call(first)
    assert held is not None and held.notes == "A1" and held.since == NOW
    with pytest.raises(CallTaken, match="open in another window since 09:30"):
        b.start_call(first, None)
    assert b.open_call() is None  # nothing for B to resume: A is alive
    # B can call somebody else meanwhile.
    other = b.start_call(second, None)
    b.save_draft(other.id, notes="B on the second debtor", stage=None, excuses=[])
    b.end_call(other.id, OutcomeEntry(outcome=Outcome.WRONG_PERSON), notes="B on the second debtor", stage=None, excuses=[])
    # A keeps writing its own call.
    a.save_draft(call.id, notes="A1 A2", stage=None, excuses=[])
    assert rows(db_path, f"select notes from call where id = {call.id}") == [("A1 A2",)]
    # B takes A's call over only when the collector confirms; A is then refused, not merged.
    with pytest.raises(CallTaken):
        b.take_over(call.id, confirmed=False)
    taken = b.take_over(call.id, confirmed=True)
    assert taken.notes == "A1 A2"
    b.save_draft(call.id, notes="A1 A2 B1 B2", stage=None, excuses=[])
    with pytest.raises(CallTaken, match="taken over in another window"):
        a.save_draft(call.id, notes="A1 A2 A3", stage=None, excuses=[])
    with pytest.raises(CallTaken):
        a.heartbeat(call.id)
    with pytest.raises(CallTaken):
        a.end_call(call.id, OutcomeEntry(outcome=Outcome.WRONG_PERSON), notes="A", stage=None, excuses=[])
    assert rows(db_path, f"select notes, ended_at from call where id = {call.id}") == [("A1 A2 B1 B2", None)]
    assert not draft_path(call.id).exists()  # A's refused write left no file behind either


def test_a_call_left_by_a_dead_window_is_resumed(ledger: Engine, clock: Clock) -> None:
    a = desk(ledger, clock)
    call = a.start_call(debtors(a)[0], None)
    a.save_draft(call.id, notes="before the crash", stage=None, excuses=[])
    # The window died without a word (kill -9): its heartbeat stops; past the stale delay the
    # next desk gets the call back without asking.
    later = Clock.fixed(NOW + timedelta(minutes=2), UTC)
    b = desk(ledger, later)
    resumed = b.open_call()
    assert resumed is not None and resumed.id == call.id and resumed.notes == "before the crash"
    b.take_over(call.id, confirmed=False)
    b.save_draft(call.id, notes="before the crash, after", stage=None, excuses=[])


def test_a_window_that_closed_lets_its_call_go(ledger: Engine, clock: Clock) -> None:
    a = desk(ledger, clock)
    call = a.start_call(debtors(a)[0], None)
    a.release(call.id)
    b = desk(ledger, clock)
    assert b.open_call() is not None and b.held_call(call.debtor_id) is None


def test_forget_is_not_undone_by_an_open_desk(ledger: Engine, db_path: Path, clock: Clock) -> None:
    a = desk(ledger, clock)
    debtor = debtors(a)[0]
    call = a.start_call(debtor, None)
    a.save_draft(call.id, notes="SECRET", stage=None, excuses=[])
    forget_debtor(ledger, debtor_id=debtor, clock=clock)
    with pytest.raises(DebtorErased, match="erased"):
        a.save_draft(call.id, notes="SECRET and one more key", stage=None, excuses=[])
    with pytest.raises(DebtorErased):
        a.end_call(call.id, OutcomeEntry(outcome=Outcome.WRONG_PERSON), notes="SECRET", stage=None, excuses=[])
    with pytest.raises(DebtorErased):
        a.start_call(debtor, None)
    assert b"SECRET" not in db_path.read_bytes()
    assert rows(db_path, f"select notes, ended_at is not null, lease_token from call where id = {call.id}") == [
        ("", 1, None)
    ]
    assert a.open_call() is None  # nothing to resume at the next start either


def test_notes_kept_only_in_the_fallback_file_come_back(ledger: Engine, db_path: Path, clock: Clock) -> None:
    a = desk(ledger, clock)
    call = a.start_call(debtors(a)[0], None)
    a.save_draft(call.id, notes="older, in the ledger", stage=None, excuses=[])
    a.release(call.id)
    # The ledger was busy at the last save: the newer notes went to the file only, then a crash.
    values = {"call_id": call.id, "notes": "newer, in the file", "stage": "listen", "excuses": ["cash"]}
    save_draft_file({**values, "outcome_draft": ""}, saved_at=NOW + timedelta(seconds=30))
    resumed = desk(ledger, clock).open_call()
    assert resumed is not None and resumed.notes == "newer, in the file"
    assert resumed.stage_reached == "listen" and resumed.excuses == ("cash",)
    assert rows(db_path, f"select notes from call where id = {call.id}") == [("newer, in the file",)]
    assert not draft_path(call.id).exists()


def test_an_older_fallback_file_does_not_win(ledger: Engine, clock: Clock) -> None:
    a = desk(ledger, clock)
    call = a.start_call(debtors(a)[0], None)
    save_draft_file({"call_id": call.id, "notes": "stale", "stage": None, "excuses": []}, saved_at=NOW - timedelta(1))
    a.save_draft(call.id, notes="current", stage=None, excuses=[])
    a.release(call.id)
    assert desk(ledger, clock).open_call().notes == "current"  # type: ignore[union-attr]


def test_the_fallback_file_is_private_and_whole(ledger: Engine, clock: Clock) -> None:
    path = save_draft_file({"call_id": 7, "notes": "n", "stage": None, "excuses": []})
    assert path.stat().st_mode & 0o777 == 0o600
    assert json.loads(path.read_text())["notes"] == "n"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
