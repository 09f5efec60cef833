"""Which end-of-call fields a draft shows, and what the call's captured lines fill in.

The branch taken during the call decides the form: someone else answered (who, the direct
line, the slot), voicemail (the next step), a cheque in the post (its number, the day it was
sent, and the day it is expected). Kept apart from the screen so the rules read in one place.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from callcoach.domain.dates import DateError, parse_user_date
from callcoach.domain.kinds import NextStep, Outcome, PaymentMethod
from callcoach.domain.outcomes import NEEDS, cheque_expected

if TYPE_CHECKING:
    from callcoach.tui.screens.outcome_draft import OutcomeDraft

# The outcomes where a direct line learned during the call is asked for and kept.
WITH_DIRECT_LINE = frozenset({Outcome.GATEKEEPER, Outcome.CALLBACK})


def with_cheque(draft: OutcomeDraft) -> bool:
    """A promise paid by cheque: the cheque's number and sending day have their fields."""
    return draft.outcome == Outcome.PROMISE and draft.method == PaymentMethod.CHEQUE


def shown_rows(draft: OutcomeDraft) -> set[str]:
    """The rows of the form the outcome needs, with the branch's own."""
    outcome = Outcome(draft.outcome)
    needs = set(NEEDS[outcome]) | {"contact"}
    if "next" in needs:
        needs |= {"next_step", "date"} | ({"time"} if draft.next_step == NextStep.CALLBACK else set())
    if outcome == Outcome.PLAN:
        needs.add("first")
    if outcome == Outcome.DISPUTE:
        needs |= {"rest_amount", "rest_date", "method"}
    if outcome == Outcome.GATEKEEPER:
        needs.add("answered_by")
    if outcome in WITH_DIRECT_LINE:
        needs.add("direct_line")
    if with_cheque(draft):
        needs |= {"cheque_number", "sent_on"}
    return needs


def apply_captured(draft: OutcomeDraft, captured: dict[str, str], today: date) -> None:
    """What the call's capture lines said, into the draft; a cheque's sending day proposes
    the date it is expected, never the sending day itself nor a day already past."""
    for name, value in captured.items():
        setattr(draft, name, value)
    if draft.sent_on and "date" not in captured:
        expect_cheque(draft, today)


def expect_cheque(draft: OutcomeDraft, today: date) -> None:
    """The expected day follows the sending day while the collector has not typed another."""
    try:
        sent = parse_user_date(draft.sent_on, today)
    except DateError:
        return
    draft.date = draft.auto_date = cheque_expected(sent, today).strftime("%d/%m/%Y")
