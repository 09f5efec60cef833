"""Follow-through over days: each rule checked as time walks forward (no real clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from callcoach.db.engine import session_scope
from callcoach.db.tables import Debtor, FollowUp, Invoice, Promise
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services import calls
from callcoach.services.calllist import call_list, day_figures
from callcoach.services.followthrough import settle_promises
from callcoach.services.payments import record_payment
from tests.factories import small_ledger

D = date(2026, 11, 27)  # the day the client promises to pay


def at(day: date, hour: int = 10, minute: int = 0) -> Clock:
    return Clock.fixed(datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC), UTC)


def debtor_id(engine: Engine, name: str) -> int:
    with session_scope(engine) as s:
        return s.exec(select(Debtor.id).where(Debtor.name == name)).one()[0]


def end_call(engine: Engine, clock: Clock, name: str, entry: OutcomeEntry) -> None:
    with session_scope(engine) as s:
        call = calls.start_call(s, debtor_id=debtor_id(engine, name), contact_id=None, clock=clock)
        calls.end_call(s, call_id=call.id, entry=entry, notes="", stage="close", excuses=[], clock=clock)


def ranked(engine: Engine, clock: Clock) -> list[tuple[str, bool, bool, list[str]]]:
    with session_scope(engine) as s:
        settle_promises(s, clock=clock)
        return [(r.name, r.due_now, r.waiting, [d.kind for d in r.due]) for r in call_list(s, clock=clock)]


def pay(engine: Engine, clock: Clock, number: str, cents: int, on: date) -> None:
    with session_scope(engine) as s:
        record_payment(s, invoice_number=number, amount_cents=cents, paid_on=on, clock=clock)


def promise_rows(engine: Engine) -> list[tuple[int, date, str, int]]:
    with session_scope(engine) as s:
        return [
            (p.amount_cents, p.due_date, p.status, p.received_cents)
            for p in s.exec(select(Promise).order_by(Promise.due_date)).scalars()
        ]


@pytest.fixture
def ledger(tmp_path: Path, engine: Engine, clock: Clock) -> Engine:
    small_ledger(tmp_path, engine, clock)
    return engine


def promise(amount: int, on: date) -> OutcomeEntry:
    return OutcomeEntry(Outcome.PROMISE, amount_cents=amount, on=on, method="transfer")


def test_promise_kept_by_a_payment_on_d_plus_2(ledger: Engine) -> None:
    end_call(ledger, at(date(2026, 11, 26)), "Gamma", promise(100000, D))
    assert ranked(ledger, at(date(2026, 11, 26)))[-1][:3] == ("Gamma", False, True)  # waiting, not asked again
    pay(ledger, at(date(2026, 11, 29)), "C-1", 100000, date(2026, 11, 29))
    assert promise_rows(ledger) == [(100000, D, "kept", 100000)]
    assert "Gamma" not in [r[0] for r in ranked(ledger, at(date(2026, 12, 5)))]  # paid: nothing to call about


def test_promise_broken_at_d_plus_4_puts_the_debtor_first_with_a_callback(ledger: Engine) -> None:
    end_call(ledger, at(date(2026, 11, 26)), "Alpha SARL", promise(100000, D))
    pay(ledger, at(date(2026, 11, 28)), "A-1", 40000, date(2026, 11, 28))
    on_deadline = at(date(2026, 11, 30))
    assert ranked(ledger, on_deadline)[-1][0] == "Alpha SARL"  # still waiting on D+3
    assert promise_rows(ledger) == [(100000, D, "pending", 40000)]  # promised 1 000, received 400
    after = at(date(2026, 12, 1), 9, 0)
    top = ranked(ledger, after)[0]
    assert top == ("Alpha SARL", True, False, ["callback"])
    assert promise_rows(ledger) == [(100000, D, "broken", 40000)]
    with session_scope(ledger) as s:
        callback = s.exec(select(FollowUp)).scalars().one()
        assert (callback.kind, callback.due_at) == ("callback", datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
        assert day_figures(s, clock=after).due_today == 1


def test_plan_of_five_instalments_with_one_missed(ledger: Engine) -> None:
    first = date(2026, 11, 26)
    entry = OutcomeEntry(Outcome.PLAN, amount_cents=100000, count=5, on=first, method="transfer")  # 5 x 200
    end_call(ledger, at(first), "Gamma", entry)
    pay(ledger, at(first), "C-1", 20000, first)  # the first one, immediately
    pay(ledger, at(date(2026, 12, 27)), "C-1", 20000, date(2026, 12, 27))
    # January's instalment (due 26/01, deadline 29/01) never comes.
    ranking = ranked(ledger, at(date(2027, 1, 30), 10))
    statuses = [(due, status, got) for _, due, status, got in promise_rows(ledger)]
    assert statuses == [
        (date(2026, 11, 26), "kept", 20000),
        (date(2026, 12, 26), "kept", 20000),
        (date(2027, 1, 26), "broken", 0),
        (date(2027, 2, 26), "pending", 0),
        (date(2027, 3, 26), "pending", 0),
    ]
    assert ranking[0][:2] == ("Gamma", True)


def test_a_callback_at_14_is_due_now_from_14(ledger: Engine) -> None:
    entry = OutcomeEntry(Outcome.CALLBACK, on=date(2026, 11, 27), at=time(14, 0))
    end_call(ledger, at(date(2026, 11, 26)), "Alpha SARL", entry)
    assert ranked(ledger, at(date(2026, 11, 27), 13, 59))[-1][:3] == ("Alpha SARL", False, True)
    assert ranked(ledger, at(date(2026, 11, 27), 14, 0))[0] == ("Alpha SARL", True, False, ["callback"])
    # Calling back closes it: the debtor returns to the ranked order.
    no_answer = OutcomeEntry(Outcome.NO_ANSWER, next_step="written_reminder", on=date(2026, 11, 30))
    end_call(ledger, at(date(2026, 11, 27), 14, 5), "Alpha SARL", no_answer)
    assert ranked(ledger, at(date(2026, 11, 27), 15)) == [
        ("Gamma", False, False, []),
        ("Beta SA", False, False, []),
        ("Alpha SARL", False, False, []),
    ]


def test_an_announced_step_surfaces_the_day_after_its_date(ledger: Engine) -> None:
    entry = OutcomeEntry(Outcome.REFUSED, consequence="legal_action", consequence_on=date(2026, 12, 3))
    end_call(ledger, at(date(2026, 11, 26)), "Beta SA", entry)
    assert not ranked(ledger, at(date(2026, 12, 2), 23, 59))[0][1]
    top = ranked(ledger, at(date(2026, 12, 3), 8))[0]
    assert top == ("Beta SA", True, False, ["consequence"])


def test_the_collectors_own_commitment_is_due_at_its_time(ledger: Engine) -> None:
    entry = OutcomeEntry(
        Outcome.CALLBACK,
        on=date(2026, 11, 28),
        at=time(10, 0),
        commitment="send the invoice copy",
        commitment_on=date(2026, 11, 26),
        commitment_at=time(16, 0),
    )
    end_call(ledger, at(date(2026, 11, 26)), "Gamma", entry)
    assert ranked(ledger, at(date(2026, 11, 26), 16))[0] == ("Gamma", True, False, ["commitment"])


def test_a_disputed_part_is_not_asked_for(ledger: Engine) -> None:
    with session_scope(ledger) as s:
        invoice_id = s.exec(select(Invoice.id).where(Invoice.number == "B-1")).one()[0]
    entry = OutcomeEntry(Outcome.DISPUTE, invoice_id=invoice_id, amount_cents=20000, reason="wrong quantity")
    end_call(ledger, at(date(2026, 11, 26)), "Beta SA", entry)
    with session_scope(ledger) as s:
        rows = {r.name: r for r in call_list(s, clock=at(date(2026, 11, 26)))}
    assert (rows["Beta SA"].overdue_cents, rows["Beta SA"].disputed_cents, rows["Beta SA"].open_disputes) == (
        80000,
        20000,
        1,
    )
    with session_scope(ledger) as s:
        assert s.get(Invoice, invoice_id).status == "open"  # partly disputed: the rest stays claimable


def test_in_difficulty_and_faults_are_kept(ledger: Engine) -> None:
    entry = OutcomeEntry(
        Outcome.NO_ANSWER,
        next_step="written_reminder",
        on=date(2026, 11, 30),
        in_difficulty=True,
        faults=["wrong_address", "missing_po"],
    )
    end_call(ledger, at(date(2026, 11, 26)), "Gamma", entry)
    with session_scope(ledger) as s:
        rows = {r.name: r for r in call_list(s, clock=at(date(2026, 11, 26)))}
        from callcoach.db.tables import Call

        assert s.exec(select(Call.faults)).one()[0] == "wrong_address,missing_po"
    assert rows["Gamma"].in_difficulty


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (OutcomeEntry(Outcome.REFUSED, consequence="legal_action"), "announced step: enter the date"),
        (
            OutcomeEntry(Outcome.REFUSED, consequence="legal_action", consequence_on=date(2026, 1, 1)),
            "announced step: the date is in the past",
        ),
        (OutcomeEntry(Outcome.NO_ANSWER, commitment="call the accountant"), "my commitment: enter when"),
    ],
)
def test_incomplete_commitments_are_refused(ledger: Engine, entry: OutcomeEntry, message: str) -> None:
    from callcoach.services.errors import UserError

    with pytest.raises(UserError, match=message):
        end_call(ledger, at(date(2026, 11, 26)), "Gamma", entry)
