from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from callcoach.domain.kinds import PromiseStatus
from callcoach.domain.plans import PlanError, duration_words, propose, schedule
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
    # 300 a month on 1,000 takes 4 payments; the four are made equal (never above the offer).
    plan = propose(100_000, first=D, max_months=12, per_month_cents=30_000)
    assert (plan.count, plan.per_payment_cents, plan.last_payment_cents, plan.end) == (
        4,
        25000,
        25000,
        date(2027, 2, 27),
    )
    assert not plan.too_long
    plan = propose(100_000, first=D, max_months=12, count=3)
    assert (plan.count, plan.per_payment_cents, plan.last_payment_cents) == (3, 33334, 33332)


def test_case_1_the_schedule_sums_to_the_debt() -> None:
    # Issue 15, case 1: 21,287.90 in 4: 5,321.98 three times, the last 5,321.96.
    assert [i.amount_cents for i in schedule(2_128_790, 4, D)] == [532198, 532198, 532198, 532196]
    # 29,585.90 in 3: 9,861.97 twice, then 9,861.96 (not 3 x 10,000).
    assert [i.amount_cents for i in schedule(2_958_590, 3, D)] == [986197, 986197, 986196]


def test_a_different_first_payment_then_equal_ones() -> None:
    # "1,000 now, then 4 x ...": the rest, 20,287.90, spread over 4: 5,071.98 x 3 + 5,071.96.
    plan = schedule(2_128_790, 5, D, first_cents=100_000)
    assert [i.amount_cents for i in plan] == [100000, 507198, 507198, 507198, 507196]
    assert [i.due for i in plan][:2] == [D, date(2026, 12, 27)]
    with pytest.raises(PlanError):
        schedule(100_000, 3, D, first_cents=100_000)


@given(
    total=st.integers(1, 10**11),
    count=st.integers(1, 60),
    first=st.one_of(st.none(), st.integers(1, 10**11)),
)
def test_a_plans_rows_always_sum_to_the_amount(total: int, count: int, first: int | None) -> None:
    try:
        plan = schedule(total, count, D, first_cents=first)
    except PlanError:
        assume(False)
    amounts = [i.amount_cents for i in plan]
    assert sum(amounts) == total and len(amounts) == count and min(amounts) > 0
    regular = amounts[1:] if first is not None and count > 1 else amounts
    # Equal instalments, the last one taking the rounding (at most count - 1 cents off).
    assert len(set(regular[:-1])) <= 1 and abs(regular[-1] - regular[0]) < max(len(regular), 1)


@given(total=st.integers(200, 10**9), count=st.integers(2, 60), first=st.one_of(st.none(), st.integers(1, 10**6)))
def test_calculator_form_rows_and_e_mail_state_the_same_numbers(total: int, count: int, first: int | None) -> None:
    """What the calculator shows is what the form's entry gives the rows and the recap."""
    from callcoach.domain.kinds import Outcome
    from callcoach.domain.outcomes import OutcomeEntry, payments_agreed

    assume(first is None or first < total)
    try:
        shown = propose(total, first=D, max_months=60, count=count, first_cents=first)
    except PlanError:
        assume(False)
    entry = OutcomeEntry(
        Outcome.PLAN, amount_cents=shown.total_cents, count=shown.count, on=shown.first, first_cents=shown.first_cents
    )
    assert payments_agreed(entry) == shown.instalments
    assert sum(i.amount_cents for i in payments_agreed(entry)) == total


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
