from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callcoach.domain.money import AmountError, format_money, parse_amount


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1 234,56", 123456),
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("1234.56", 123456),
        ("1234,5", 123450),
        ("1\u00a0234,56 €", 123456),
        ("1\u202f234,56", 123456),
        ("€1,234.56", 123456),
        ("1 234,56 EUR", 123456),
        ("1,234", 123400),
        ("1.234.567,89", 123456789),
        ("250", 25000),
        ("-75,20", -7520),
        ("(75.20)", -7520),
        ("0,99", 99),
        (",5", 50),
    ],
)
def test_amounts_in_every_export_convention(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty amount"),
        ("abc", "not an amount"),
        ("12,3456", "more than two decimals"),
        ("1,23.4,5", "mixed separators"),
        ("12 34,56", None),
        ("1,2345", "more than two decimals"),
        ("€", "no digits"),
        ("1.234,567", "mixed separators"),
    ],
)
def test_unreadable_amounts_say_why(text: str, reason: str | None) -> None:
    if reason is None:
        # Spaces are thousands separators wherever they stand: accepted as 1234,56.
        assert parse_amount(text) == 123456
        return
    with pytest.raises(AmountError, match=reason):
        parse_amount(text)


def test_french_and_english_formatting() -> None:
    assert format_money(1234567, "EUR", "fr") == "12\u202f345,67\u00a0€"
    assert format_money(1234567, "EUR", "en") == "€12,345.67"
    assert format_money(-500, "GBP", "en") == "-£5.00"


@given(st.integers(min_value=0, max_value=10**12))
def test_formatted_amounts_read_back_to_the_same_cents(cents: int) -> None:
    for lang in ("fr", "en"):
        assert parse_amount(format_money(cents, "EUR", lang)) == cents
    euros, rest = divmod(cents, 100)
    assert parse_amount(f"{euros:,}.{rest:02d}") == cents
    assert parse_amount(f"{euros:,}".replace(",", ".") + f",{rest:02d}") == cents


@given(st.text(max_size=30))
def test_any_text_is_an_amount_or_an_amount_error(text: str) -> None:
    try:
        cents = parse_amount(text)
    except AmountError as exc:
        assert str(exc)  # says what is wrong
    else:  # an amount read is whole cents, and reads back the same once written out
        assert isinstance(cents, int)
        assert parse_amount(format_money(cents, "EUR", "en")) == cents


@given(
    st.from_regex(r"-?(\d{1,3}( \d{3})+|\d{1,12})([.,]\d{1,2})?", fullmatch=True)
    | st.text(alphabet="0123456789 ,.-\u00a0\u202f", max_size=14)
)
def test_the_fast_path_reads_what_the_careful_path_reads(text: str) -> None:
    from callcoach.domain.money import parse_amount_carefully

    try:
        expected: int | str = parse_amount_carefully(text)
    except AmountError:
        expected = "error"
    try:
        got: int | str = parse_amount(text)
    except AmountError:
        got = "error"
    assert got == expected


def test_a_number_too_long_to_be_an_amount_is_refused_not_a_crash() -> None:
    """Found by hypothesis: 27 digits broke the money formatting (decimal.InvalidOperation)."""
    for text in ("100000000000000000000000000", "-99 999 999 999 999,00", "(1e30)".replace("e", "0" * 30)):
        with pytest.raises(AmountError, match=r"too large|not an amount"):
            parse_amount(text)
    assert parse_amount("99 999 999 999,99") == 9_999_999_999_999  # the largest amount read
