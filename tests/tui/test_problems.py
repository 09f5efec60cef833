"""Form problems shown in the collector's language, never lost when a message is unknown."""

from __future__ import annotations

from callcoach.playbook import Labels
from callcoach.tui.problems import in_language


def _date_error() -> Exception:
    from callcoach.domain.dates import DateError, parse_date

    try:
        parse_date("x")
    except DateError as exc:
        return exc
    raise AssertionError("'x' was read as a date")


def _cases() -> list[tuple[object, str, str]]:
    """(what the code gives, its English, its French): a form problem, a rule's error in a
    field, a service's refusal naming an amount, a ledger's; each worded by its code."""
    from callcoach.domain.money import Sum
    from callcoach.domain.outcomes import MAX_INSTALMENTS
    from callcoach.domain.worded import Problem, problem
    from callcoach.errors import StoreError, UserError

    return [
        (
            problem("amount", "enter an amount above zero", code="form_amount_above_zero"),
            "amount: enter an amount above zero",
            "montant : saisissez un montant supérieur à zéro",
        ),
        (
            problem("instalments", "between 2 and {most}", code="form_instalments_range", most=MAX_INSTALMENTS),
            f"instalments: between 2 and {MAX_INSTALMENTS}",
            f"échéances : entre 2 et {MAX_INSTALMENTS}",
        ),
        (
            Problem("date", _date_error()),
            "date: not a date: 'x' (expected DD/MM/YYYY or YYYY-MM-DD)",
            "date : date illisible : 'x' (attendu JJ/MM/AAAA ou AAAA-MM-JJ)",
        ),
        (
            UserError(
                "invoice {number} has only {left} left to pay",
                code="payment_over_remaining",
                number="F-1",
                left=Sum(1200),
            ),
            "invoice F-1 has only €12.00 left to pay",
            "il ne reste que 12,00\u00a0€ à payer sur la facture F-1",
        ),
        (
            StoreError(
                "{path}: database is busy (another callcoach is writing); try again",
                code="db_busy",
                path="ledger.sqlite",
            ),
            "ledger.sqlite: database is busy (another callcoach is writing); try again",
            "ledger.sqlite : la base est occupée (un autre callcoach écrit) ; réessayez",
        ),
        (UserError("something nobody foresaw: 42"), "something nobody foresaw: 42", "something nobody foresaw: 42"),
    ]


def test_problems_are_worded_by_their_code_in_french_and_said_as_written_in_english() -> None:
    for given, english, french in _cases():
        assert str(given) == english
        assert in_language(given, Labels("fr")) == french  # type: ignore[arg-type]
        assert in_language(given, Labels("en")) == english  # type: ignore[arg-type]


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
