"""Money as integer cents: parsing what exports contain, formatting for the reader's language.

Amounts in the wild mix conventions (``1 234,56``, ``1.234,56``, ``1,234.56``). Cents have
at most two decimals, so a separator followed by exactly three digits can only group
thousands; that makes every form unambiguous without knowing the file's locale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from callcoach.domain.worded import WordedError

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_CURRENCY = re.compile(r"(?i)(eur|euros?|usd|gbp|chf|€|\$|£)")
_DIGITS = re.compile(r"^\d+$")
# A sign, digits (grouped in threes by single spaces, no-break ones included, or not at all), then a comma or a
# point followed by one or two decimals. Anything else takes the careful path below.
_PLAIN = re.compile(r"(-?)(\d{1,3}(?: \d{3})+|\d+)(?:[.,](\d{1,2}))?")


class AmountError(WordedError):
    """An amount that cannot be read as money; the message says why."""


# No invoice is a hundred billion: a longer number is a misread column (an IBAN, a phone
# number), and beyond it the ledger's integers and the money formatting stop being exact.
MAX_CENTS = 10**13


def parse_amount(text: str) -> int:
    """Return the amount in cents, or raise AmountError naming what is wrong."""
    plain = _PLAIN.fullmatch(text.replace("\u00a0", " ").replace("\u202f", " "))
    if plain:  # "1234,56", "1234.5", "-12", "1 234,56": the everyday forms, read at once
        whole, decimals = plain.group(2).replace(" ", ""), plain.group(3) or ""
        cents = int(whole) * 100 + int((decimals + "00")[:2])
        return _bounded(-cents if plain.group(1) else cents, text)
    return parse_amount_carefully(text)


def _bounded(cents: int, text: str) -> int:
    if abs(cents) >= MAX_CENTS:
        raise AmountError("too large to be an amount: {text!r}", code="too_large_to_be_amount", text=text.strip()[:40])
    return cents


def parse_amount_carefully(text: str) -> int:
    """Every form and every reason a text is not an amount (the fast path's reference)."""
    raw = text.strip()
    if not raw:
        raise AmountError("empty amount", code="empty_amount")
    value = _CURRENCY.sub("", raw)
    value = _SPACES.sub("", value)
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    if value.startswith(("-", "−")):
        negative, value = True, value[1:]
    elif value.startswith("+"):
        value = value[1:]
    if value.endswith("-"):
        negative, value = True, value[:-1]
    if not value:
        raise AmountError("no digits in {raw!r}", code="no_digits_in", raw=raw)
    integer, decimals = _split_decimals(value, raw)
    if not _DIGITS.match(integer):
        raise AmountError("not an amount: {raw!r}", code="not_an_amount", raw=raw)
    cents = int(integer) * 100 + int((decimals + "00")[:2])
    return _bounded(-cents if negative else cents, raw)


def _split_decimals(value: str, raw: str) -> tuple[str, str]:
    last = max(value.rfind(","), value.rfind("."))
    if last == -1:
        return value, ""
    head, tail = value[:last], value[last + 1 :]
    if not _DIGITS.match(tail):
        raise AmountError("not an amount: {raw!r}", code="not_an_amount", raw=raw)
    if len(tail) == 3:
        # Grouping, never decimals: the whole number is thousands-grouped.
        return _ungroup(value, raw), ""
    if len(tail) > 3:
        raise AmountError("more than two decimals in {raw!r}", code="more_than_two_decimals_in", raw=raw)
    return _ungroup(head, raw) if head else "0", tail


def _ungroup(value: str, raw: str) -> str:
    groups = re.split(r"[.,]", value)
    if len(groups) == 1:
        return value
    separators = set(re.findall(r"[.,]", value))
    if len(separators) > 1:
        raise AmountError("mixed separators in {raw!r}", code="mixed_separators_in", raw=raw)
    first, rest = groups[0], groups[1:]
    if not (1 <= len(first) <= 3) or ((first.startswith("0") and len(first) > 1) or first == "0"):
        raise AmountError("bad digit grouping in {raw!r}", code="bad_digit_grouping_in", raw=raw)
    if any(len(g) != 3 for g in rest):
        raise AmountError("bad digit grouping in {raw!r}", code="bad_digit_grouping_in", raw=raw)
    return "".join(groups)


def cents_to_decimal(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


_BABEL_LOCALE = {"fr": "fr_FR", "en": "en_GB"}


@lru_cache(maxsize=4096)
def format_money(cents: int, currency: str = "EUR", lang: str = "fr") -> str:
    """``12 345,67 €`` in French, ``€12,345.67`` in English. Remembered: the desk redraws the
    same amounts at every reload of its list, and babel takes some 60 µs for each."""
    from babel.numbers import format_currency

    locale = _BABEL_LOCALE.get(lang, "en_GB")
    return format_currency(cents_to_decimal(cents), currency, locale=locale)


@dataclass(frozen=True)
class Sum:
    """An amount a message names: English in the message itself, and in the reader's
    language wherever the message is worded from the playbook (``said``)."""

    cents: int
    currency: str = "EUR"

    def __str__(self) -> str:
        return format_money(self.cents, self.currency, "en")

    def said(self, lang: str) -> str:
        return format_money(self.cents, self.currency, lang)
