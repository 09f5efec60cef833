"""The overview's figures on small ledgers computed by hand (today: Thursday 26/11/2026)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.services.calllist import call_list
from callcoach.services.overview import aging, bucket_filter, dso, forecast, results
from tests.factories import HandLedger

D = date


@pytest.fixture
def hand(engine: Engine) -> HandLedger:
    return HandLedger(engine)


def _aging(engine: Engine, clock: Clock):  # type: ignore[no-untyped-def]
    with session_scope(engine, write=False) as session:
        return aging(session, clock=clock)


def test_each_bucket_boundary_falls_on_its_day(engine: Engine, hand: HandLedger, clock: Clock) -> None:
    a = hand.debtor("Alpha")
    # Due today: not late yet. Due yesterday: 1 day. 30 and 31 days, 90 and 91 days.
    for due, amount in [
        (D(2026, 11, 26), 100),
        (D(2026, 11, 25), 200),
        (D(2026, 10, 27), 400),
        (D(2026, 10, 26), 800),
        (D(2026, 8, 28), 1600),
        (D(2026, 8, 27), 3200),
    ]:
        hand.invoice(a, amount, issued=D(2026, 1, 1), due=due)
    [eur] = _aging(engine, clock).currencies
    assert [(b.key, b.amount_cents, b.invoices, b.debtors) for b in eur.buckets] == [
        ("not_due", 100, 1, 1),
        ("late_1_30", 600, 2, 1),
        ("late_31_60", 800, 1, 1),
        ("late_61_90", 1600, 1, 1),
        ("late_91", 3200, 1, 1),
    ]


def test_partial_payment_credit_note_dispute_and_two_currencies(engine: Engine, hand: HandLedger, clock: Clock) -> None:
    a, b = hand.debtor("Alpha"), hand.debtor("Beta")
    due = D(2026, 11, 1)  # 25 days late
    hand.invoice(a, 100_000, issued=D(2026, 10, 1), due=due, paid_cents=40_000)  # 600,00 left
    hand.invoice(a, -10_000, issued=D(2026, 10, 5), due=due)  # a credit note of 100,00
    disputed = hand.invoice(b, 50_000, issued=D(2026, 10, 1), due=due)
    hand.dispute(b, disputed, 20_000)  # 200,00 of it contested: 300,00 still asked for
    hand.invoice(b, 70_000, issued=D(2026, 5, 1), due=D(2026, 6, 1), currency="USD")
    hand.invoice(b, 9_999, issued=D(2026, 5, 1), due=D(2026, 6, 1), paid_cents=9_999)  # paid: nowhere
    eur, usd = _aging(engine, clock).currencies
    late = eur.bucket("late_1_30")
    # 600 - 100 + 300 = 800,00 asked for; two invoices owed, by two debtors; the credit shown.
    assert (late.amount_cents, late.invoices, late.debtors, late.credit_cents) == (80_000, 2, 2, -10_000)
    assert (eur.disputed_cents, eur.disputed_invoices, eur.disputed_debtors) == (20_000, 1, 1)
    assert eur.total_cents == 80_000
    assert usd.currency == "USD" and usd.bucket("late_91").amount_cents == 70_000 and usd.total_cents == 70_000


def test_a_bucket_narrows_the_call_list_to_its_debtors(engine: Engine, hand: HandLedger, clock: Clock) -> None:
    old, recent, both = hand.debtor("Old"), hand.debtor("Recent"), hand.debtor("Both")
    hand.invoice(old, 10_000, issued=D(2026, 1, 1), due=D(2026, 3, 1))
    hand.invoice(recent, 90_000, issued=D(2026, 10, 1), due=D(2026, 11, 10))
    hand.invoice(both, 5_000, issued=D(2026, 1, 1), due=D(2026, 2, 1))
    hand.invoice(both, 5_000, issued=D(2026, 10, 1), due=D(2026, 11, 10))
    hand.invoice(recent, 7_000, issued=D(2026, 1, 1), due=D(2026, 2, 1), currency="USD")
    with session_scope(engine, write=False) as session:
        everyone = call_list(session, clock=clock)
        oldest = call_list(session, clock=clock, window=bucket_filter("late_91", "EUR", clock.today()))
    assert len(everyone) == 4
    # The whole overdue of each debtor is shown (Both: 100,00), only in the bucket's currency.
    assert [(r.name, r.overdue_cents, r.currency) for r in oldest] == [("Both", 10_000, "EUR"), ("Old", 10_000, "EUR")]


def test_dso_by_countback_across_a_month_with_no_invoices(engine: Engine, hand: HandLedger, clock: Clock) -> None:
    a = hand.debtor("Alpha")
    hand.invoice(a, 500, issued=D(2026, 6, 1), due=D(2026, 7, 1), paid_cents=500)  # paid, date unknown
    paid = hand.invoice(a, 2_000, issued=D(2026, 8, 1), due=D(2026, 8, 31), paid_cents=2_000)
    hand.payment(paid, 2_000, D(2026, 10, 15))  # 45 days late
    hand.invoice(a, 3_000, issued=D(2026, 9, 10), due=D(2026, 10, 10))
    # October: nothing invoiced.
    hand.invoice(a, 1_000, issued=D(2026, 11, 5), due=D(2026, 12, 5))
    with session_scope(engine, write=False) as session:
        [eur] = dso(session, clock=clock).currencies
    by_month = {p.month: p for p in eur.points}
    assert len(eur.points) == 12 and eur.points[0].month == D(2025, 12, 1)
    # June: 500 owed, 500 invoiced in June's 30 days. July: settled on its due date.
    assert (by_month[D(2026, 6, 1)].receivables_cents, by_month[D(2026, 6, 1)].dso) == (500, Decimal("30.0"))
    assert (by_month[D(2026, 7, 1)].receivables_cents, by_month[D(2026, 7, 1)].dso) == (0, Decimal("0"))
    assert by_month[D(2026, 8, 1)].dso == Decimal("31.0")
    # 30/09: 5 000 owed = September's 3 000 (30 days) + August's 2 000 (31 days).
    assert (by_month[D(2026, 9, 1)].receivables_cents, by_month[D(2026, 9, 1)].dso) == (5_000, Decimal("61.0"))
    # 31/10: 3 000 owed; October (31 days, nothing invoiced) then September's 3 000 (30 days).
    assert (by_month[D(2026, 10, 1)].receivables_cents, by_month[D(2026, 10, 1)].dso) == (3_000, Decimal("61.0"))
    # Today: 4 000 owed; November's 26 days (1 000), October's 31, September's 30.
    today = eur.latest
    assert (today.as_of, today.receivables_cents, today.dso, today.complete) == (
        D(2026, 11, 26),
        4_000,
        Decimal("87.0"),
        True,
    )
    assert by_month[D(2026, 10, 1)].days_late == Decimal("45.0") and eur.days_late == Decimal("45.0")
    assert by_month[D(2026, 11, 1)].days_late is None


def test_forecast_weighs_each_promise_by_its_debtor_record(engine: Engine, hand: HandLedger, clock: Clock) -> None:
    a, c = hand.debtor("Alpha"), hand.debtor("Gamma")
    hand.promise(a, 10_000, D(2026, 10, 1), status="kept")
    hand.promise(a, 10_000, D(2026, 10, 15), status="broken")  # Alpha: 1 of 2 kept
    hand.promise(c, 10_000, D(2026, 10, 1), status="kept")
    hand.promise(c, 10_000, D(2026, 10, 15), status="kept")
    hand.promise(a, 20_001, D(2026, 12, 2), received_cents=5_000)  # 150,01 left, weighted 75,005
    with session_scope(engine, write=False) as session:
        f = forecast(session, clock=clock)
    assert (f.ledger.kept, f.ledger.broken) == (3, 1)
    [eur] = f.currencies
    week = eur.weeks[1]
    assert (week.start, week.promised_cents, week.expected_cents) == (D(2026, 11, 30), 15_001, 7_501)


def test_results_by_week(engine: Engine, hand: HandLedger, clock: Clock) -> None:
    a, b = hand.debtor("Alpha"), hand.debtor("Beta")
    at = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # this week's Tuesday
    hand.call(a, at, "promise")
    hand.call(b, at, "no_answer")
    hand.call(b, datetime(2026, 11, 25, 10, tzinfo=UTC), "callback")
    hand.call(b, datetime(2026, 11, 26, 9, tzinfo=UTC), None)  # still going on
    invoice = hand.invoice(a, 30_000, issued=D(2026, 9, 1), due=D(2026, 10, 1), paid_cents=30_000)
    hand.payment(invoice, 20_000, D(2026, 11, 25))  # the day after the call: collected
    hand.payment(invoice, 10_000, D(2026, 11, 25), method="credit_note")  # no money
    hand.promise(a, 5_000, D(2026, 11, 16), status="kept")
    hand.promise(a, 5_000, D(2026, 11, 17))  # pending past its 3 grace days: broken
    with session_scope(engine, write=False) as session:
        r = results(session, clock=clock)
    assert len(r.weeks) == 12 and r.weeks[-1].start == D(2026, 11, 23)
    week = r.weeks[-1]
    assert (week.calls, week.ended, week.reached, week.agreed, week.working_days) == (4, 3, 2, 1, 4)
    assert (week.reached_rate, week.per_day, week.collected) == (Decimal(67), Decimal("1.0"), {"EUR": 20_000})
    last = r.weeks[-2]
    assert (last.calls, last.kept, last.broken, last.per_day) == (0, 1, 1, Decimal(0))


def test_a_wholly_disputed_invoice_is_apart_and_its_debtor_too(engine: Engine, hand: HandLedger, clock: Clock) -> None:
    a, b, c = hand.debtor("Alpha"), hand.debtor("Beta"), hand.debtor("Gamma")
    due = D(2026, 11, 1)
    # Alpha: partly paid, then the rest contested (the invoice stays open): nothing left to ask.
    whole = hand.invoice(a, 30_000, issued=D(2026, 10, 1), due=due, paid_cents=10_000)
    hand.dispute(a, whole, 25_000)  # more than the 200,00 left: only 200,00 is in dispute
    # Beta: one invoice wholly contested, another still owed in the same bucket.
    contested = hand.invoice(b, 5_000, issued=D(2026, 10, 1), due=due)
    hand.dispute(b, contested, 5_000)
    hand.invoice(b, 7_000, issued=D(2026, 10, 1), due=due)
    # Gamma: marked disputed by the accounting export, no dispute recorded here.
    hand.invoice(c, 4_000, issued=D(2026, 10, 1), due=due, status="disputed")
    [eur] = _aging(engine, clock).currencies
    late = eur.bucket("late_1_30")
    assert (late.amount_cents, late.invoices, late.debtors) == (7_000, 1, 1)
    assert (eur.disputed_cents, eur.disputed_invoices, eur.disputed_debtors) == (29_000, 3, 3)


def test_results_per_collector_in_team_mode(engine: Engine, hand: HandLedger, clock: Clock) -> None:
    from callcoach.db.tables import Call, Collector

    a = hand.debtor("Alpha")
    with session_scope(engine, write=False) as session:
        assert results(session, clock=clock).collectors == []  # one person's ledger: no split
    with session_scope(engine) as session:
        camille, malik = Collector(name="Camille"), Collector(name="Malik")
        session.add_all([camille, malik])
        session.flush()
        at = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
        for who, outcome in ((camille, "promise"), (camille, "no_answer"), (malik, "refused")):
            session.add(Call(debtor_id=a, collector_id=who.id, started_at=at, ended_at=at, outcome=outcome))
        session.add(Call(debtor_id=a, collector_id=malik.id, started_at=datetime(2026, 6, 1, tzinfo=UTC)))
    with session_scope(engine, write=False) as session:
        by = {c.name: (c.calls, c.ended, c.reached, c.agreed) for c in results(session, clock=clock).collectors}
    assert by == {"Camille": (2, 2, 1, 1), "Malik": (1, 1, 1, 0)}  # June is before the 12 weeks
