"""Errors and form problems of the rules and the readers, as data: a code and its values
beside the English message, like ``callcoach.errors.UserError`` (which the domain and the
readers may not import). Each interface words them in the collector's language from the
playbook's ``[errors]`` table (``callcoach.playbook.problems.say``), so rewording the
English never loses a translation.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass


class WordedError(ValueError):
    """A value the rules or a reader refuse. With a ``code``, ``message`` is an English
    template filled with ``values`` (``"not a date: {raw!r}"``)."""

    def __init__(self, message: str = "", *, code: str = "", **values: object) -> None:
        if code:
            with contextlib.suppress(KeyError, IndexError, ValueError, AttributeError):
                message = message.format(**values)
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field of a form: ``field: reason`` in English; an interface
    words the field from its ``[problems.fields]`` table and the reason by its code."""

    field: str
    reason: Exception  # a WordedError, whose code words it; another is shown as it is

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def problem(field: str, message: str, *, code: str, **values: object) -> Problem:
    """A form problem whose reason is written here (``problem("date", "the date is in the past", code=...)``)."""
    return Problem(field, WordedError(message, code=code, **values))


class Remark(str):
    """A reader's note or warning on a file (how it was read, what was left aside): the
    English line itself, so every list, log and test still reads it as text, with a code and
    its values so each interface words it in the collector's language like an error."""

    code: str
    values: dict[str, object]

    def __new__(cls, message: str, *, code: str, **values: object) -> Remark:
        with contextlib.suppress(KeyError, IndexError, ValueError, AttributeError):
            message = message.format(**values)
        made = super().__new__(cls, message)
        made.code, made.values = code, values
        return made

    def __reduce__(self) -> tuple[object, ...]:  # copies and pickles keep the code
        return (_remark, (str(self), self.code, self.values))


def _remark(text: str, code: str, values: dict[str, object]) -> Remark:
    made = Remark(text, code=code)
    made.values = values
    return made


class Count(int):
    """A number a message names: grouped by thousands in the reader's language
    (``10,000,000`` in English, ``10 000 000`` in French) wherever it is worded."""

    def said(self, lang: str) -> str:
        grouped = f"{self:,}"
        return grouped.replace(",", "\u202f") if lang == "fr" else grouped


@dataclass(frozen=True)
class FieldNames:
    """Import fields a message names (``invoice number, customer``): kept by their keys, so
    each interface words them in the reader's language from the playbook's ``[import_fields]``
    table (``callcoach.playbook.problems``); the English names are the message's own."""

    keys: tuple[str, ...]
    english: tuple[str, ...]

    def __str__(self) -> str:
        return ", ".join(self.english)

    def named(self, names: dict[str, str]) -> str:
        """The fields by the names given (a language's table), in English where it has none."""
        return ", ".join(names.get(key) or english for key, english in zip(self.keys, self.english, strict=True))
