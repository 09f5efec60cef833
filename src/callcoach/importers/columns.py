"""What a header's columns say, before any line is read: the ``--map`` pairs, whether the
file is a plain list (the quick path), the columns it must have, the currency an amount
header names, and the date order its words hint at."""

from __future__ import annotations

import csv
from pathlib import Path

from callcoach.domain.text import name_key
from callcoach.domain.worded import FieldNames
from callcoach.importers.headers import FIELDS, LABELS, LAYOUT_FIELDS, REQUIRED, bracket_currency, match_columns
from callcoach.importers.reading import ImportFileError
from callcoach.importers.tables import bucket_days

_FRENCH = {"facture", "montant", "echeance", "reglement", "regle", "solde", "tiers", "libelle", "debiteur", "devise"}


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``--map "Réf client=customer"`` pairs into {header: field}."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, sep, target = pair.partition("=")
        if not sep or not header.strip() or not target.strip():
            raise ImportFileError("--map {pair!r}: expected HEADER=field", code="map_pair_unreadable", pair=pair)
        target = target.strip()
        if target not in FIELDS and target not in LAYOUT_FIELDS:
            raise ImportFileError(
                "--map {pair!r}: unknown field {target!r} (fields: {names})",
                code="map_unknown_field_fields",
                pair=pair,
                target=target,
                names=", ".join(FIELDS),
            )
        mapping[name_key(header)] = target
    return mapping


def is_plain_list(first_line: str, delimiter: str, mapping: dict[str, str]) -> bool:
    """A header on the first line naming the required columns, and no column that calls for
    another layout (line totals, accounts, debits, lateness buckets)."""
    try:
        header = next(csv.reader([first_line.rstrip("\r")], delimiter=delimiter), [])
    except csv.Error:
        return False
    columns = match_columns(header, mapping).columns
    if any(name in columns for name in LAYOUT_FIELDS):
        return False
    if sum(1 for h in header if bucket_days(h) is not None) >= 2:
        return False
    return all(name in columns for name in REQUIRED) and ("issue_date" in columns or "due_date" in columns)


def date_order_hint(header: list[str], delimiter: str) -> str | None:
    """Day-first for files of French or continental origin (semicolons, French headers)."""
    if delimiter == ";" or any(set(name_key(h).split()) & _FRENCH for h in header):
        return "dmy"
    return None


def column_names(header: list[str], others: dict[str, list[int]]) -> dict[str, list[str]]:
    """The other columns that fitted each field, by their headers (for the reading report)."""
    return {name: [header[i] for i in indexes] for name, indexes in others.items()}


def header_currency(header: list[str], columns: dict[str, int]) -> str | None:
    """``Amount (USD)``: the currency the amount column's header names, if no column gives it."""
    for name in ("amount", "remaining", "line_amount", "debit"):
        if name in columns and columns[name] < len(header):
            code = bracket_currency(header[columns[name]])
            if code:
                return code
    return None


def require_columns(path: Path, line: int, header: list[str], columns: dict[str, int]) -> None:
    """Refuse a header without the columns every invoice needs, naming them by their field keys
    (``FieldNames``) so each interface words them in the collector's language."""
    missing = [f for f in REQUIRED if f not in columns]
    if "issue_date" not in columns and "due_date" not in columns:
        missing.append("issue_date")
    if missing:
        found = ", ".join(repr(h) for h in header if h) or "nothing"
        needs = FieldNames(tuple(missing), tuple(LABELS[f] for f in missing))
        raise ImportFileError(
            '{path}:{line}: header: no column for {needs} (found {found}); use --map "HEADER={missing}"',
            code="header_no_column_for_found",
            path=path,
            line=line,
            needs=needs,
            found=found,
            missing=missing[0],
        )
