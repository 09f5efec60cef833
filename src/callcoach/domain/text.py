"""Untrusted text: keys for matching names, and safe forms for display.

Names, notes and imported fields come from other people's files. They are matched by a
normalised key (so ``SARL Dupont`` and ``sarl  dupont`` are one debtor) and shown only
after control characters are removed, so a name cannot move the cursor, ring the bell
or write to the clipboard through an escape sequence.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NOT_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A matching key: case, accents, punctuation and spacing folded away."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_ish = "".join(c for c in decomposed if not unicodedata.combining(c))
    key = _NOT_WORD.sub(" ", ascii_ish.casefold()).strip()
    # A name of punctuation only ("[/]") is still a name: match it as written.
    return key or " ".join(name.casefold().split())


def clean_field(value: str) -> str:
    """Strip control characters (ESC, OSC sequences, C1) and outer spaces from a field."""
    # Most fields are already clean: printable (no control character, no space but ASCII
    # space), single-spaced and trimmed. Checking that in C spares a 100,000-line import a second.
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    return " ".join(_CONTROL.sub("", value).split())


def clean_multiline(value: str) -> str:
    """Like clean_field, but keeps newlines and tabs (notes, addresses)."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def neutralise_formula(cell: str) -> str:
    """Spreadsheet-safe cell: a leading =, +, -, @, tab or CR is made inert."""
    if cell and cell[0] in "=+-@\t\r":
        return "'" + cell
    return cell
