"""Finding the invoice table in a file that is not a plain list: title and note rows above
the header, a sheet among several, total and footnote rows among the data.

A table is rows of text cells, each with the line (or sheet row) it came from. The header
is the first row that names enough known columns; what sits above it is reported, never
read as data. ``layouts`` then says what the rows mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from callcoach.domain.text import name_key
from callcoach.domain.worded import Remark
from callcoach.importers.headers import Matching, match_columns, words

HEADER_SEARCH = 40  # rows looked at for a header
AMOUNT_FIELDS = ("amount", "remaining", "line_amount", "debit")
_BUCKET_RANGE = re.compile(r"^(\d+)\s*(?:-|a|to|\.\.)\s*(\d+)(?: ?(?:j|jours|days?|d))?$")
_BUCKET_OVER = re.compile(
    r"^(?:\+ ?(?:de )?|over |plus de |more than |> ?|sup )?(\d+)(?: ?(?:j|jours|days?|d))?"
    r" ?(\+|plus|et plus|and over)?$"
)
_CURRENT = {"current", "not due", "not yet due", "non echu", "non echus", "a echoir", "courant", "0", "not overdue"}
_TOTAL = re.compile(r"^(?:sous ?)?(?:sub ?)?totals?\b|^total\b|^grand total\b|^totaux\b", re.IGNORECASE)


@dataclass
class Table:
    """Rows of text cells, each with the line or sheet row it came from."""

    name: str | None
    rows: list[tuple[int, list[str]]]
    joiner: str = " "  # how a row's cells are put back together to quote a title line


@dataclass
class Found:
    """Where the invoices are in a table, as ``--dry-run`` shows it."""

    table: Table
    header_at: int  # index in table.rows
    header: list[str]
    matching: Matching
    buckets: dict[int, int] = field(default_factory=dict)  # column -> first day late of its bucket
    above: list[str] = field(default_factory=list)  # title and note rows skipped above the header

    @property
    def header_line(self) -> int:
        return self.table.rows[self.header_at][0]

    def data(self) -> list[tuple[int, list[str]]]:
        return self.table.rows[self.header_at + 1 :]


def bucket_days(header: str) -> int | None:
    """The first day late an aged-balance column counts (0 for "current"), or None."""
    key = words(header.replace("+", " plus ").replace(">", " over "))
    raw = " ".join(header.lower().split())
    if key in _CURRENT:
        return 0
    m = _BUCKET_RANGE.match(key)
    if m and int(m.group(1)) <= int(m.group(2)):
        return int(m.group(1))
    m = _BUCKET_OVER.match(raw.replace("jours", "j")) or _BUCKET_OVER.match(key)
    if m and (m.group(2) or raw.startswith(("+", ">", "over", "plus", "more", "sup"))):
        return int(m.group(1)) + 1
    return None


def find_header(table: Table, mapping: dict[str, str]) -> Found | None:
    """The first row that names a customer or an invoice number and an amount, with at
    least three known columns in all; None when no row does."""
    for index, (_, cells) in enumerate(table.rows[:HEADER_SEARCH]):
        texts = [c.strip() for c in cells]
        if sum(1 for c in texts if c) < 2:
            continue
        matching = match_columns(texts, mapping)
        buckets = {
            i: d
            for i, c in enumerate(texts)
            if c and i not in matching.columns.values() and (d := bucket_days(c)) is not None
        }
        fields = set(matching.columns)
        has_key = bool(fields & {"customer", "number"})
        has_money = bool(fields & set(AMOUNT_FIELDS)) or len(buckets) >= 2
        known = len(fields) + (1 if len(buckets) >= 2 else 0)
        if has_key and has_money and known >= 3:
            above = [table.joiner.join(_trimmed(row)).strip() for _, row in table.rows[:index]]
            return Found(table, index, texts, matching, buckets if len(buckets) >= 2 else {}, [a for a in above if a])
    return None


def _trimmed(cells: list[str]) -> list[str]:
    """A row's cells up to its last filled one."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def best_table(tables: list[Table], mapping: dict[str, str]) -> tuple[Found | None, list[str]]:
    """The table holding invoices: one with invoice numbers before a summary without them,
    then the one with more rows. Returns notes on the tables left aside."""
    found = [(f, t) for t in tables if (f := find_header(t, mapping)) is not None]
    if not found:
        return None, []
    found.sort(key=lambda ft: ("number" not in ft[0].matching.columns, -len(ft[0].data())))
    best = found[0][0]
    notes = [
        Remark("sheet '{sheet}' left aside (a summary)", code="sheet_summary_aside", sheet=t.name)
        if "number" not in f.matching.columns
        else Remark("sheet '{sheet}' left aside (another table)", code="sheet_other_aside", sheet=t.name)
        for f, t in found[1:]
        if t.name
    ]
    return best, notes


def is_total(cells: list[str]) -> bool:
    """A row labelled as a total or subtotal ("Total", "Sous-total", "Total général")."""
    first = next((c.strip() for c in cells if c.strip()), "")
    return bool(_TOTAL.match(name_key(first)))


def filled(cells: list[str]) -> int:
    return sum(1 for c in cells if c.strip())


def as_of_date(lines: list[str]) -> str | None:
    """The date a report is "as of", from its title rows ("As of: 2026-07-16", "au 31/12/2025")."""
    pattern = re.compile(r"\b(?:as of|as at|au|date)\b[\s:;,]*(\d[\d/.\-]+\d|\w+ \d{1,2},? \d{4}|\d{1,2} \w+ \d{4})")
    for line in lines:
        m = pattern.search(line.lower())
        if m:
            return m.group(1)
    return None


_CURRENCY_NOTE = re.compile(r"\b(?:in|en)\s+([A-Z]{3})\b")


def currency_note(lines: list[str]) -> str | None:
    """ "All figures in ILS", "Montants en EUR": the currency a report's notes name."""
    for line in lines:
        m = _CURRENCY_NOTE.search(line)
        if m:
            return m.group(1)
    return None
