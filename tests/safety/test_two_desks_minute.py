"""Issue 16, done when: two desks on one ledger, each ending calls on different debtors for
a minute, lose nothing. Each desk is what a window drives (its own engine, as another process
would have, and its own lease); both run at once and write as a collector does, the notes
saved as they are typed and then the outcome.

The suite counts calls rather than seconds: both desks keep calling until each has ended
CALLS calls, so they overlap from the first call to the last whatever the machine's speed.
A desk ends about three calls a second here, so the minute of the issue made some 150 each:
raise CALLS to run the minute by hand; thirty each already interleave every kind of write
(draft saves, endings, callbacks) of both desks."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from datetime import time as clock_time
from pathlib import Path

import pytest

from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services.calls import CallTaken
from callcoach.services.desk import Desk
from callcoach.services.errors import StoreError
from callcoach.services.store import open_ledger
from tests.conftest import TODAY
from tests.safety.helpers import demo_ledger

CALLS = 30  # calls each desk ends; both go on until both have
GIVE_UP = 180.0  # seconds: a desk still calling by then is stuck, not slow


@dataclass
class Tally:
    """What one desk wrote, to find in the ledger afterwards."""

    ended: dict[int, tuple[str, str]] = field(default_factory=dict)  # call id: (notes, outcome)
    refused: int = 0  # a debtor the other desk was calling: called somebody else
    retried: int = 0  # a busy ledger: the same step again, as the desk does
    failures: list[str] = field(default_factory=list)


def retrying(step):  # type: ignore[no-untyped-def]
    def run(tally: Tally, *args, **kwargs):  # type: ignore[no-untyped-def]
        for _ in range(20):
            try:
                return step(*args, **kwargs)
            except CallTaken:
                raise
            except StoreError:
                tally.retried += 1
                time.sleep(0.05)
        raise AssertionError("the ledger stayed busy")

    return run


def entry(n: int) -> OutcomeEntry:
    if n % 3 == 0:  # a callback: a follow-up written with the call
        day = TODAY.date() + timedelta(days=2)
        return OutcomeEntry(outcome=Outcome.CALLBACK, on=day, at=clock_time(10, 0))
    return OutcomeEntry(outcome=Outcome.WRONG_PERSON)


def collector(desk: Desk, name: str, busy: Callable[[], bool], tally: Tally, seed: int) -> None:
    pick = random.Random(seed)
    n = 0
    try:
        while busy():
            debtors = [r.debtor_id for r in desk.call_list(settle=False)]
            debtor = pick.choice(debtors)
            try:
                call = retrying(desk.start_call)(tally, debtor, None)
            except CallTaken:
                tally.refused += 1
                continue
            n += 1
            notes = ""
            for word in range(pick.randint(3, 8)):  # typed, saved as it goes
                notes += f"{name}{n}w{word} "
                retrying(desk.save_draft)(tally, call.id, notes=notes, stage="listen", excuses=[])
            final = notes + f"end of {name}{n}"
            done = entry(n)
            retrying(desk.end_call)(tally, call.id, done, notes=final, stage="close", excuses=[])
            tally.ended[call.id] = (final, str(done.outcome))
    except Exception as exc:
        tally.failures.append(f"{name}: {type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_two_desks_for_a_minute_lose_nothing(tmp_path: Path) -> None:
    db = demo_ledger(tmp_path)
    clock = Clock.fixed(TODAY, UTC)
    desks = {name: Desk(open_ledger(db), clock=clock, lang="en") for name in ("A", "B")}
    tallies = {name: Tally() for name in desks}
    give_up = time.monotonic() + GIVE_UP

    def busy() -> bool:
        short = any(len(t.ended) < CALLS and not t.failures for t in tallies.values())
        return short and time.monotonic() < give_up

    threads = [
        threading.Thread(target=collector, args=(desk, name, busy, tallies[name], seed))
        for seed, (name, desk) in enumerate(desks.items())
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GIVE_UP + 60)
    assert not any(t.is_alive() for t in threads)
    print({name: (len(t.ended), t.refused, t.retried) for name, t in tallies.items()})  # ended, refused, retried
    assert [f for t in tallies.values() for f in t.failures] == []

    con = sqlite3.connect(db)
    calls = {r[0]: (r[1], r[2], r[3]) for r in con.execute("select id, notes, outcome, ended_at from call")}
    callbacks = con.execute("select count(*) from followup where kind = 'callback'").fetchone()[0]
    con.close()
    ended = {**tallies["A"].ended, **tallies["B"].ended}
    assert len(tallies["A"].ended) >= CALLS and len(tallies["B"].ended) >= CALLS  # both really called
    assert set(calls) == set(ended)  # no call lost, none made up, none left open
    for call_id, (notes, outcome) in ended.items():
        assert calls[call_id][:2] == (notes, outcome), call_id
        assert calls[call_id][2] is not None
    assert callbacks == sum(1 for _, outcome in ended.values() if outcome == "callback")
    # Each call's notes are its own desk's: never merged with the other's.
    for call_id, (notes, _) in tallies["A"].ended.items():
        assert "B" not in notes.replace("end of", ""), call_id
