"""Contacts addressed as a French collector would: « Monsieur Chevalier », or the full name."""

from __future__ import annotations

from datetime import date

import pytest

from callcoach.domain.addressing import addressed, split_civility
from callcoach.domain.kinds import Civility, NextStep, Outcome
from callcoach.domain.outcomes import OutcomeEntry, problems

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("name", "stored", "lang", "said"),
    [
        ("Alain Chevalier", "mr", "fr", "Monsieur Chevalier"),
        ("Alain Chevalier", "", "fr", "Alain Chevalier"),
        ("Mme Claire Roux", "", "fr", "Madame Roux"),
        ("M. Alain Chevalier", None, "en", "Mr Chevalier"),
        ("Anne de La Tour", "mrs", "fr", "Madame de La Tour"),
        ("Claire Roux", "mrs", "en", "Ms Roux"),
    ],
)
def test_a_contact_is_addressed_by_civility_and_family_name(
    name: str, stored: str | None, lang: str, said: str
) -> None:
    assert addressed(name, stored, lang) == said


def test_a_title_in_front_of_an_imported_name_is_read_as_the_civility() -> None:
    assert split_civility("Madame Claire Roux") == (Civility.MRS, "Claire Roux")
    assert split_civility("Marc") == (Civility.NONE, "Marc")


def said(entry: OutcomeEntry, today: date) -> list[str]:
    """The problems as the English interface shows them."""
    return [str(p) for p in problems(entry, today)]


@pytest.mark.parametrize("outcome", [Outcome.REFUSED, Outcome.NO_ANSWER, Outcome.VOICEMAIL])
def test_a_call_without_agreement_needs_a_dated_next_step(outcome: Outcome) -> None:
    assert said(OutcomeEntry(outcome), TODAY) == [
        "next step: choose a callback, a written reminder or an announced step"
    ]
    assert said(OutcomeEntry(outcome, next_step=NextStep.WRITTEN_REMINDER), TODAY) == ["next step: enter its date"]
    callback = OutcomeEntry(outcome, next_step=NextStep.CALLBACK, on=date(2026, 12, 2))
    assert said(callback, TODAY) == ["next step: enter the time of the callback (HH:MM)"]
    assert said(OutcomeEntry(outcome, next_step=NextStep.FORMAL_NOTICE, on=date(2026, 12, 10)), TODAY) == []
    assert said(OutcomeEntry(outcome, next_step=NextStep.LEGAL_ACTION, on=date(2026, 11, 30)), TODAY) == [
        "next step: the date is in the past"
    ]


def test_a_gatekeeper_call_needs_the_slot_to_call_back() -> None:
    assert said(OutcomeEntry(Outcome.GATEKEEPER), TODAY) == [
        "date: enter a date (DD/MM/YYYY, DD/MM or +N days)",
        "time: enter a time (HH:MM)",
    ]
