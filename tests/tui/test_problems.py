"""Form problems shown in the collector's language, never lost when a message is unknown."""

from __future__ import annotations

import pytest

from callcoach.playbook import Labels
from callcoach.tui.problems import in_language


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("amount: enter an amount above zero", "montant : saisissez un montant supérieur à zéro"),
        ("instalments: between 2 and 60", "échéances : entre 2 et 60"),
        (
            "date: not a date: 'x' (expected DD/MM/YYYY or YYYY-MM-DD)",
            "date : date illisible : 'x' (attendu JJ/MM/AAAA ou AAAA-MM-JJ)",
        ),
        ("invoice F-1 has only €12.00 left to pay", "il ne reste que €12.00 à payer sur la facture F-1"),
        (
            "ledger.sqlite: database is busy (another callcoach is writing); try again",
            "ledger.sqlite : la base est occupée (un autre callcoach écrit) ; réessayez",
        ),
        ("something nobody foresaw: 42", None),  # unknown: shown as it is
    ],
)
def test_french_reasons(english: str, french: str | None) -> None:
    assert in_language(english, Labels("fr")) == (french or english)


def test_english_is_left_as_the_rules_say_it() -> None:
    assert in_language("amount: enter an amount above zero", Labels("en")) == "amount: enter an amount above zero"


def test_every_problem_of_the_outcome_form_has_its_french() -> None:
    from datetime import date, timedelta

    from callcoach.domain.kinds import Outcome
    from callcoach.domain.outcomes import OutcomeEntry, problems

    today = date(2026, 11, 26)
    past, future = today - timedelta(days=1), today + timedelta(days=1)
    entries = [
        OutcomeEntry(outcome=Outcome.DISPUTE),
        OutcomeEntry(outcome=Outcome.PLAN, amount_cents=100, on=future, method="transfer"),
        OutcomeEntry(outcome=Outcome.PROMISE),
        OutcomeEntry(outcome=Outcome.PROMISE, amount_cents=100, on=past, method="transfer"),
        OutcomeEntry(outcome=Outcome.CALLBACK, on=future),
        OutcomeEntry(outcome=Outcome.ALREADY_PAID, on=future, method="transfer"),
        OutcomeEntry(outcome=Outcome.NO_ANSWER, consequence="formal_notice", commitment="send the copy"),
        OutcomeEntry(outcome=Outcome.NO_ANSWER, consequence="formal_notice", consequence_on=past,
                     commitment="send the copy", commitment_on=past),
    ]  # fmt: skip
    messages = {str(m): m for entry in entries for m in problems(entry, today)}
    assert len(messages) >= 13  # every message problems() can give
    french = Labels("fr")
    untranslated = [english for english, m in messages.items() if in_language(m, french) == english]
    assert untranslated == []
