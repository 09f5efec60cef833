"""Invoice exports (CSV and workbooks), the way small businesses' tools really write them.

The whole file is read and checked before anything is written, so a refused file leaves
the ledger as it was. Each problem is reported as ``file:line: column: reason``. A plain
list (header on the first line, one invoice a line) takes the quick path; anything else
(titles above the header, a workbook, invoice lines, a ledger, an aged balance) is found
and shaped by ``tables`` and ``layouts``. Both end in the same row rules (``rows``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from callcoach.domain.dates import DateError
from callcoach.domain.limits import header_too_long
from callcoach.domain.text import clean_field, name_key
from callcoach.domain.worded import Remark, WordedError
from callcoach.importers.columns import (
    column_names,
    date_order_hint,
    header_currency,
    is_plain_list,
    parse_mapping,
    require_columns,
)
from callcoach.importers.fingerprints import Fingerprint, SkippedLine
from callcoach.importers.headers import match_columns
from callcoach.importers.layouts import shape
from callcoach.importers.reading import (
    ImportFileError,
    Records,
    all_records,
    decode,
    decode_text,
    read_bytes,
    sniff_delimiter,
    sniff_table_delimiter,
)
from callcoach.importers.rows import DRAFT, InvoiceRow, RowError, RowReader
from callcoach.importers.tables import Table, as_of_date, best_table, currency_note, find_header
from callcoach.importers.values import ORDERS, DateOrderError, DateReader
from callcoach.importers.workbook import is_workbook, read_tables

__all__ = ["ImportFileError", "InvoiceRow", "ParsedFile", "RowError", "decode", "parse_mapping", "read_invoice_csv"]


@dataclass
class ParsedFile:
    path: Path
    rows: list[InvoiceRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    raw_lines: dict[int, list[str]] = field(default_factory=dict)
    skipped: list[SkippedLine] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # field -> index, for a CSV file
    header: list[str] = field(default_factory=list)
    delimiter: str = ";"
    encoding: str = "utf-8"
    layout: str = "invoices"
    sheet: str | None = None
    header_line: int = 1
    above: list[str] = field(default_factory=list)  # title and note rows skipped above the header
    notes: list[str] = field(default_factory=list)  # how the file was read, for --dry-run and the report
    set_aside: list[tuple[int, str]] = field(default_factory=list)  # totals, notes, headings
    others: dict[str, list[str]] = field(default_factory=dict)  # field -> other columns that fitted
    drafts: int = 0
    lines_read: int = 0  # data lines looked at, for the share of bad ones
    date_order: str | None = None
    replaces: str | None = None  # the source whose open invoices this file lists in full (an aged balance)

    @property
    def filled(self) -> set[str] | None:
        """The fields the file has a column for; None where rows came from elsewhere (any may be set)."""
        return set(self.columns) if self.columns else None

    def skipped_names(self) -> tuple[set[str], set[tuple[str, str]]]:
        """The customers and (customer, contact) pairs the skipped lines name, as keys."""
        at_customer, at_contact = self.columns.get("customer", -1), self.columns.get("contact", -1)
        key = _Keys()
        pairs = {(_cell(s.record, at_customer), _cell(s.record, at_contact)) for s in self.skipped}
        customers = {key(customer) for customer, _ in pairs}
        contacts = {(key(customer), k) for customer, contact in pairs if (k := key(contact))}
        return customers, contacts

    def column_report(self) -> list[tuple[str, str, list[str]]]:
        """(field, the column read for it, other columns that fitted), in the file's order."""
        return [
            (name, self.header[index], self.others.get(name, []))
            for name, index in sorted(self.columns.items(), key=lambda item: item[1])
        ]


def read_invoice_csv(
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    default_term_days: int = 30,
    progress: Callable[[int], None] | None = None,
    known: dict[str, str] | None = None,
    date_order: str | None = None,
    today: date | None = None,
) -> ParsedFile:
    """Read and check every line of a CSV export or workbook; raise ImportFileError when the
    file itself is unusable.

    ``known`` maps invoice numbers to the fingerprint of the line each last came from: a line
    found there unchanged is only noted in ``skipped``, which makes re-importing a daily
    export of mostly the same lines cheap. ``date_order`` ("dmy" or "mdy") settles numeric
    dates a file leaves ambiguous; ``today`` dates an aged balance with no "as of" line."""
    if date_order is not None and date_order not in ORDERS:
        raise ImportFileError(
            "--date-order {date_order!r}: expected dmy or mdy",
            code="date_order_unknown",
            date_order=date_order,
        )
    data = read_bytes(path)
    options = _Options(mapping or {}, default_term_days, progress, known or {}, date_order, today or date.today())
    if is_workbook(path, data[:8]):
        return _with_date_order(path, options, lambda o: _read_tables(path, read_tables(path), o, "workbook"))
    text, encoding = decode_text(path, data)
    if not text.strip():
        raise ImportFileError("{path}: the file is empty", code="file_empty", path=path)
    first_line = text.split("\n", 1)[0]
    too_long = header_too_long(first_line)
    if too_long:
        raise ImportFileError("{path}:1: {too_long}", code="header_too_long", path=path, too_long=too_long)
    try:
        delimiter = sniff_delimiter(first_line)
    except ImportFileError:
        delimiter = ""
    if delimiter and is_plain_list(first_line, delimiter, options.mapping):
        return _with_date_order(path, options, lambda o: _read_plain(path, text, encoding, delimiter, o))
    try:
        table_delimiter = sniff_table_delimiter(text)
    except ImportFileError as exc:
        raise ImportFileError("{path}:1: {too_long}", code="header_too_long", path=path, too_long=exc) from None
    except csv.Error as exc:  # a cell over the CSV reader's own limit in the first lines
        raise ImportFileError("{path}: unreadable CSV: {exc}", code="csv_unreadable", path=path, exc=exc) from None
    try:
        table = Table(None, all_records(text, table_delimiter), joiner=table_delimiter)
    except csv.Error as exc:
        raise ImportFileError("{path}: unreadable CSV: {exc}", code="csv_unreadable", path=path, exc=exc) from None
    first = table.rows[0][1] if table.rows else []

    def read(o: _Options) -> ParsedFile:
        if len(first) > 1 and find_header(table, o.mapping) is None:  # a header nothing here could place
            require_columns(path, 1, first, match_columns(first, o.mapping).columns)
        parsed = _read_tables(path, [table], o, "csv")
        parsed.delimiter, parsed.encoding = table_delimiter, encoding
        return parsed

    return _with_date_order(path, options, read)


@dataclass
class _Options:
    mapping: dict[str, str]
    default_term_days: int
    progress: Callable[[int], None] | None
    known: dict[str, str]
    date_order: str | None
    today: date
    hint: str | None = None  # the date order the file's origin suggests
    dates: DateReader = field(default_factory=DateReader)


def _with_date_order(path: Path, options: _Options, read: Callable[[_Options], ParsedFile]) -> ParsedFile:
    """Read with the order given, or infer it: read day-first, and read again month-first when
    the file's unambiguous dates say so; refuse when nothing says which."""
    dates = options.dates = DateReader(options.date_order)
    parsed = read(options)
    try:
        verdict = dates.verdict(options.hint)
    except DateOrderError as exc:
        raise ImportFileError(
            "{path}: {exc}: say which with --date-order dmy or --date-order mdy",
            code="date_order_ambiguous",
            path=path,
            exc=exc,
        ) from None
    if verdict is not None:
        options.date_order = verdict
        dates = options.dates = DateReader(verdict)
        parsed = read(options)
        parsed.notes.append(Remark("dates read month/day/year (the file's dates say so)", code="dates_mdy"))
    parsed.date_order = dates.order or "dmy"
    return parsed


def _set_hint(options: _Options, hint: str | None) -> None:
    """A file of known origin reads its numeric dates in that origin's order: a date that
    cannot be read so is a mistake in that line, not a sign the file is the other way round."""
    options.hint = hint
    if options.date_order is None and hint is not None:
        options.dates.order = hint


def _read_plain(path: Path, text: str, encoding: str, delimiter: str, options: _Options) -> ParsedFile:
    records = Records(text, delimiter)
    try:
        header = records.header()
    except csv.Error as exc:
        raise ImportFileError("{path}:1: header: {exc}", code="header_unreadable", path=path, exc=exc) from None
    matching = match_columns(header, options.mapping)
    parsed = ParsedFile(path=path, delimiter=delimiter, encoding=encoding, header=header)
    parsed.columns, parsed.others = matching.columns, column_names(header, matching.others)
    _set_hint(options, date_order_hint(header, delimiter))
    reader = RowReader(path, header, matching.columns, options.default_term_days, options.dates)
    reader.currency = header_currency(header, matching.columns) or "EUR"
    fingerprint = Fingerprint(header, options.mapping, options.default_term_days, options.date_order or "")
    known, progress = options.known, options.progress
    at_number = matching.columns["number"]
    seen: dict[str, int] = {}
    try:
        for start, record in records.numbered():
            if not (record and record[0].strip()) and not any(cell.strip() for cell in record):
                continue  # a blank line, or separators only
            digest = fingerprint(record)
            if known:
                # The cell as it stands: a number that needs cleaning simply takes the long way.
                number = record[at_number] if at_number < len(record) else ""
                if known.get(number) == digest and number not in seen:
                    # The very line last imported for this invoice: nothing in it to read again.
                    seen[number] = start
                    parsed.skipped.append(SkippedLine(start, record, digest))
                    continue
            row = reader.quick(start, record) or reader.careful(start, record, parsed.errors)
            if row is not None and row.status != DRAFT and row.number not in seen:  # the everyday line
                seen[row.number] = start
                parsed.rows.append(row)
            elif not _keep(parsed, reader, row, start, record, seen):
                continue
            row.import_digest = digest  # type: ignore[union-attr]
            if progress is not None:
                progress(start)
    except csv.Error as exc:
        parsed.errors.append(
            RowError(
                str(path),
                records.position[0],
                "-",
                WordedError("unreadable CSV: {detail}", code="row_unreadable_csv", detail=str(exc)),
            )
        )
    parsed.lines_read = len(parsed.skipped) + len(parsed.rows) + len(parsed.raw_lines) + parsed.drafts
    _read_again_where_needed(parsed, reader)
    parsed.warnings = reader.warnings
    return parsed


def _keep(
    parsed: ParsedFile, reader: RowReader, row: InvoiceRow | None, start: int, record: list[str], seen: dict[str, int]
) -> bool:
    """Add a checked row to the file's rows: not when bad, a draft, or a repeated number."""
    if row is None:
        parsed.raw_lines[start] = record  # kept for the rejected-lines file
        return False
    if row.status == DRAFT:
        parsed.drafts += 1
        return False
    if row.number in seen:
        parsed.raw_lines[start] = record
        parsed.errors.append(
            RowError(
                str(parsed.path),
                start,
                reader.label("number"),
                WordedError(
                    "invoice {number} already on line {line}",
                    code="row_duplicate_invoice",
                    number=row.number,
                    line=seen[row.number],
                ),
            )
        )
        return False
    seen[row.number] = start
    parsed.rows.append(row)
    return True


def _read_tables(path: Path, tables: list[Table], options: _Options, kind: str) -> ParsedFile:
    found, aside = best_table(tables, options.mapping)
    if found is None:
        where = "any sheet" if kind == "workbook" else f"the first {40} lines"
        raise ImportFileError(
            "{path}: no header naming a customer or an invoice number and an amount in "
            '{where}; name the columns with --map "HEADER=field"',
            code="no_header_naming_customer_invoice",
            path=path,
            where=where,
        )
    dates = options.dates
    today = options.today
    stated = as_of_date(found.above)
    if stated:
        with suppress(DateError):
            today = DateReader("dmy")(stated)
    shaped = shape(found, str(path), today=today)
    columns = shaped.columns
    if "amount" not in columns and "remaining" in columns:
        columns["amount"] = columns.pop("remaining")  # only what is still owed is given: that is the debt
    require_columns(path, found.header_line, shaped.header, columns)
    parsed = ParsedFile(path=path, header=shaped.header, layout=shaped.layout, sheet=found.table.name)
    parsed.header_line, parsed.above, parsed.columns = found.header_line, found.above, columns
    parsed.others = column_names(found.header, found.matching.others)
    parsed.notes, parsed.set_aside, parsed.errors = [*aside, *shaped.notes], shaped.set_aside, list(shaped.errors)
    _set_hint(options, date_order_hint(found.header, ""))
    reader = RowReader(path, shaped.header, columns, options.default_term_days, dates)
    reader.currency = header_currency(found.header, columns) or currency_note(found.above) or "EUR"
    reader.source = f"{kind}:{path.name}"
    if shaped.estimated:  # one aged balance replaces the last: the same source whatever the file's name
        reader.source = parsed.replaces = "aged-balance"
    seen: dict[str, int] = {}
    for line, record in shaped.records:
        parsed.lines_read += 1
        row = reader.quick(line, record) or reader.careful(line, record, parsed.errors)
        if _keep(parsed, reader, row, line, record, seen) and shaped.estimated:
            row.due_basis = "estimated"  # type: ignore[union-attr]
    parsed.lines_read += len({e.line for e in shaped.errors})
    parsed.warnings = reader.warnings
    return parsed


class _Keys:
    """Name keys of raw cells, each distinct cell worked out once."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        found = self.known.get(text)
        if found is None:
            found = self.known[text] = name_key(clean_field(text.strip()))
        return found


def _cell(record: list[str], index: int) -> str:
    return record[index] if 0 <= index < len(record) else ""


def _read_again_where_needed(parsed: ParsedFile, reader: RowReader) -> None:
    """A customer with a changed or new line has its details taken from its last line that
    fills them, as always: its unchanged lines are read after all, so none is missed."""
    changed = {row.customer_key for row in parsed.rows}
    if not changed or not parsed.skipped:
        return
    key, at_customer = _Keys(), parsed.columns["customer"]
    still: list[SkippedLine] = []
    for skipped in parsed.skipped:
        if key(_cell(skipped.record, at_customer)) not in changed:
            still.append(skipped)
            continue
        row = reader.quick(skipped.line, skipped.record) or reader.careful(skipped.line, skipped.record, parsed.errors)
        if row is None:  # read without fault when last imported; say so if no longer
            parsed.raw_lines[skipped.line] = skipped.record
            continue
        row.import_digest = skipped.digest
        parsed.rows.append(row)
    parsed.skipped = still
    parsed.rows.sort(key=lambda row: row.line)


def rejected_lines(parsed: ParsedFile) -> tuple[str, int]:
    """The rejected lines, as they were, with the reasons, ready to fix and re-import: the
    file's text and how many lines it holds (the service writes it, whole or not at all)."""
    import io

    from callcoach.domain.text import neutralise_formula

    by_line: dict[int, list[str]] = {}
    for error in parsed.errors:
        by_line.setdefault(error.line, []).append(f"{error.column}: {error.reason}")
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=parsed.delimiter)
    writer.writerow([*parsed.header, "callcoach_error"])
    for line, reasons in sorted(by_line.items()):
        cells = parsed.raw_lines.get(line, [])
        writer.writerow([neutralise_formula(c) for c in [*cells, f"line {line}: " + "; ".join(reasons)]])
    return out.getvalue(), len(by_line)
