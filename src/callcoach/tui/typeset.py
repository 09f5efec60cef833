"""Text that reads well in a narrow pane: no phone number, amount or "60 j" split across
two lines, no French "?" alone at the start of one, and wrapped lines indented under
their label.

Textual's own wrapping breaks at no-break spaces too, so the panes wrap here, at plain
spaces only, and hand Textual lines that already fit.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.content import Content

NBSP = "\u00a0"
_DIGIT_GROUPS = re.compile(r"(?<=\d) (?=\d)")  # 01 99 00 00 88, 29 585,90
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:j|d|h|min|€|%|EUR)\b|€)")  # 60 j, 30 d, 29 585,90 €
_FRENCH_PUNCTUATION = re.compile(r" (?=[;:?!»])|(?<=«) ")  # « Bonjour ? »


def readable(text: str, lang: str) -> str:
    """No-break spaces where a line must not break (the typographic rules of the language)."""
    text = _DIGIT_GROUPS.sub(NBSP, text)
    text = _NUMBER_UNIT.sub(NBSP, text)
    if lang == "fr":
        text = _FRENCH_PUNCTUATION.sub(NBSP, text)
    return text


def hanging(content: Content, width: int, indent: int) -> Content:
    """``content`` wrapped to ``width`` cells at plain spaces, every line after the first
    indented by ``indent`` cells, so a wrapped line sits under its label's text."""
    plain = content.plain
    if width <= indent + 4 or cell_len(plain) <= width:
        return content
    breaks: list[int] = []
    line_start, room = 0, width
    for word in re.finditer(r"[^ ]+", plain):
        if cell_len(plain[line_start : word.end()]) > room and word.start() > line_start:
            breaks.append(word.start())
            line_start, room = word.start(), width - indent
    if not breaks:
        return content
    pieces = content.divide(breaks)
    lines = [pieces[0].rstrip()] + [Content(" " * indent) + piece.rstrip() for piece in pieces[1:]]
    return Content("\n").join(lines)
