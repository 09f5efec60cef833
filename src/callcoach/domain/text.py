"""Untrusted text: keys for matching names, and safe forms for display.

Names, notes and imported fields come from other people's files. They are matched by a
normalised key (so ``SARL Dupont`` and ``sarl  dupont`` are one debtor) and shown only
after control characters are removed, so a name cannot move the cursor, ring the bell
or write to the clipboard through an escape sequence; invisible format characters (bidi
overrides, zero-width spaces) are shown escaped, so a name cannot read backwards.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible format characters (Unicode category Cf, and the line/paragraph separators): the
# bidi overrides and isolates that make "exe.txt" read "txt.exe", zero-width spaces that make
# two names look alike. They are shown escaped, as ``\u202e``, so what is there can be seen.
# The zero-width joiners (U+200C, U+200D) stay: scripts and emoji need them.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape_format(value: str) -> str:
    """Invisible format characters (bidi controls, zero-width spaces) written out as ``\\u202e``."""
    return _FORMAT.sub(_escaped, value)


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
    return " ".join(escape_format(_CONTROL.sub("", value)).split())


def clean_multiline(value: str) -> str:
    """Like clean_field, but keeps newlines and tabs (notes, addresses)."""
    return escape_format(_CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")))


def neutralise_formula(cell: str) -> str:
    """Spreadsheet-safe cell: a leading =, +, -, @, tab or CR is made inert."""
    if cell and cell[0] in "=+-@\t\r":
        return "'" + cell
    return cell


_FRENCH_PUNCTUATION = re.compile(r" (?=[;:?!»])|(?<=«) ")


def french_spacing(text: str) -> str:
    """No-break spaces where French typography wants them (before ; : ? ! and inside « »),
    so a letter's line never starts with a lone colon however the reader's mail wraps it."""
    return _FRENCH_PUNCTUATION.sub("\u00a0", text)


def brief(notes: str, width: int) -> str:
    """Notes on one line for a list: one line per thing noted, the template's dashes and
    unanswered capture labels left out, cut between words with "…" (never mid-number)."""
    kept = []
    for raw in notes.splitlines():
        line = raw.strip().lstrip("—-•").strip()
        if line and not (line.endswith(":") or line.endswith(": …")):
            kept.append(line)
    joined = _NUMBER_SPACE.sub("\u00a0", " ".join(" ; ".join(kept).split()))  # a phone number is one word
    if len(joined) <= width:
        return joined
    cut = joined[: width - 1]
    return cut[: max(cut.rfind(" "), 0)].rstrip(" ;,:") + " …"


_NUMBER_SPACE = re.compile(r"(?<=\d) (?=\d)")
