"""A team on one ledger: collectors, claimed calls, mine-and-the-pool lists (both engines)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from callcoach.db.engine import session_scope
from callcoach.db.tables import Call, Promise
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services import collectors
from callcoach.services.calls import CallTaken
from callcoach.services.desk import Desk
from callcoach.services.errors import UserError
from callcoach.services.store import open_ledger
from tests.factories import small_ledger


def _team(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        camille = collectors.add_collector(session, name="Camille Martin", language="fr")
        sam = collectors.add_collector(session, name="Sam Okafor", initials="so")
    return camille.id, sam.id


def _ids(desk: Desk) -> dict[str, int]:
    return {row.name: row.debtor_id for row in desk.call_list(settle=False)}


def test_a_colleagues_call_cannot_be_started_or_taken_and_names_them(
    tmp_path: Path, engine: Engine, clock: Clock
) -> None:
    small_ledger(tmp_path, engine, clock)
    camille, sam = _team(engine)
    desk_c = Desk(engine, clock=clock, lang="en", collector_id=camille)
    desk_s = Desk(engine, clock=clock, lang="en", collector_id=sam)
    gamma = _ids(desk_c)["Gamma"]
    call = desk_c.start_call(gamma, None)

    with pytest.raises(CallTaken) as taken:
        desk_s.start_call(gamma, None)
    assert str(taken.value) == "in a call with Camille Martin since 09:30"
    held = desk_s.held_call(gamma)
    assert held is not None and held.by == "Camille Martin"
    with pytest.raises(CallTaken):  # even confirmed: a colleague's live call is theirs
        desk_s.take_over(call.id, confirmed=True)

    desk_c.save_draft(call.id, notes="Camille's notes", stage="listen", excuses=[], outcome_draft="")
    desk_c.end_call(call.id, _promise(clock), notes="Camille's notes", stage="close", excuses=[])
    with session_scope(engine) as session:
        row = session.get(Call, call.id)
        assert row is not None and row.collector_id == camille and row.notes == "Camille's notes"
        promise = session.exec(select(Promise).where(Promise.call_id == call.id)).scalars().one()  # type: ignore[call-overload]
        assert promise.collector_id == camille
    assert desk_s.start_call(gamma, None).debtor_id == gamma  # ended: Sam may call now


def _promise(clock: Clock) -> OutcomeEntry:
    entry = OutcomeEntry(outcome=Outcome.PROMISE)
    entry.amount_cents, entry.on, entry.method = 10_000, clock.today().replace(day=28), "transfer"
    return entry


def test_two_claims_at_the_same_instant_give_one_call(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    """Several collectors press F2 on one debtor together: exactly one gets the call."""
    small_ledger(tmp_path, engine, clock)
    team = list(_team(engine))
    with session_scope(engine) as session:
        team += [collectors.add_collector(session, name=f"Collector {n}").id for n in range(3)]
    url = engine.url.render_as_string(hide_password=False)
    location: str | Path = url if engine.dialect.name != "sqlite" else Path(str(engine.url.database))
    alpha = _ids(Desk(engine, clock=clock, lang="en", collector_id=team[0]))["Alpha SARL"]
    start = threading.Barrier(len(team))
    won: list[int] = []
    refused: list[str] = []

    def claim(member: int) -> None:
        ledger = open_ledger(location)
        try:
            desk = Desk(ledger, clock=clock, lang="en", collector_id=member)
            start.wait()
            try:
                desk.start_call(alpha, None)
                won.append(member)
            except CallTaken as exc:
                refused.append(str(exc))
        finally:
            ledger.dispose()

    threads = [threading.Thread(target=claim, args=(member,)) for member in team]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(won) == 1 and len(refused) == len(team) - 1
    with session_scope(engine) as session:
        open_calls = session.exec(select(Call).where(Call.debtor_id == alpha, Call.ended_at.is_(None))).scalars().all()  # type: ignore[call-overload,union-attr]
    assert len(open_calls) == 1 and open_calls[0].collector_id == won[0]


def test_my_list_holds_my_debtors_and_the_pool(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    small_ledger(tmp_path, engine, clock)
    camille, sam = _team(engine)
    everyone = _ids(Desk(engine, clock=clock, lang="en"))
    with session_scope(engine) as session:
        collectors.assign(session, debtor_id=everyone["Gamma"], collector_id=sam)
        collectors.assign(session, debtor_id=everyone["Beta SA"], collector_id=camille)
    assert set(_ids(Desk(engine, clock=clock, lang="en", collector_id=camille))) == set(everyone) - {"Gamma"}
    assert set(_ids(Desk(engine, clock=clock, lang="en", collector_id=sam))) == set(everyone) - {"Beta SA"}
    assert set(_ids(Desk(engine, clock=clock, lang="en", collector_id=sam, everyone=True))) == set(everyone)
    assert Desk(engine, clock=clock, lang="en", collector_id=sam).call_list_length() == len(everyone) - 1


def test_who_is_at_it_on_a_team_ledger(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert collectors.who_is_at_it(session, None) is None  # one person: nobody to name
        with pytest.raises(UserError, match="has no collectors"):
            collectors.who_is_at_it(session, "Camille")
    _team(engine)
    with session_scope(engine) as session:
        with pytest.raises(UserError, match="say who you are"):
            collectors.who_is_at_it(session, None)
        assert collectors.who_is_at_it(session, "camille").name == "Camille Martin"  # type: ignore[union-attr]
        assert collectors.who_is_at_it(session, "SO").name == "Sam Okafor"  # type: ignore[union-attr]
        with pytest.raises(UserError, match="not found; the team is Camille Martin, Sam Okafor"):
            collectors.who_is_at_it(session, "Dominique")
        with pytest.raises(UserError, match="already exists"):
            collectors.add_collector(session, name="Camille  Martin")


def test_the_claim_index_is_in_the_schema(engine: Engine) -> None:
    from sqlalchemy import inspect

    names = {index["name"]: index for index in inspect(engine).get_indexes("call")}
    assert names["uq_call_open_per_debtor"]["unique"]  # built by migration 0016, on both engines


def test_the_promise_for_the_undisputed_rest_carries_the_collector(
    tmp_path: Path, engine: Engine, clock: Clock
) -> None:
    small_ledger(tmp_path, engine, clock)
    camille, _ = _team(engine)
    desk = Desk(engine, clock=clock, lang="en", collector_id=camille)
    beta = _ids(desk)["Beta SA"]
    invoice = desk.debtor_view(beta).file.overdue_invoices(clock.today())[0]
    call = desk.start_call(beta, None)
    entry = OutcomeEntry(outcome=Outcome.DISPUTE)
    entry.invoice_id, entry.amount_cents, entry.reason = invoice.id, 10_000, "one line never delivered"
    entry.rest_cents, entry.rest_on, entry.method = 40_000, clock.today().replace(day=30), "transfer"
    desk.end_call(call.id, entry, notes="disputes part", stage="close", excuses=[])
    with session_scope(engine) as session:
        promise = session.exec(select(Promise).where(Promise.call_id == call.id)).scalars().one()  # type: ignore[call-overload]
    assert (promise.amount_cents, promise.collector_id) == (40_000, camille)
