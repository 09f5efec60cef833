"""Putting an export into the ledger: create what is new, update what changed, in one go.

The invoice number is the key: re-importing the same or a newer export updates invoices
(amounts paid and status follow the newest file) instead of duplicating them. Debtors are
matched by their normalised name. The collector's own records (calls, promises, notes)
are never touched by an import. Writes go through SQLAlchemy Core in bulk: an ORM object
per row is about twenty times slower on a 100,000-line export; on PostgreSQL the rows
go over COPY (``import_copy``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple, TypeVar

from sqlalchemy import Table, select
from sqlmodel import Session, SQLModel, col

from callcoach.db.tables import CollectorSettings, Contact, Debtor, Invoice, Payment
from callcoach.domain.clock import Clock
from callcoach.domain.text import name_key
from callcoach.importers.csv_invoices import (
    InvoiceRow,
    ParsedFile,
    RowError,
    read_invoice_csv,
    rejected_lines,
)
from callcoach.services.balances import note_today
from callcoach.services.closing import close_paid
from callcoach.services.errors import UserError
from callcoach.services.import_copy import CoreWriter, writer_for

K = TypeVar("K")


class InvoiceValues(NamedTuple):
    """An invoice's imported columns, in the order rows are compared: the debtor first, where
    the row came from last (``source``, ``import_digest``), as a line gives them and as the
    ledger holds them."""

    debtor_id: int
    issue_date: date
    due_date: date
    payment_term_days: int | None
    amount_cents: int
    currency: str
    paid_cents: int
    po_number: str | None
    product: str | None
    copy_path: str | None
    status: str
    doc_type: str
    due_basis: str
    buyer_reference: str | None
    payment_reference: str | None
    source: str | None
    import_digest: str | None


INVOICE_FIELDS: tuple[str, ...] = InvoiceValues._fields
FEW = 5_000  # changed lines up to which only their invoices are fetched, not the whole ledger's
COMPARED = len(INVOICE_FIELDS) - 2  # "source" and "import_digest" say where a row came from, not what it holds
DEBTOR_FIELDS = ("kind", "address", "email", "language", "identifier")
CONTACT_FIELDS = ("role", "phone", "email", "can_release_payment")
CONTACT_COLUMN = {"role": "contact_role"}  # the import column (and row attribute) of a contact field, where it differs


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    path: Path
    debtors: Counts = field(default_factory=Counts)
    invoices: Counts = field(default_factory=Counts)
    contacts: Counts = field(default_factory=Counts)
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected_file: Path | None = None
    written: bool = False
    drafts: int = 0  # invoices the file marks as drafts or unsent: nobody owes them yet
    warnings: list[RowError] = field(default_factory=list)
    parsed: ParsedFile | None = None  # how the file was read: sheet, header row, columns, layout
    closed: int = 0  # open invoices an earlier export listed and this one no longer does


BAD_SHARE = 5  # --skip-bad refuses a file when more than one line in BAD_SHARE is bad


class ImportRefused(UserError):
    """Bad rows and no --skip-bad: nothing was written."""

    def __init__(self, report: ImportReport, message: str = "", *, code: str = "", **values: object) -> None:
        self.report = report
        if not code:
            n = len({e.line for e in report.errors})
            message = f"{report.path}: {n} bad line(s); nothing imported (--skip-bad imports the good ones)"
            code, values = "import_bad_lines", {"path": report.path, "count": n}
        super().__init__(message, code=code, **values)


def default_term_days(session: Session) -> int:
    settings = session.get(CollectorSettings, 1)
    return settings.default_payment_term_days if settings else 30


def import_csv(
    session: Session,
    path: Path,
    *,
    clock: Clock,
    mapping: dict[str, str] | None = None,
    skip_bad: bool = False,
    dry_run: bool = False,
    rejected_path: Path | None = None,
    progress: Callable[[int], None] | None = None,
    date_order: str | None = None,
) -> ImportReport:
    """Read ``path`` (a CSV export or a workbook) and apply it; raise ImportRefused (nothing
    written) on bad rows, or with --skip-bad when so many are bad the layout was misread."""
    with _no_gc_pauses():
        writer_for(session.connection()).lock()  # before reading what the ledger knows
        known = _known_lines(session)
        parsed = read_invoice_csv(
            path,
            mapping=mapping,
            default_term_days=default_term_days(session),
            progress=progress,
            known=known,
            date_order=date_order,
            today=clock.today(),
        )
        return apply_parsed(
            session, parsed, clock=clock, skip_bad=skip_bad, dry_run=dry_run, rejected_path=rejected_path
        )


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """An import makes hundreds of thousands of objects and no reference cycles: the cycle
    collector would only rescan them, again and again (a fifth of a large import's time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def apply_parsed(
    session: Session,
    parsed: ParsedFile,
    *,
    clock: Clock,
    skip_bad: bool = False,
    dry_run: bool = False,
    rejected_path: Path | None = None,
) -> ImportReport:
    """Write a read file's rows to the ledger: the one way rows of any format get there."""
    report = ImportReport(path=parsed.path, errors=parsed.errors, drafts=parsed.drafts, parsed=parsed)
    report.warnings = parsed.warnings
    report.rejected = len({e.line for e in parsed.errors})
    if parsed.errors and not skip_bad:
        raise ImportRefused(report)
    if parsed.errors and report.rejected * BAD_SHARE > max(parsed.lines_read, 1):
        raise ImportRefused(
            report,
            f"{parsed.path}: {report.rejected} of {parsed.lines_read} lines are bad, more than one in {BAD_SHARE}: "
            "the file was probably misread (check the columns with --dry-run, name them with --map); nothing imported",
            code="import_misread",
            path=parsed.path,
            bad=report.rejected,
            lines=parsed.lines_read,
            share=BAD_SHARE,
        )
    if parsed.errors and not dry_run:
        target = rejected_path or parsed.path.with_name(parsed.path.stem + ".rejected.csv")
        from callcoach.files import write_whole

        text, _ = rejected_lines(parsed)
        write_whole(target, text.encode("utf-8"))  # 0600, whole or not at all
        report.rejected_file = target
    note_today(session, clock.today())  # the day the balances of the debtors it touched are counted to
    apply_rows(session, parsed, report, clock=clock)
    if parsed.replaces and not parsed.errors:  # a full report of open balances: one no longer listed was paid
        report.closed = close_paid(session, parsed.replaces, {row.number for row in parsed.rows}, clock)
    report.written = not dry_run
    return report


def _known_lines(session: Session) -> dict[str, str]:
    """Invoice number -> fingerprint of the line it last came from. Read straight from the
    driver's cursor (plain SQL, no parameters): result rows cost a tenth of a second a
    hundred thousand, more than the comparison they serve."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute("SELECT number, import_digest FROM invoice WHERE import_digest IS NOT NULL")
        return dict(cursor.fetchall())
    finally:
        cursor.close()


def apply_rows(session: Session, parsed: ParsedFile, report: ImportReport, *, clock: Clock) -> None:
    writer = writer_for(session.connection())
    writer.lock()
    debtor_ids = _apply_debtors(writer, parsed.rows, report.debtors, parsed.filled)
    _apply_contacts(writer, parsed.rows, debtor_ids, report.contacts, parsed.filled)
    _apply_invoices(writer, parsed.rows, debtor_ids, report.invoices, clock)
    _count_skipped(parsed, report)


def _count_skipped(parsed: ParsedFile, report: ImportReport) -> None:
    """Lines unchanged since the last import: their invoices, and the debtors and contacts
    only they name, are unchanged."""
    if not parsed.skipped:
        return
    report.invoices.unchanged += len(parsed.skipped)
    skipped_customers, skipped_contacts = parsed.skipped_names()
    customers = {row.customer_key for row in parsed.rows}
    report.debtors.unchanged += len(skipped_customers - customers)
    contacts = {(row.customer_key, name_key(row.contact)) for row in parsed.rows if row.contact}
    report.contacts.unchanged += len(skipped_contacts - contacts)


def _filled(names: tuple[str, ...], filled: set[str] | None) -> tuple[str, ...]:
    """Only the fields the file has a column for: an export without addresses costs nothing for them."""
    return names if filled is None else tuple(n for n in names if (CONTACT_COLUMN.get(n, n)) in filled)


def _last_values(
    rows: list[InvoiceRow],
    key: Callable[[InvoiceRow], K],
    names: tuple[str, ...],
    source: Callable[[InvoiceRow, str], object],
) -> dict[K, dict[str, object]]:
    """Per key, each field's last non-empty value in file order (the newest line wins)."""
    values: dict[K, dict[str, object]] = {}
    for row in rows:
        slot = values.setdefault(key(row), {})
        for name in names:
            value = source(row, name)
            if value not in (None, ""):
                slot[name] = value
    return values


def _apply_debtors(
    writer: CoreWriter, rows: list[InvoiceRow], counts: Counts, filled: set[str] | None
) -> dict[str, int]:
    if not rows:
        return {}
    conn = writer.conn
    names: dict[str, str] = {}
    for row in rows:
        names.setdefault(row.customer_key, row.customer)
    wanted = _last_values(rows, lambda r: r.customer_key, _filled(DEBTOR_FIELDS, filled), lambda r, n: getattr(r, n))
    existing = {
        key: (debtor_id, dict(zip(DEBTOR_FIELDS, values, strict=True)))
        for key, debtor_id, *values in conn.execute(
            select(col(Debtor.name_key), col(Debtor.id), *(getattr(Debtor, f) for f in DEBTOR_FIELDS))
        )
    }
    ids: dict[str, int] = {}
    new_rows, changes = [], []
    for key, name in names.items():
        fields = wanted.get(key, {})
        if key in existing:
            debtor_id, current = existing[key]
            ids[key] = debtor_id
            diff = {f: v for f, v in fields.items() if current.get(f) != v}
            if diff:
                changes.append((debtor_id, diff))
                counts.updated += 1
            else:
                counts.unchanged += 1
        else:
            blank = dict.fromkeys(DEBTOR_FIELDS, None) | {"kind": "small_company"}
            new_rows.append({"name": name, "name_key": key, "in_difficulty": False, "notes": "", **blank, **fields})
    if new_rows:
        columns = tuple(new_rows[0])
        for key, debtor_id in writer.insert_returning(
            _table(Debtor), columns, [tuple(r.values()) for r in new_rows], ("name_key", "id")
        ):
            ids[key] = debtor_id
        counts.created += len(new_rows)
    _update_by_fields(writer, _table(Debtor), changes)
    return ids


def _table(model: type[SQLModel]) -> Table:
    """A table class's Core table (SQLModel leaves ``__table__`` untyped)."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


def _update_by_fields(writer: CoreWriter, table: Table, changes: list[tuple[int, dict[str, object]]]) -> None:
    """Rows changed in different fields: one bulk update per set of fields."""
    by_fields: dict[tuple[str, ...], list[tuple[object, ...]]] = {}
    for row_id, diff in changes:
        by_fields.setdefault(tuple(sorted(diff)), []).append((row_id, *(diff[f] for f in sorted(diff))))
    for fields, rows in by_fields.items():
        writer.update(table, ("id", *fields), rows)


def _apply_contacts(
    writer: CoreWriter, rows: list[InvoiceRow], debtor_ids: dict[str, int], counts: Counts, filled: set[str] | None
) -> None:
    if not rows:
        return
    conn = writer.conn

    def source(row: InvoiceRow, name: str) -> object:
        return getattr(row, CONTACT_COLUMN.get(name, name))

    with_contact = [r for r in rows if r.contact]
    wanted = _last_values(
        with_contact, lambda r: (r.customer_key, name_key(r.contact or "")), _filled(CONTACT_FIELDS, filled), source
    )
    display = {(r.customer_key, name_key(r.contact or "")): r.contact for r in with_contact}
    by_debtor: dict[int, dict[str, tuple[int, dict[str, object]]]] = {}
    has_primary: set[int] = set()
    for contact_id, debtor_id, cname, primary, *values in conn.execute(
        select(
            col(Contact.id),
            col(Contact.debtor_id),
            col(Contact.name),
            col(Contact.is_primary),
            *(getattr(Contact, f) for f in CONTACT_FIELDS),
        )
    ):
        by_debtor.setdefault(debtor_id, {})[name_key(cname)] = (
            contact_id,
            dict(zip(CONTACT_FIELDS, values, strict=True)),
        )
        if primary:
            has_primary.add(debtor_id)
    new_contacts: list[dict[str, object]] = []
    changes: list[tuple[int, dict[str, object]]] = []
    blank: dict[str, object] = {"role": None, "phone": None, "email": None, "can_release_payment": "unknown"}
    for (customer_key, contact_key), fields in wanted.items():
        debtor_id = debtor_ids[customer_key]
        known = by_debtor.setdefault(debtor_id, {})
        if contact_key in known:
            contact_id, current = known[contact_key]
            diff = {f: v for f, v in fields.items() if current.get(f) != v}
            if diff:
                changes.append((contact_id, diff))
                counts.updated += 1
            else:
                counts.unchanged += 1
            continue
        new_contacts.append(
            {
                **blank,
                "debtor_id": debtor_id,
                "name": display[(customer_key, contact_key)],
                "is_primary": debtor_id not in has_primary,
                **fields,
            }
        )
        has_primary.add(debtor_id)
        known[contact_key] = (0, fields)
        counts.created += 1
    _update_by_fields(writer, _table(Contact), changes)
    if new_contacts:
        columns = tuple(new_contacts[0])  # every new contact has the same keys, in the same order
        writer.insert(_table(Contact), columns, [tuple(c.values()) for c in new_contacts])


def _apply_invoices(
    writer: CoreWriter,
    rows: list[InvoiceRow],
    debtor_ids: dict[str, int],
    counts: Counts,
    clock: Clock,
) -> None:
    if not rows:
        return
    conn = writer.conn
    # Rows are compared as tuples in INVOICE_FIELDS order: "debtor_id" first, the origin last.
    columns = (col(Invoice.number), col(Invoice.id), *(getattr(Invoice, f) for f in INVOICE_FIELDS))
    if len(rows) <= FEW:  # a handful of changed lines: fetch just those invoices
        numbers = [row.number for row in rows]
        found = [
            invoice
            for i in range(0, len(numbers), 500)
            for invoice in conn.execute(select(*columns).where(col(Invoice.number).in_(numbers[i : i + 500])))
        ]
    else:
        found = list(conn.execute(select(*columns)))
    existing = {number: (invoice_id, InvoiceValues(*values)) for number, invoice_id, *values in found}
    from_row = attrgetter(*INVOICE_FIELDS[1:])
    new_rows: list[tuple[object, ...]] = []
    changed: list[tuple[object, ...]] = []
    fingerprints: list[tuple[object, ...]] = []  # same values, from another line: only its fingerprint
    payments: list[tuple[object, ...]] = []
    now: datetime = clock.now()
    today = clock.today()
    for row in rows:
        values = InvoiceValues(debtor_ids[row.customer_key], *from_row(row))
        known = existing.get(row.number)
        if known is None:
            new_rows.append((row.number, *values))
            continue
        invoice_id, current = known
        if current.copy_path and not values.copy_path:  # a copy found earlier is kept
            values = values._replace(copy_path=current.copy_path)
        if values[:COMPARED] == current[:COMPARED]:  # the everyday case of a re-import: nothing to do
            counts.unchanged += 1
            if values.import_digest != current.import_digest:
                fingerprints.append((invoice_id, values.import_digest))
            continue
        changed.append((invoice_id, *values))
        counts.updated += 1
        increase = values.paid_cents - (current.paid_cents or 0)
        if increase > 0:
            payments.append((invoice_id, increase, today, None, "import", now))
    table = _table(Invoice)
    if new_rows:
        writer.insert_invoices(table, ("number", *INVOICE_FIELDS), new_rows)
        counts.created += len(new_rows)
    writer.update(table, ("id", *INVOICE_FIELDS), changed)
    writer.update(table, ("id", "import_digest"), fingerprints)
    payment_columns = ("invoice_id", "amount_cents", "paid_on", "method", "source", "recorded_at")
    writer.insert(_table(Payment), payment_columns, payments)
