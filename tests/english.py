"""English words that must not reach a French user: a word-list check, shared words left out.

The list holds common English words that are not also French words: « date », « contact »,
« note », « plan », « client », « total », « message », « excuse », « page », « palette »,
« focus », « stop », « show », « report », « promise » or « due » are French too, so they
are not in it. A match is a whole word, case-insensitive.
"""

from __future__ import annotations

import re
from pathlib import Path

ENGLISH = frozenset(
    word
    for line in (Path(__file__).with_name("english_words.txt")).read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for word in line.split()
)

# What the collector types (`callcoach settings`, « callcoach send ») and file paths are not prose.
_COMMAND = re.compile(r"`[^`]*`|«\s*callcoach[^»]*»|\S*/\S*")
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:'[A-Za-zÀ-ÿ]+)?")


def english_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The English words in ``text``, in order, each once."""
    found: list[str] = []
    text = _COMMAND.sub(" ", text)
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if word in ENGLISH and word not in allowed and word not in found:
            found.append(word)
    return found


def svg_text(svg: str) -> str:
    """The text a screenshot shows, line by line (Textual's SVG export)."""
    import html

    rows: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), html.unescape(m.group(3))))
    return "\n".join("".join(t for _, t in sorted(row)).replace("\xa0", " ") for _, row in sorted(rows.items()))
