"""Cell values as exports write them: dates in either order or with month names, amounts
with extra zero decimals, currency codes, and numbers and dates straight from workbooks."""

from __future__ import annotations

import re
from datetime import date, datetime

from callcoach.domain.dates import DateError
from callcoach.domain.money import AmountError, parse_amount
from callcoach.domain.text import name_key
from callcoach.domain.worded import WordedError

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_WORDS = re.compile(r"[a-zà-ÿ]+\.?|\d+", re.IGNORECASE)
_EXTRA_ZEROS = re.compile(r"^(.*[.,]\d{2})0+$")

MONTHS = {
    name_key(word): number
    for number, words in enumerate(
        (
            ("jan", "january", "janv", "janvier"),
            ("feb", "february", "fev", "fevr", "février", "fevrier"),
            ("mar", "march", "mars"),
            ("apr", "april", "avr", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin"),
            ("jul", "july", "juil", "juillet"),
            ("aug", "august", "aou", "août", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre"),
            ("nov", "november", "novembre"),
            ("dec", "december", "déc", "décembre", "decembre"),
        ),
        start=1,
    )
    for word in words
}

ORDERS = ("dmy", "mdy")


class DateReader:
    """Dates of one file. ``order`` is "dmy", "mdy", or None to infer it: a numeric date whose
    first part is over 12 can only be day-first, whose second part is over 12 only
    month-first; the others are read day-first until the file says otherwise, and counted so
    the reader can decide at the end (see ``verdict``)."""

    def __init__(self, order: str | None = None) -> None:
        self.order = order
        self.known: dict[str, date] = {}
        self.day_first = self.month_first = self.ambiguous = 0

    def __call__(self, text: str) -> date:
        found = self.known.get(text)
        if found is None:
            found = self.known[text] = self._read(text.strip())
        return found

    def _read(self, raw: str) -> date:
        if not raw:
            raise DateError("empty date", code="empty_date")
        m = _ISO.match(raw) or _COMPACT.match(raw)
        if m:
            return _day(raw, int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _NUMERIC.match(raw)
        if m:
            first, second, year = int(m.group(1)), int(m.group(2)), _year(m.group(3))
            return _day(raw, year, *self._day_month(first, second))
        return _named(raw)

    def _day_month(self, first: int, second: int) -> tuple[int, int]:
        """(month, day) for a numeric date's first two parts."""
        if self.order == "mdy":
            return first, second
        if self.order == "dmy":
            return second, first
        if first > 12 >= second:
            self.day_first += 1
            return second, first
        if second > 12 >= first:
            self.month_first += 1
            return first, second
        if first != second:
            self.ambiguous += 1
        return second, first

    def verdict(self, hint: str | None) -> str | None:
        """After a pass with no order given: None when the dates read right, else the order to
        read the file again in (the one most of its unambiguous dates show, so a stray date
        written the other way is refused on its line); raises DateOrderError when nothing
        tells."""
        if self.order is not None:
            return None
        if self.day_first and self.month_first:
            if self.day_first == self.month_first:
                raise DateOrderError(
                    "as many day-first dates as month-first ones ({day_first})",
                    code="date_order_tied",
                    day_first=self.day_first,
                )
            return "dmy" if self.day_first > self.month_first else "mdy"
        if self.month_first:
            return "mdy"
        if self.ambiguous and not self.day_first:
            if hint is None:
                raise DateOrderError("every date could be day/month or month/day", code="date_order_unknowable")
            return hint if hint == "mdy" else None
        return None


class DateOrderError(WordedError):
    """The file's numeric dates do not say which part is the day."""


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _day(raw: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError("no such date: {raw!r}", code="no_such_date", raw=raw) from None


def _named(raw: str) -> date:
    """``Jan 28 2021``, ``28 janvier 2021``, ``28-Jan-2021``, ``January 28, 2021``."""
    parts = _WORDS.findall(raw)
    if len(parts) != 3:
        raise DateError("not a date: {raw!r} (expected DD/MM/YYYY or YYYY-MM-DD)", code="not_a_date_expected", raw=raw)
    month = [MONTHS.get(name_key(p.rstrip("."))) for p in parts]
    names = [i for i, m in enumerate(month) if m]
    digits = [p for p in parts if p.isdigit()]
    if len(names) != 1 or len(digits) != 2:
        raise DateError("not a date: {raw!r} (expected DD/MM/YYYY or YYYY-MM-DD)", code="not_a_date_expected", raw=raw)
    a, b = digits
    day, year = (a, b) if len(b) == 4 or (len(a) <= 2 and len(b) == 2 and names[0] != 2) else (b, a)
    if len(day) > 2:
        raise DateError("not a date: {raw!r}", code="not_a_date", raw=raw)
    return _day(raw, _year(year), month[names[0]] or 0, int(day))


def read_amount(text: str) -> int:
    """Cents; ``10.0000`` (extra zero decimals, as some tools write) reads as 10.00, while
    ``10.1250`` is refused: a cent cannot be split."""
    try:
        return parse_amount(text)
    except AmountError as exc:
        trimmed = _EXTRA_ZEROS.match(text.strip())
        if trimmed:
            return parse_amount(trimmed.group(1))
        if "more than two decimals" in str(exc):
            raise AmountError(
                "{text!r} has more than two decimals (amounts are in cents)",
                code="has_more_than_two_decimals",
                text=text.strip(),
            ) from None
        raise


CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "₪": "ILS", "CHF": "CHF"}


def currency(text: str) -> str | None:
    """An ISO 4217 code from ``usd``, ``€``...; None when the cell is not one."""
    raw = text.strip()
    code = CURRENCY_SIGNS.get(raw, raw.upper())
    return code if len(code) == 3 and code.isascii() and code.isalpha() else None


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold: dates as ISO, whole numbers
    without decimals, other numbers with what they have (float noise rounded away at the
    tenth of a thousandth, so a third decimal is still seen and refused as an amount)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = f"{value:.4f}".rstrip("0")
        whole, _, decimals = text.partition(".")
        return f"{whole}.{decimals.ljust(2, '0')}"
    if isinstance(value, int):
        return str(value)
    return str(value)
