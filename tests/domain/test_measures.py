"""The pure measures: buckets by days late, countback DSO, how far a promise counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from callcoach.domain.measures import (
    KeptRecord,
    MonthSales,
    aging_bucket,
    aging_edges,
    average_days_late,
    countback_dso,
    due_window,
    kept_rate,
    round_cents,
    weeks_ahead,
    working_days,
)


def test_buckets_by_days_late() -> None:
    assert [aging_bucket(d) for d in (-5, 0, 1, 30, 31, 60, 61, 90, 91, 4000)] == [
        "not_due",
        "not_due",
        "late_1_30",
        "late_1_30",
        "late_31_60",
        "late_31_60",
        "late_61_90",
        "late_61_90",
        "late_91",
        "late_91",
    ]


@given(st.integers(-400, 400))
def test_edges_and_windows_agree_with_the_bucket_rule(days_late: int) -> None:
    today = date(2026, 11, 26)
    due = date.fromordinal(today.toordinal() - days_late)
    edges, keys = aging_edges(today)
    index = sum(1 for edge in edges if due >= edge)
    assert keys[index] == aging_bucket(days_late)
    oldest, newest = due_window(aging_bucket(days_late), today)
    assert (oldest is None or due >= oldest) and (newest is None or due <= newest)


def test_countback_walks_back_through_months() -> None:
    # 4 000 owed; this month 26 days with 1 000; last month 31 days with nothing; 30 days with 3 000.
    walk = [MonthSales(26, 1_000), MonthSales(31, 0), MonthSales(30, 3_000)]
    assert countback_dso(4_000, walk).days == Decimal("87.0")
    assert countback_dso(2_500, walk).days == Decimal("72.0")  # 26 + 31 + 30 x 1500/3000
    assert countback_dso(0, walk).days == Decimal(0)
    over = countback_dso(9_000, walk)
    assert (over.days, over.complete) == (Decimal(87), False)


def test_average_days_late_weighs_by_amount_and_counts_early_as_on_time() -> None:
    assert average_days_late([(1_000, 10), (3_000, 30), (500, -7)]) == Decimal("22.2")  # 100 000 / 4 500
    assert average_days_late([]) is None


def test_kept_rate_falls_back_on_the_ledger_then_on_trust() -> None:
    ledger = KeptRecord(3, 1)
    assert kept_rate(KeptRecord(1, 1), ledger) == Fraction(1, 2)
    assert kept_rate(None, ledger) == kept_rate(KeptRecord(0, 0), ledger) == Fraction(3, 4)
    assert kept_rate(None, KeptRecord(0, 0)) == 1
    assert round_cents(Fraction(15_001, 2)) == 7_501 and round_cents(Fraction(-15_001, 2)) == -7_501


def test_weeks_start_on_monday_and_count_working_days() -> None:
    today = date(2026, 11, 26)  # a Thursday
    assert weeks_ahead(today, 2) == [date(2026, 11, 23), date(2026, 11, 30)]
    assert working_days(date(2026, 11, 23), today) == 4
    assert working_days(date(2026, 11, 16), today) == 5
