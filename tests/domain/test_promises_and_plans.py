from __future__ import annotations

from datetime import date

import pytest

from callcoach.domain.kinds import PromiseStatus
from callcoach.domain.plans import duration_words, propose
from callcoach.domain.promises import PromiseTerms, Received, settle

D = date(2026, 11, 27)


def test_a_payment_by_the_deadline_keeps_the_promise() -> None:
    [result] = settle(
        [PromiseTerms(1, 50000, D, date(2026, 11, 26))],
        [Received(50000, date(2026, 11, 29))],
        today=date(2026, 11, 29),
        grace_days=3,
    )
    assert (result.status, result.received_cents, result.deadline) == (PromiseStatus.KEPT, 50000, date(2026, 11, 30))


def test_not_covered_by_the_deadline_is_broken_the_day_after() -> None:
    promise = PromiseTerms(1, 50000, D, date(2026, 11, 26))
    paid = [Received(20000, date(2026, 11, 28))]
    on_deadline = settle([promise], paid, today=date(2026, 11, 30), grace_days=3)[0]
    assert (on_deadline.status, on_deadline.received_cents) == (PromiseStatus.PENDING, 20000)
    day_after = settle([promise], paid, today=date(2026, 12, 1), grace_days=3)[0]
    assert (day_after.status, day_after.received_cents) == (PromiseStatus.BROKEN, 20000)


def test_payments_before_the_promise_or_after_its_deadline_do_not_count() -> None:
    promise = PromiseTerms(1, 10000, D, date(2026, 11, 26))
    paid = [Received(10000, date(2026, 11, 20)), Received(10000, date(2026, 12, 5))]
    assert settle([promise], paid, today=date(2026, 12, 5), grace_days=3)[0].status == PromiseStatus.BROKEN


def test_instalments_take_payments_oldest_first() -> None:
    made = date(2026, 11, 26)
    plan = [
        PromiseTerms(n, 10000, due, made)
        for n, due in enumerate([date(2026, 11, 27), date(2026, 12, 27), date(2027, 1, 27)], 1)
    ]
    results = settle(plan, [Received(15000, date(2026, 11, 28))], today=date(2027, 1, 2), grace_days=3)
    assert [(r.promise_id, r.status, r.received_cents) for r in results] == [
        (1, PromiseStatus.KEPT, 10000),
        (2, PromiseStatus.BROKEN, 5000),  # only 50 € left for it by its deadline, 30/12
        (3, PromiseStatus.PENDING, 0),
    ]


def test_plan_from_a_monthly_amount_and_a_count() -> None:
    plan = propose(100_000, first=D, max_months=12, per_month_cents=30_000)
    assert (plan.count, plan.per_payment_cents, plan.last_payment_cents, plan.end) == (
        4,
        30000,
        10000,
        date(2027, 2, 27),
    )
    assert not plan.too_long
    plan = propose(100_000, first=D, max_months=12, count=3)
    assert (plan.count, plan.per_payment_cents, plan.last_payment_cents) == (3, 33334, 33332)


def test_an_unworkable_offer_is_shown_in_years() -> None:
    plan = propose(228_000, first=D, max_months=12, per_month_cents=1_000)
    assert plan.count == 228 and plan.too_long
    assert duration_words(plan.months_needed, "en") == "19 years"
    assert duration_words(plan.months_needed, "fr") == "19 ans"
    assert plan.fitting_per_month_cents == 19_000


@pytest.mark.parametrize("kwargs", [{}, {"per_month_cents": 0}, {"count": 0}])
def test_plan_needs_an_offer(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        propose(10_000, first=D, max_months=12, **kwargs)
