"""The written reminder scenario (issue 15, case 4): levels in order, never skipped, with the
configured days between them; none under an agreement or a dispute."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from callcoach.domain.reminders import Scenario, next_level

DUE = date(2026, 1, 31)


def test_nothing_sent_yet_gives_a_first_reminder_however_late() -> None:
    steps = Scenario(3, 15, 30)
    assert next_level(due=DUE, today=DUE + timedelta(days=2), reached=0, reached_on=None, scenario=steps) is None
    assert next_level(due=DUE, today=DUE + timedelta(days=90), reached=0, reached_on=None, scenario=steps) == 1


def test_an_agreement_or_a_dispute_stops_the_letters() -> None:
    steps, today = Scenario(), DUE + timedelta(days=60)
    assert next_level(due=DUE, today=today, reached=1, reached_on=DUE, scenario=steps, agreement_pending=True) is None
    assert next_level(due=DUE, today=today, reached=1, reached_on=DUE, scenario=steps, disputed=True) is None
    assert next_level(due=DUE, today=today, reached=1, reached_on=DUE, scenario=steps) == 2


@given(
    first=st.integers(0, 20),
    gaps=st.tuples(st.integers(0, 30), st.integers(0, 30)),
    run_days=st.lists(st.integers(0, 200), min_size=1, max_size=25),
)
def test_runs_on_any_days_send_each_level_once_in_order_with_its_gap(
    first: int, gaps: tuple[int, int], run_days: list[int]
) -> None:
    steps = Scenario(first, first + gaps[0], first + gaps[0] + gaps[1])
    sent: list[tuple[int, date]] = []
    for offset in sorted(set(run_days)):
        today = DUE + timedelta(days=offset)
        reached, on = sent[-1] if sent else (0, None)
        level = next_level(due=DUE, today=today, reached=reached, reached_on=on, scenario=steps)
        if level is not None:
            sent.append((level, today))
    assert [level for level, _ in sent] == list(range(1, len(sent) + 1))
    for (level, on), (_, before) in zip(sent[1:], sent, strict=False):
        assert (on - before).days >= steps.gap_before(level)
        assert (on - DUE).days >= steps.days_after_due(level)
