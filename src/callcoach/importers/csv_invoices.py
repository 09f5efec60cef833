"""Invoice exports as CSV, the way small businesses' tools really write them.

The whole file is read and checked before anything is written, so a refused file leaves
the ledger as it was. Each problem is reported as ``file:line: column: reason``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from pathlib import Path

from callcoach.domain.dates import DateError, parse_date
from callcoach.domain.kinds import InvoiceStatus
from callcoach.domain.money import AmountError, parse_amount
from callcoach.domain.text import clean_field, clean_multiline, name_key
from callcoach.importers import vocab
from callcoach.importers.headers import FIELDS, LABELS, REQUIRED, field_for

DELIMITERS = (";", ",", "\t")
LANGUAGES = ("fr", "en", "nl", "de")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (missing, empty, no usable header)."""


@dataclass(frozen=True)
class RowError:
    path: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column}: {self.reason}"


@dataclass(slots=True)
class InvoiceRow:
    """One invoice line, checked and converted; what the ledger will hold."""

    line: int
    number: str
    customer: str
    amount_cents: int
    issue_date: date
    due_date: date
    payment_term_days: int | None = None
    paid_cents: int = 0
    status: str = InvoiceStatus.OPEN
    currency: str = "EUR"
    po_number: str | None = None
    product: str | None = None
    copy_path: str | None = None
    contact: str | None = None
    contact_role: str | None = None
    phone: str | None = None
    email: str | None = None
    can_release_payment: str | None = None
    address: str | None = None
    kind: str | None = None
    language: str | None = None
    identifier: str | None = None
    doc_type: str = "invoice"
    due_basis: str = "stated"
    buyer_reference: str | None = None
    payment_reference: str | None = None
    source: str | None = None
    import_digest: str | None = None
    customer_key: str = ""

    def __post_init__(self) -> None:
        self.customer_key = name_key(self.customer)


@dataclass
class ParsedFile:
    path: Path
    rows: list[InvoiceRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    raw_lines: dict[int, list[str]] = field(default_factory=dict)
    skipped: list[SkippedLine] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # field -> index, for a CSV file
    header: list[str] = field(default_factory=list)
    delimiter: str = ";"
    encoding: str = "utf-8"

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


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``--map "Réf client=customer"`` pairs into {header: field}."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, sep, target = pair.partition("=")
        if not sep or not header.strip() or not target.strip():
            raise ImportFileError(f"--map {pair!r}: expected HEADER=field")
        target = target.strip()
        if target not in FIELDS:
            raise ImportFileError(f"--map {pair!r}: unknown field {target!r} (fields: {', '.join(FIELDS)})")
        mapping[name_key(header)] = target
    return mapping


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (BOM or not), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(header_line: str) -> str:
    counts = {d: 0 for d in DELIMITERS}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        raise ImportFileError("no column separator found in the header line (expected ; , or tab)")
    return best


def read_invoice_csv(
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    default_term_days: int = 30,
    progress: Callable[[int], None] | None = None,
    known: dict[str, str] | None = None,
) -> ParsedFile:
    """Read and check every line; raise ImportFileError when the file itself is unusable.

    ``known`` maps invoice numbers to the fingerprint of the line each last came from: a line
    found there unchanged is only noted in ``skipped``, which makes re-importing a daily
    export of mostly the same lines cheap."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: is a folder, not a CSV file") from None
    except PermissionError:
        raise ImportFileError(f"{path}: permission denied") from None
    text, encoding = decode(data)
    if not text.strip():
        raise ImportFileError(f"{path}: the file is empty")
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = sniff_delimiter(first_line)
    except ImportFileError as exc:
        raise ImportFileError(f"{path}:1: {exc}") from None
    parsed = ParsedFile(path=path, delimiter=delimiter, encoding=encoding)
    reader: _SplitLines | Iterator[list[str]]
    if _SplitLines.suits(text):
        reader = _SplitLines(text, delimiter)
    else:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ImportFileError(f"{path}:1: header: {exc}") from None
    # Each record with the line it starts on; ``position`` is where the reader stands, for an
    # unreadable line's message.
    position = [reader.line_num + 1]
    numbered: Iterator[tuple[int, list[str]]]
    if isinstance(reader, _SplitLines):  # one line a record: numbered without a Python step each
        numbered = zip(range(position[0], sys.maxsize), reader.rest(), strict=False)
    else:
        numbered = _numbered(reader, position)
    parsed.header = header
    columns = _map_columns(path, header, mapping or {})
    parsed.columns = columns
    fast = _FastRows(path, header, columns)
    fingerprint = _Fingerprint(header, mapping or {}, default_term_days)
    known = known or {}
    at_number = columns["number"]
    seen: dict[str, int] = {}
    try:
        for start, record in numbered:
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
            row = fast.row(start, record) or _check_row(
                path, start, header, columns, record, default_term_days, parsed.errors
            )
            if row is None:
                parsed.raw_lines[start] = record  # kept for the rejected-lines file
                continue
            if row.number in seen:
                parsed.raw_lines[start] = record
                parsed.errors.append(
                    RowError(
                        str(path),
                        start,
                        _label(header, columns, "number"),
                        f"invoice {row.number} already on line {seen[row.number]}",
                    )
                )
                continue
            row.import_digest = digest
            seen[row.number] = start
            parsed.rows.append(row)
            if progress is not None:
                progress(start)
    except csv.Error as exc:
        parsed.errors.append(RowError(str(path), position[0], "-", f"unreadable CSV: {exc}"))
    _read_again_where_needed(parsed, fast, header, columns, default_term_days)
    return parsed


def _numbered(reader: Iterator[list[str]], position: list[int]) -> Iterator[tuple[int, list[str]]]:
    for record in reader:
        start = position[0]
        position[0] = reader.line_num + 1  # type: ignore[attr-defined]
        yield start, record


class _SplitLines:
    """Lines cut at the separator, for a file where that is all the csv module would do: no
    quote anywhere (so no quoted separator or line break), no lone CR, no NUL. Three times
    faster than ``csv.reader`` on a large export; any other file goes through ``csv.reader``."""

    def __init__(self, text: str, delimiter: str) -> None:
        lines = text.replace("\r\n", "\n").split("\n")
        if lines[-1] == "":  # the end of the last line, not a line
            lines.pop()
        self.lines = iter(lines)
        self.delimiter = delimiter
        self.line_num = 0

    @staticmethod
    def suits(text: str) -> bool:
        return '"' not in text and "\x00" not in text and text.count("\r") == text.count("\r\n")

    def rest(self) -> Iterator[list[str]]:
        """The records after those already read, cut in one pass."""
        delimiter = self.delimiter
        return iter([line.split(delimiter) if line else [] for line in self.lines])

    def __next__(self) -> list[str]:
        line = next(self.lines)
        self.line_num += 1
        return line.split(self.delimiter) if line else []


FINGERPRINT_VERSION = b"callcoach-csv-1"  # changed whenever reading a line changes meaning


class _Fingerprint:
    """A line's fingerprint: its cells, with everything else that decides what they mean
    (the header, the --map options, the default payment term, the reading rules)."""

    def __init__(self, header: list[str], mapping: dict[str, str], default_term_days: int) -> None:
        context = "\x1e".join([*header, repr(sorted(mapping.items())), str(default_term_days)])
        self.start = hashlib.blake2b(FINGERPRINT_VERSION + context.encode() + b"\x1d", digest_size=12)

    def __call__(self, record: list[str]) -> str:
        h = self.start.copy()
        h.update("\x1f".join(record).encode())
        return h.hexdigest()


@dataclass(slots=True)
class SkippedLine:
    """A line identical to the one an invoice last came from: counted, not read again."""

    line: int
    record: list[str]
    digest: str


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


def _read_again_where_needed(
    parsed: ParsedFile, fast: _FastRows, header: list[str], columns: dict[str, int], default_term_days: int
) -> None:
    """A customer with a changed or new line has its details taken from its last line that
    fills them, as always: its unchanged lines are read after all, so none is missed."""
    changed = {row.customer_key for row in parsed.rows}
    if not changed or not parsed.skipped:
        return
    key, at_customer = _Keys(), columns["customer"]
    still: list[SkippedLine] = []
    for skipped in parsed.skipped:
        if key(_cell(skipped.record, at_customer)) not in changed:
            still.append(skipped)
            continue
        row = fast.row(skipped.line, skipped.record) or _check_row(
            parsed.path, skipped.line, header, columns, skipped.record, default_term_days, parsed.errors
        )
        if row is None:  # read without fault when last imported; say so if no longer
            parsed.raw_lines[skipped.line] = skipped.record
            continue
        row.import_digest = skipped.digest
        parsed.rows.append(row)
    parsed.skipped = still
    parsed.rows.sort(key=lambda row: row.line)


class _FastRows:
    """The everyday line, read in one pass: every cell present, dates and amounts in the
    usual forms, nothing to look up. Anything else (a missing cell, a status or term
    column in use, a value that does not read) returns None and goes through
    ``_check_row``, which reads every form and names every problem. A test checks both
    give the same rows."""

    _CELLS = (
        "number", "customer", "amount", "paid", "issue_date", "due_date", "currency", "po_number", "product",
        "copy_path", "contact", "contact_role", "phone", "email", "address", "identifier",
        "status", "kind", "can_release_payment", "language", "payment_term_days",
    )  # fmt: skip
    _MUST_BE_EMPTY = ("remaining",)

    def __init__(self, path: Path, header: list[str], columns: dict[str, int]) -> None:
        self.width = len(header)
        # The cells by name, a missing column reading as the empty cell appended after the line.
        self.pick = itemgetter(*[columns.get(name, self.width) for name in self._CELLS])
        money = {columns.get("amount"), columns.get("paid")}
        # Number, customer and a date are required columns: always two text cells or more, so
        # the getter gives a tuple.
        self.text_cells = itemgetter(*[i for i in range(self.width) if i not in money])
        self.empty = [columns[name] for name in self._MUST_BE_EMPTY if name in columns]
        self.source = f"csv:{path.name}"

    def row(self, line: int, record: list[str]) -> InvoiceRow | None:
        if len(record) != self.width:
            return None
        for index in self.empty:
            if record[index].strip():
                return None
        (number, customer, amount, paid, issued, due, currency, po, product, copy, contact, role, phone, email,
         address, identifier, status_text, kind_text, authority_text, language,
         term_text) = self.pick([*record, ""])  # fmt: skip
        # One check for the whole line (amounts, which may hold no-break spaces, are read apart):
        # printable, single-spaced and no space at either end of a cell means every cell is clean.
        # "|" between cells: a "| " or " |" then means a cell with an outer space (or, rarely, a
        # bar inside a cell, which merely takes the careful path).
        joined = "|" + "|".join(self.text_cells(record)) + "|"
        if not joined.isprintable() or "  " in joined or "| " in joined or " |" in joined:
            return None
        if not (number and customer and amount and issued and due):
            return None
        try:
            amount_cents = parse_amount(amount)
            paid_cents = parse_amount(paid) if paid else 0
            issue_date, due_date = parse_date(issued), parse_date(due)
        except (AmountError, DateError):
            return None
        if amount_cents <= 0 or not 0 <= paid_cents <= amount_cents or due_date < issue_date:
            return None
        if currency:
            currency = currency.upper()
            if len(currency) != 3 or not currency.isalpha():
                return None
        status = kind = authority = term = None
        if status_text and (status := vocab.status(status_text)) is None:
            return None
        if kind_text and (kind := vocab.kind(kind_text)) is None:
            return None
        if authority_text and (authority := vocab.authority(authority_text)) is None:
            return None
        if term_text and ((term := vocab.term_days(term_text)) is None or term > 3650):
            return None
        language = language.lower()[:2]
        if language and language not in LANGUAGES:
            return None
        if email and "@" not in email:
            return None
        return InvoiceRow(
            line=line,
            number=number,
            customer=customer,
            amount_cents=amount_cents,
            issue_date=issue_date,
            due_date=due_date,
            payment_term_days=(due_date - issue_date).days if term is None else term,
            paid_cents=paid_cents,
            status=status or (InvoiceStatus.PAID.value if paid_cents >= amount_cents else InvoiceStatus.OPEN.value),
            currency=currency or "EUR",
            po_number=po or None,
            product=product or None,
            copy_path=copy or None,
            contact=contact or None,
            contact_role=role or None,
            phone=phone or None,
            email=email or None,
            address=address or None,
            identifier=identifier or None,
            kind=kind,
            can_release_payment=authority,
            language=language or None,
            source=self.source,
        )


def _map_columns(path: Path, header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        target = mapping.get(name_key(name)) or field_for(name)
        if target and target not in columns:
            columns[target] = index
    missing = [f for f in REQUIRED if f not in columns]
    if "issue_date" not in columns and "due_date" not in columns:
        missing.append("issue_date")
    if missing:
        found = ", ".join(repr(h) for h in header) or "nothing"
        needs = ", ".join(LABELS[f] for f in missing)
        hint = f'--map "HEADER={missing[0]}"'
        raise ImportFileError(f"{path}:1: header: no column for {needs} (found {found}); use {hint}")
    return columns


def _label(header: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return header[index] if index is not None else LABELS.get(name, name)


def _check_row(
    path: Path,
    line: int,
    header: list[str],
    columns: dict[str, int],
    record: list[str],
    default_term_days: int,
    errors: list[RowError],
) -> InvoiceRow | None:
    problems: list[RowError] = []

    width = len(record)
    # Each cell trimmed once; a missing column or a short line reads as empty.
    cells = {name: record[index].strip() if index < width else "" for name, index in columns.items()}

    def cell(name: str) -> str:
        return cells.get(name, "")

    def fail(name: str, reason: str) -> None:
        problems.append(RowError(str(path), line, _label(header, columns, name), reason))

    if len(record) > len(header):
        fail("number", f"{len(record)} cells for {len(header)} columns (a separator inside an unquoted value?)")

    number = clean_field(cell("number"))
    if not number:
        fail("number", "missing invoice number")
    customer = clean_field(cell("customer"))
    if not customer:
        fail("customer", "missing customer name")

    amount = _money(cell("amount"), "amount", fail, required=True)
    paid = _money(cell("paid"), "paid", fail) if cell("paid") else None
    remaining = _money(cell("remaining"), "remaining", fail) if cell("remaining") else None

    term = None
    if cell("payment_term_days"):
        term = vocab.term_days(cell("payment_term_days"))
        if term is None or term > 3650:
            fail("payment_term_days", f"not a payment term in days: {cell('payment_term_days')!r}")
    issue = _date(cell("issue_date"), "issue_date", fail) if cell("issue_date") else None
    due = _date(cell("due_date"), "due_date", fail) if cell("due_date") else None
    if not cell("issue_date") and not cell("due_date"):
        fail("issue_date" if "issue_date" in columns else "due_date", "missing date")

    status = None
    if cell("status"):
        status = vocab.status(cell("status"))
        if status is None:
            fail("status", f"unknown status {cell('status')!r} (open, paid, disputed, cancelled)")
    kind = None
    if cell("kind"):
        kind = vocab.kind(cell("kind"))
        if kind is None:
            fail("kind", f"unknown organisation kind {cell('kind')!r}")
    authority = None
    if cell("can_release_payment"):
        authority = vocab.authority(cell("can_release_payment"))
        if authority is None:
            fail("can_release_payment", f"expected yes or no, not {cell('can_release_payment')!r}")
    currency = (cell("currency") or "EUR").upper()
    if currency == "€":
        currency = "EUR"
    if len(currency) != 3 or not currency.isalpha():
        fail("currency", f"not a currency code: {currency!r}")
    language = cell("language").lower()[:2] or None
    if language and language not in LANGUAGES:
        fail("language", f"unknown language {cell('language')!r}")

    if problems or amount is None:
        errors.extend(problems)
        return None

    if issue is None:
        assert due is not None
        issue = due - timedelta(days=term if term is not None else default_term_days)
    due_basis = "stated"
    if due is None:
        due = issue + timedelta(days=term if term is not None else default_term_days)
        due_basis = "terms" if term is not None else "estimated"
        if term is None:
            term = default_term_days
    if due < issue:
        fail("due_date", f"due date {due:%d/%m/%Y} is before the issue date {issue:%d/%m/%Y}")
    if term is None:
        term = (due - issue).days

    if paid is None and remaining is not None:
        paid = amount - remaining
    paid = paid or 0
    if amount >= 0 and (paid < 0 or paid > amount):
        fail("paid" if cell("paid") else "remaining", "amount paid is outside 0 and the invoice amount")
    if problems:
        errors.extend(problems)
        return None
    if status is None:
        status = InvoiceStatus.PAID if amount > 0 and paid >= amount else InvoiceStatus.OPEN

    email = clean_field(cell("email")) or None
    if email and "@" not in email:
        fail("email", f"not an e-mail address: {email!r}")
        errors.extend(problems)
        return None
    return InvoiceRow(
        line=line,
        number=number,
        customer=customer,
        amount_cents=amount,
        issue_date=issue,
        due_date=due,
        payment_term_days=term,
        paid_cents=paid,
        status=str(status),
        currency=currency,
        po_number=clean_field(cell("po_number")) or None,
        product=clean_field(cell("product")) or None,
        copy_path=clean_field(cell("copy_path")) or None,
        contact=clean_field(cell("contact")) or None,
        contact_role=clean_field(cell("contact_role")) or None,
        phone=clean_field(cell("phone")) or None,
        email=email,
        can_release_payment=authority,
        address=clean_multiline(cell("address")).strip() or None,
        kind=kind,
        language=language,
        identifier=clean_field(cell("identifier")) or None,
        doc_type="credit_note" if amount < 0 else "invoice",
        due_basis=due_basis,
        source=f"csv:{path.name}",
    )


def _money(text: str, name: str, fail: Callable[[str, str], None], *, required: bool = False) -> int | None:
    if not text:
        if required:
            fail(name, "missing amount")
        return None
    try:
        return parse_amount(text)
    except AmountError as exc:
        fail(name, str(exc))
        return None


def _date(text: str, name: str, fail: Callable[[str, str], None]) -> date | None:
    try:
        return parse_date(text)
    except DateError as exc:
        fail(name, str(exc))
        return None


def write_rejected(parsed: ParsedFile, target: Path) -> int:
    """The rejected lines, as they were, with the reasons, ready to fix and re-import."""
    from callcoach.domain.text import neutralise_formula

    by_line: dict[int, list[str]] = {}
    for error in parsed.errors:
        by_line.setdefault(error.line, []).append(f"{error.column}: {error.reason}")
    with target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=parsed.delimiter)
        writer.writerow([*parsed.header, "callcoach_error"])
        for line, reasons in sorted(by_line.items()):
            cells = parsed.raw_lines.get(line, [])
            writer.writerow([neutralise_formula(c) for c in [*cells, f"line {line}: " + "; ".join(reasons)]])
    return len(by_line)
