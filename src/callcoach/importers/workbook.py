"""Excel and OpenDocument workbooks (.xlsx, .xlsm, .xls, .ods), read with python-calamine:
fast, and no macro or formula is ever run (cached values are read). Each sheet is a
candidate table; dates come as dates, whatever serial the workbook stored."""

from __future__ import annotations

from pathlib import Path

from callcoach.importers.reading import ImportFileError
from callcoach.importers.tables import Table
from callcoach.importers.values import cell_text

SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


def is_workbook(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in SUFFIXES or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def read_tables(path: Path) -> list[Table]:
    """Every non-empty sheet as a table of text cells, numbered as the spreadsheet numbers rows."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise ImportFileError(
            "{path}: not a readable workbook ({kind})",
            code="not_readable_workbook",
            path=path,
            kind=type(exc).__name__,
        ) from None
    tables = []
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=False)
        except Exception as exc:  # a chart sheet or a damaged one: the others may still hold the invoices
            tables.append(Table(name, []))
            del exc
            continue
        rows = [(number, [cell_text(v) for v in row]) for number, row in enumerate(grid, start=1)]
        tables.append(Table(name, rows))
    if not any(t.rows for t in tables):
        raise ImportFileError(
            "{path}: the workbook has no filled sheet", code="workbook_has_no_filled_sheet", path=path
        )
    return tables
