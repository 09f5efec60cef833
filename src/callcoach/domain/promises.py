"""Whether a promise was kept (domain 5.2): money on the account by the reaction deadline.

A promise for day D must be covered by D + grace days (three by default). Payments
received from the day the promise was made count towards it, oldest promise first. One
not covered by its deadline is broken the day after, and the debtor is called again no
later than one day after that deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from callcoach.domain.kinds import PromiseStatus


@dataclass(frozen=True)
class PromiseTerms:
    id: int
    amount_cents: int
    due_date: date
    made_on: date


@dataclass(frozen=True)
class Received:
    amount_cents: int
    paid_on: date


@dataclass(frozen=True)
class Settlement:
    promise_id: int
    status: PromiseStatus
    received_cents: int
    deadline: date


def deadline(due: date, grace_days: int) -> date:
    return due + timedelta(days=grace_days)


@dataclass
class _Slot:
    """A payment and what of it is not yet allocated to a promise."""

    paid_on: date
    left: int


def settle(promises: list[PromiseTerms], payments: list[Received], *, today: date, grace_days: int) -> list[Settlement]:
    """The fate of each promise as of ``today``, payments allocated oldest promise first."""
    pool = sorted((_Slot(p.paid_on, p.amount_cents) for p in payments if p.amount_cents > 0), key=lambda s: s.paid_on)
    results: list[Settlement] = []
    for promise in sorted(promises, key=lambda p: (p.due_date, p.id)):
        limit = deadline(promise.due_date, grace_days)
        received = 0
        for slot in pool:
            if slot.left <= 0 or slot.paid_on < promise.made_on or slot.paid_on > limit:
                continue
            take = min(slot.left, promise.amount_cents - received)
            slot.left -= take
            received += take
            if received >= promise.amount_cents:
                break
        if received >= promise.amount_cents:
            status = PromiseStatus.KEPT
        elif today > limit:
            status = PromiseStatus.BROKEN
        else:
            status = PromiseStatus.PENDING
        results.append(Settlement(promise.id, status, received, limit))
    return results
