"""The written reminder scenario (domain 1.3, 3.4, 7.8): first reminder, second reminder, formal
notice, in that order and never skipping one, each a set number of days after the due date
and after the step before it.

No reminder goes out while the client keeps an agreement (a promise or a plan not yet late),
nor on an invoice under dispute: a letter contradicting what was agreed an hour ago breaks
the trust the call built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FIRST, SECOND, FORMAL_NOTICE = 1, 2, 3


@dataclass(frozen=True)
class Scenario:
    """Days after the due date for each level (the collector's settings)."""

    first_days: int = 3
    second_days: int = 15
    notice_days: int = 30

    def days_after_due(self, level: int) -> int:
        return (self.first_days, self.second_days, self.notice_days)[level - 1]

    def gap_before(self, level: int) -> int:
        """The days the previous step must have had to work before this one."""
        if level == FIRST:
            return 0
        return max(0, self.days_after_due(level) - self.days_after_due(level - 1))


def next_level(
    *,
    due: date,
    today: date,
    reached: int,
    reached_on: date | None,
    scenario: Scenario,
    disputed: bool = False,
    agreement_pending: bool = False,
) -> int | None:
    """The reminder level this invoice is due for today, or None.

    ``reached`` is the highest level already sent (0 for none) and ``reached_on`` when."""
    if disputed or agreement_pending or reached >= FORMAL_NOTICE:
        return None
    level = reached + 1
    if (today - due).days < scenario.days_after_due(level):
        return None
    if reached and reached_on is not None and (today - reached_on).days < scenario.gap_before(level):
        return None
    return level
