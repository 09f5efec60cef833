"""Dates as exports and collectors write them.

Exports use a fixed handful of shapes; slicing them is several times faster than
``strptime`` on large files and gives a precise reason when a date does not exist.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from callcoach.domain.worded import WordedError

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DM = re.compile(r"^(\d{1,2})[/.](\d{1,2})$")


class DateError(WordedError):
    """A date that cannot be read; the message says why."""


def parse_date(text: str) -> date:
    """Read ``31/12/2025``, ``31.12.2025``, ``31-12-2025``, ``2025-12-31`` or ``20251231``."""
    # An export repeats a few hundred dates over and over: each is read once.
    return _parse_date(text.strip())


@lru_cache(maxsize=8192)
def _parse_date(raw: str) -> date:
    if not raw:
        raise DateError("empty date", code="empty_date")
    m = _ISO.match(raw) or _COMPACT.match(raw)
    if m:
        year, month, day = (int(g) for g in m.groups())
    else:
        m = _DMY.match(raw)
        if not m:
            raise DateError(
                "not a date: {raw!r} (expected DD/MM/YYYY or YYYY-MM-DD)", code="not_a_date_expected", raw=raw
            )
        day, month, year = (int(g) for g in m.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError("no such date: {raw!r}", code="no_such_date", raw=raw) from None


def parse_user_date(text: str, today: date) -> date:
    """What a collector types in a form: a full date, ``DD/MM`` (this year), or ``+N`` days."""
    raw = text.strip().lower()
    if raw.startswith("+") and raw[1:].isdigit():
        return today + timedelta(days=int(raw[1:]))
    m = _DM.match(raw)
    if m:
        day, month = (int(g) for g in m.groups())
        try:
            return date(today.year, month, day)
        except ValueError:
            raise DateError("no such date: {raw!r}", code="no_such_date", raw=text.strip()) from None
    return parse_date(raw)


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days
