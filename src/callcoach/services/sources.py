"""Importing e-invoices and FEC exports, and whole folders of them, through the same
path as CSV: one transaction, created/updated/unchanged counts, and a reason for every
file refused. One bad file never stops the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from callcoach.db.tables import Debtor
from callcoach.domain.clock import Clock
from callcoach.importers import einvoice_row, fec
from callcoach.importers.csv_invoices import ImportFileError, InvoiceRow, ParsedFile
from callcoach.importers.einvoice import EInvoiceError, read_einvoice
from callcoach.importers.fec import FecError, looks_like_fec, read_fec
from callcoach.importers.workbook import is_workbook
from callcoach.services.closing import close_paid
from callcoach.services.errors import UserError
from callcoach.services.importing import (
    ImportRefused,
    ImportReport,
    apply_rows,
    default_term_days,
    import_csv,
)


@dataclass
class FileOutcome:
    path: Path
    kind: str  # csv, workbook, einvoice, fec, skipped
    report: ImportReport | None = None
    refused: str | None = None
    error: Exception | None = None  # the refusal itself, which each interface words by its code
    warnings: list[str] = field(default_factory=list)
    closed: int = 0


def detect(path: Path) -> str:
    """By content, not by extension alone."""
    try:
        with path.open("rb") as f:
            head = f.read(2048)
    except OSError:
        return "unreadable"
    body = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"%PDF") or path.suffix.lower() in (".pdf", ".xml"):
        return "einvoice"
    if body.startswith(b"<"):
        return "einvoice"
    if is_workbook(path, head):
        return "workbook"
    if looks_like_fec(head):
        return "fec"
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return "csv"
    return "other"


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def import_path(
    session: Session,
    path: Path,
    *,
    clock: Clock,
    mapping: dict[str, str] | None = None,
    skip_bad: bool = False,
    dry_run: bool = False,
    date_order: str | None = None,
) -> list[FileOutcome]:
    """A file or a folder; each file in its own savepoint so a refused one changes nothing."""
    if not path.exists():
        raise UserError("{file}: no such file or folder", code="no_such_path", file=path)
    targets = files_in(path) if path.is_dir() else [path]
    outcomes = []
    for target in targets:
        kind = detect(target)
        if kind in ("other", "unreadable"):
            if path.is_dir():
                skipped = UserError("{path}: not an invoice file", code="not_an_invoice_file", path=target)
                outcomes.append(FileOutcome(target, "skipped", refused=str(skipped), error=skipped))
                continue
            kind = "csv"
        nested = session.begin_nested()
        try:
            outcome = _import_one(
                session,
                target,
                kind,
                clock=clock,
                mapping=mapping,
                skip_bad=skip_bad,
                dry_run=dry_run,
                date_order=date_order,
            )
            nested.commit()
        except (ImportFileError, EInvoiceError, FecError) as exc:
            nested.rollback()
            outcome = FileOutcome(target, kind, refused=str(exc), error=exc)
        except ImportRefused as exc:
            nested.rollback()
            if not path.is_dir():
                raise
            outcome = FileOutcome(target, kind, report=exc.report, refused=str(exc), error=exc)
        outcomes.append(outcome)
    return outcomes


def _import_one(
    session: Session,
    path: Path,
    kind: str,
    *,
    clock: Clock,
    mapping: dict[str, str] | None,
    skip_bad: bool,
    dry_run: bool,
    date_order: str | None = None,
) -> FileOutcome:
    if kind in ("csv", "workbook"):
        report = import_csv(
            session, path, clock=clock, mapping=mapping, skip_bad=skip_bad, dry_run=dry_run, date_order=date_order
        )
        return FileOutcome(path, kind, report=report, closed=report.closed)
    term = default_term_days(session)
    if kind == "einvoice":
        invoice = read_einvoice(path, default_term_days=term)
        rows = [einvoice_row.to_row(invoice)]
        outcome = FileOutcome(path, "einvoice", warnings=list(invoice.warnings))
    else:
        ledger = read_fec(path, default_term_days=term)
        rows = fec.to_rows(ledger)
        outcome = FileOutcome(path, "fec", warnings=list(ledger.skipped))
    parsed = ParsedFile(path=path, rows=rows)
    report = ImportReport(path=path)
    _match_by_identifier(session, rows)
    apply_rows(session, parsed, report, clock=clock)
    if kind == "fec":
        outcome.closed = close_paid(session, f"fec:{ledger.company_id or path.name}", {r.number for r in rows}, clock)
    report.written = not dry_run
    outcome.report = report
    return outcome


def _match_by_identifier(session: Session, rows: list[InvoiceRow]) -> None:
    """A debtor already known by its SIREN, VAT number or account keeps its record, whatever
    spelling of the name the new file uses."""
    wanted = {r.identifier for r in rows if r.identifier}
    if not wanted:
        return
    known: dict[str, str] = {
        identifier: key
        for identifier, key in session.exec(
            select(col(Debtor.identifier), col(Debtor.name_key)).where(col(Debtor.identifier).in_(wanted))
        )
        if identifier is not None
    }
    for row in rows:
        if row.identifier in known:
            row.customer_key = known[row.identifier]
