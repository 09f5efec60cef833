"""The kept balances give the call list the aggregate query gave (issue 19), on both engines.

The reference is ``calllist.aggregate_list``: the list's original query, adding up every
open invoice. On generated ledgers (currencies, partial payments, disputes, promises,
follow-ups, balances counted on another day than the list's) both must give the same rows in
the same order, page by page. Then, as a user would check it: after a payment, an import, a
dispute, a credit note or a forget, the list shows the right amount and order, from
balances that are already up to date; ``check`` finds a balance that drifted and repairs it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, text

from callcoach.db.engine import session_scope
from callcoach.db.tables import Call, Collector, Debtor, Dispute, FollowUp, Invoice, Promise
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services import balances, collectors
from callcoach.services.calllist import CallListRow, aggregate_list, call_list, call_list_length, day_figures
from callcoach.services.desk import Desk
from callcoach.services.privacy import forget_debtor
from tests.factories import FR_HEADER, fr_line, import_file, small_ledger, write_export

invoice_st = st.fixed_dictionaries(
    {
        "debtor": st.integers(0, 5),
        "currency": st.sampled_from(["EUR", "EUR", "EUR", "USD", "CHF"]),
        "amount": st.sampled_from([10_000, 25_000, 50_000]) | st.integers(-20_000, 400_000),
        "paid_share": st.sampled_from([0, 0, 0, 0.5, 1]),
        "due_in": st.integers(-60, 20),
        "status": st.sampled_from(["open", "open", "open", "paid", "disputed"]),
    }
)
dispute_st = st.fixed_dictionaries(
    {"invoice": st.integers(0, 30), "amount": st.integers(1, 300_000), "status": st.sampled_from(["open", "resolved"])}
)
promise_st = st.fixed_dictionaries(
    {
        "debtor": st.integers(0, 5),
        "due_in": st.integers(-10, 10),
        "status": st.sampled_from(["pending", "broken", "kept"]),
        "instalments": st.sampled_from([None, 3]),
    }
)
follow_up_st = st.fixed_dictionaries(
    {
        "debtor": st.integers(0, 5),
        "hours": st.integers(-72, 72),
        "kind": st.sampled_from(["callback", "commitment", "consequence"]),
        "done": st.booleans(),
    }
)


def _fill(engine: Engine, today: date, data: dict) -> None:  # type: ignore[type-arg]
    with session_scope(engine) as s:
        for model in (FollowUp, Promise, Dispute, Call, Invoice, Debtor, Collector):
            s.execute(delete(model))
        team = [Collector(name=f"Collector {n}") for n in range(2)]
        s.add_all(team)
        s.flush()
        debtors = [
            Debtor(
                name=f"Debtor {n}",
                name_key=f"debtor {n}",
                in_difficulty=n in data["flagged"],
                collector_id=team[data["assigned"][n]].id if data["assigned"][n] is not None else None,
            )
            for n in range(6)
        ]
        s.add_all(debtors)
        s.flush()
        invoices = []
        for n, spec in enumerate(data["invoices"]):
            amount = spec["amount"]
            invoices.append(
                Invoice(
                    debtor_id=debtors[spec["debtor"]].id,
                    number=f"F-{n}",
                    issue_date=today - timedelta(days=100),
                    due_date=today + timedelta(days=spec["due_in"]),
                    amount_cents=amount,
                    paid_cents=int(amount * spec["paid_share"]) if amount > 0 else 0,
                    currency=spec["currency"],
                    status=spec["status"],
                )
            )
        s.add_all(invoices)
        s.flush()
        for spec in data["disputes"]:
            if spec["invoice"] < len(invoices):
                target = invoices[spec["invoice"]]
                s.add(
                    Dispute(
                        debtor_id=target.debtor_id,
                        invoice_id=target.id,
                        amount_cents=spec["amount"],
                        reason="x",
                        opened_on=today,
                        status=spec["status"],
                    )
                )
        for spec in data["promises"]:
            s.add(
                Promise(
                    debtor_id=debtors[spec["debtor"]].id,
                    amount_cents=1000,
                    due_date=today + timedelta(days=spec["due_in"]),
                    status=spec["status"],
                    instalment_no=1 if spec["instalments"] else None,
                    instalment_count=spec["instalments"],
                )
            )
        moment = datetime.combine(today, time(9, 30)).astimezone()
        for spec in data["follow_ups"]:
            s.add(
                FollowUp(
                    debtor_id=debtors[spec["debtor"]].id,
                    kind=spec["kind"],
                    due_at=moment + timedelta(hours=spec["hours"]),
                    done_at=moment if spec["done"] else None,
                )
            )
        for n in data["called"]:
            s.add(Call(debtor_id=debtors[n].id, started_at=moment - timedelta(days=n), ended_at=moment))


def _shown(rows: list[CallListRow]) -> list[tuple[object, ...]]:
    """What a row shows, in order (the due items are read apart, for the rows due now)."""
    return [
        (
            r.debtor_id,
            r.name,
            r.in_difficulty,
            r.currency,
            r.overdue_cents,
            r.oldest_due,
            r.overdue_invoices,
            r.disputed_cents,
            r.open_disputes,
            r.last_contact,
            r.promises_pending,
            r.promises_broken,
            r.plans_pending,
            r.callbacks_later,
            r.due_now,
            r.waiting,
            [d.due_at for d in r.due],
        )
        for r in rows
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.fixed_dictionaries(
        {
            "invoices": st.lists(invoice_st, min_size=1, max_size=24),
            "disputes": st.lists(dispute_st, max_size=5),
            "promises": st.lists(promise_st, max_size=3),
            "follow_ups": st.lists(follow_up_st, max_size=3),
            "called": st.lists(st.integers(0, 5), max_size=3, unique=True),
            "flagged": st.lists(st.integers(0, 5), max_size=2, unique=True),
            "assigned": st.lists(st.sampled_from([None, None, 0, 1]), min_size=6, max_size=6),
        }
    ),
    counted_on=st.integers(-25, 25),
    page=st.integers(1, 4),
)
def test_the_balances_rank_exactly_as_the_aggregate_query(
    engine: Engine,
    clock: Clock,
    data: dict,
    counted_on: int,
    page: int,  # type: ignore[type-arg]
) -> None:
    today = clock.today()
    _fill(engine, today, data)
    with session_scope(engine) as s:  # the balances counted on another day than the list's, before or after
        balances.refresh(s.connection(), None, today + timedelta(days=counted_on))
    with session_scope(engine, write=False) as s:
        expected = _shown(aggregate_list(s, clock=clock))
        assert _shown(call_list(s, clock=clock)) == expected
        assert call_list_length(s, clock=clock) == len(expected)
        pages = [call_list(s, clock=clock, limit=page, offset=o) for o in range(0, len(expected) + 1, page)]
        assert [row for rows in pages for row in _shown(rows)] == expected
        typed = [r for r in aggregate_list(s, clock=clock) if "1" in r.name]
        assert _shown(call_list(s, clock=clock, name_filter="tor 1")) == _shown(typed)
        me = s.execute(text("SELECT MIN(id) FROM collector")).scalar_one()
        theirs = {
            int(i) for i in s.execute(text("SELECT id FROM debtor WHERE collector_id <> :me"), {"me": me}).scalars()
        }
        mine = [r for r in aggregate_list(s, clock=clock) if r.debtor_id not in theirs]
        assert _shown(call_list(s, clock=clock, mine=me)) == _shown(mine)
        assert day_figures(s, clock=clock).overdue_by_currency == _overdue_by_currency(s, clock)
        assert balances.total_drift(s) == []


def _overdue_by_currency(session: object, clock: Clock) -> dict[str, int]:
    """The day bar's total as it was added up before the balances: every open overdue invoice."""
    found = session.execute(  # type: ignore[attr-defined]
        text(
            "SELECT currency, SUM(amount_cents - paid_cents) FROM invoice WHERE status = 'open' "
            "AND due_date < :today AND amount_cents > paid_cents GROUP BY currency"
        ),
        {"today": clock.today()},
    )
    return {str(c): int(t) for c, t in found}


def _list(engine: Engine, clock: Clock) -> list[tuple[str, str, int]]:
    """The list as the desk shows it, checked against the aggregate, from balances that are up
    to date: nothing left for the read to recompute."""
    with session_scope(engine, write=False) as s:
        rows = call_list(s, clock=clock)
        assert _shown(rows) == _shown(aggregate_list(s, clock=clock))
        assert balances.stale_debtors(s.connection(), clock.today()) == []
        assert day_figures(s, clock=clock).overdue_by_currency == _overdue_by_currency(s, clock)
        assert balances.total_drift(s) == []
    return [(r.name, r.currency, r.overdue_cents) for r in rows]


SHOWN = "name, in_difficulty, collector_id, last_call, open_disputes"


def _kept(engine: Engine, clock: Clock, debtor_id: int) -> tuple[object, ...]:
    """What the debtor's balance row holds for the list beside the amounts, once checked that
    the write left nothing stale and nothing the invoices, calls and disputes would not give."""
    _list(engine, clock)
    with session_scope(engine) as s:
        assert balances.drift(s, today=clock.today()) == []
        row = s.execute(
            text(
                "SELECT name, in_difficulty, collector_id, last_call, open_disputes FROM balance WHERE debtor_id = :d"
            ),
            {"d": debtor_id},
        ).one()
    name, flagged, collector, last_call, disputes = row
    return name, bool(flagged), collector, last_call is not None, disputes


def test_what_the_list_shows_of_a_debtor_follows_every_write(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    """The balance row holds the debtor's name, flag, collector, last call and open disputes
    (the list's middle part reads nothing else): each write that changes one of them, by
    the desk or by another program's SQL, leaves the row right."""
    small_ledger(tmp_path, engine, clock)
    desk = Desk(engine, clock=clock, lang="en")
    beta = next(r for r in desk.call_list() if r.name == "Beta SA").debtor_id
    assert _kept(engine, clock, beta) == ("Beta SA", False, None, False, 0)
    with session_scope(engine) as s:
        camille = collectors.add_collector(s, name="Camille Martin").id
        collectors.assign(s, debtor_id=beta, collector_id=camille)
    assert _kept(engine, clock, beta) == ("Beta SA", False, camille, False, 0)
    call = desk.start_call(beta, None)
    assert _kept(engine, clock, beta) == ("Beta SA", False, camille, True, 0)
    with session_scope(engine) as s:
        renamed = "UPDATE debtor SET name = 'Beta Group', name_key = 'beta group', in_difficulty = :t WHERE id = :d"
        s.execute(text(renamed), {"t": True, "d": beta})
        s.add(Dispute(debtor_id=beta, amount_cents=5000, reason="late delivery", opened_on=clock.today()))
    assert _kept(engine, clock, beta) == ("Beta Group", True, camille, True, 1)
    with session_scope(engine) as s:
        s.execute(text("DELETE FROM collector WHERE id = :c"), {"c": camille})  # the debtor back in the pool
        s.execute(text("DELETE FROM call WHERE id = :c"), {"c": call.id})
        s.execute(text("UPDATE dispute SET status = 'resolved'"))
    assert _kept(engine, clock, beta) == ("Beta Group", True, None, False, 0)


def test_a_payment_moves_the_debtor_down(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    small_ledger(tmp_path, engine, clock)
    desk = Desk(engine, clock=clock, lang="en")
    assert _list(engine, clock)[0] == ("Gamma", "EUR", 100000)
    desk.record_payment("C-1", 60000, clock.today(), "transfer")
    assert _list(engine, clock) == [("Beta SA", "EUR", 100000), ("Alpha SARL", "EUR", 100000), ("Gamma", "EUR", 40000)]
    desk.record_payment("C-1", 40000, clock.today(), "transfer")  # paid in full: off the list
    assert [name for name, _, _ in _list(engine, clock)] == ["Beta SA", "Alpha SARL"]


def test_an_import_updates_amounts_and_adds_debtors(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    small_ledger(tmp_path, engine, clock)
    newer = write_export(
        tmp_path / "newer.csv",
        [
            FR_HEADER,
            fr_line("A-1", "Alpha SARL", date(2026, 9, 1), date(2026, 10, 1), "1 000,00", "900,00"),
            fr_line("Z-1", "Zeta", date(2026, 9, 1), date(2026, 10, 1), "5 000,00"),
            fr_line("Z-2", "Zeta", date(2026, 9, 1), date(2026, 11, 2), "120,00"),
        ],
    )
    import_file(engine, newer, clock)
    assert _list(engine, clock) == [
        ("Zeta", "EUR", 512000),
        ("Gamma", "EUR", 100000),
        ("Beta SA", "EUR", 100000),
        ("Alpha SARL", "EUR", 10000),
    ]


def test_a_dispute_then_a_credit_note(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    small_ledger(tmp_path, engine, clock)
    desk = Desk(engine, clock=clock, lang="en")
    beta = next(r for r in desk.call_list() if r.name == "Beta SA")
    invoice = desk.debtor_view(beta.debtor_id).file.overdue_invoices(clock.today())[0]
    call = desk.start_call(beta.debtor_id, None)
    entry = OutcomeEntry(outcome=Outcome.DISPUTE, invoice_id=invoice.id, amount_cents=20000, reason="one box broken")
    desk.end_call(call.id, entry, notes="Box broken.", stage="close", excuses=[])
    with session_scope(engine, write=False) as s:
        row = next(r for r in call_list(s, clock=clock) if r.name == "Beta SA")
        dispute_id = s.execute(text("SELECT id FROM dispute")).scalar_one()
    assert (row.overdue_cents, row.disputed_cents, row.open_disputes) == (80000, 20000, 1)
    assert ("Beta SA", "EUR", 80000) in _list(engine, clock)
    desk.resolve_dispute(dispute_id, "credit_note")  # the disputed part is credited: no longer owed
    with session_scope(engine, write=False) as s:
        row = next(r for r in call_list(s, clock=clock) if r.name == "Beta SA")
    assert (row.overdue_cents, row.disputed_cents) == (80000, 0)
    _list(engine, clock)


def test_a_forgotten_debtor_keeps_its_amount_under_its_new_name(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    small_ledger(tmp_path, engine, clock)
    gamma = next(r for r in Desk(engine, clock=clock, lang="en").call_list() if r.name == "Gamma")
    forget_debtor(engine, debtor_id=gamma.debtor_id, clock=clock)
    shown = _list(engine, clock)
    assert shown[0][1:] == ("EUR", 100000) and shown[0][0] != "Gamma"
    with session_scope(engine, write=False) as s:
        assert [r.name for r in call_list(s, clock=clock, name_filter="gamma")] == []


def test_a_day_later_an_invoice_falls_due_without_any_write(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    small_ledger(tmp_path, engine, clock)
    later = Clock.on(date(2026, 12, 2), clock.tz)  # Delta's invoice fell due on 1 December
    with session_scope(engine, write=False) as s:
        rows = call_list(s, clock=later)
        assert _shown(rows) == _shown(aggregate_list(s, clock=later))
    assert rows[0].name == "Delta"
    Desk(engine, clock=later, lang="en").call_list()  # the desk's settle brings the balances to that day
    assert _list(engine, later)[0] == ("Delta", "EUR", 999900)


def test_check_finds_a_drifted_balance_and_repairs_it(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    small_ledger(tmp_path, engine, clock)
    with session_scope(engine) as s:
        assert balances.drift(s, today=clock.today()) == []
        s.execute(text("UPDATE balance SET claim_cents = claim_cents + 500 WHERE name_key = 'alpha sarl'"))
    with session_scope(engine) as s:
        [found] = balances.drift(s, today=clock.today())
        assert found.differences() == {"claim_cents": (100500, 100000)}
        assert balances.repair(s, [found], today=clock.today()) == 1
    with session_scope(engine) as s:
        assert balances.drift(s, today=clock.today()) == []
    assert _list(engine, clock)[2] == ("Alpha SARL", "EUR", 100000)
    with session_scope(engine) as s:
        s.execute(text("UPDATE balance_total SET owed_cents = owed_cents - 700"))
    with session_scope(engine) as s:
        assert balances.total_drift(s) == [("EUR", 299300, 300000)]
        balances.repair_totals(s)
    _list(engine, clock)
