"""The ``import`` command: one file or a folder, with what was read and how shown before
anything is written (``--dry-run``) and a summary table when a folder had refusals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from callcoach.cli.context import clock_for, state, user_errors

if TYPE_CHECKING:
    from callcoach.services.importing import ImportReport
    from callcoach.services.sources import FileOutcome

PROGRESS_FROM_BYTES = 2_000_000
MAX_ERRORS_SHOWN = 30


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def _plain(value: object) -> Any:
    """Untrusted text as a Rich Text: never parsed as markup, controls stripped."""
    from rich.text import Text

    from callcoach.domain.text import clean_field

    return Text(clean_field("" if value is None else str(value)))


@user_errors
def import_file(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV or Excel/OpenDocument export, Factur-X PDF, CII/UBL XML, FEC, or a folder.")
    ],
    map_: Annotated[list[str] | None, typer.Option("--map", help='Name a column: --map "Réf=number".')] = None,
    skip_bad: Annotated[
        bool,
        typer.Option("--skip-bad", help="Import the good lines; write the bad ones to a side file (at most 1 in 5)."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the sheet, header, columns and layout read; write nothing.")
    ] = False,
    rejected: Annotated[Path | None, typer.Option("--rejected", help="Where --skip-bad writes the bad lines.")] = None,
    date_order: Annotated[
        str | None, typer.Option("--date-order", help="dmy or mdy, for files whose dates could be either.")
    ] = None,
) -> None:
    """Import invoices from an export; re-importing updates instead of duplicating."""
    from callcoach.importers.csv_invoices import ImportFileError, parse_mapping
    from callcoach.services.errors import UserError
    from callcoach.services.importing import ImportRefused, import_csv
    from callcoach.services.sources import FileOutcome, detect, import_path
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    if date_order is not None and date_order not in ("dmy", "mdy"):
        raise UserError(f"--date-order {date_order!r}: expected dmy or mdy")
    try:
        mapping = parse_mapping(map_ or [])
    except ImportFileError as exc:
        raise UserError(str(exc)) from None
    if not file.exists():
        raise UserError(f"{file}: no such file or folder")
    engine = st.engine()
    clock = clock_for(None)
    err = _console(stderr=True)
    options = {"clock": clock, "mapping": mapping, "skip_bad": skip_bad, "dry_run": dry_run, "date_order": date_order}
    with _maybe_progress(file, err) as progress:
        try:
            with unit_of_work(engine) as session:
                if file.is_dir() or detect(file) in ("einvoice", "fec"):
                    outcomes = import_path(session, file, **options)  # type: ignore[arg-type]
                else:
                    report = import_csv(session, file, rejected_path=rejected, progress=progress, **options)  # type: ignore[arg-type]
                    outcomes = [FileOutcome(file, detect(file), report=report)]
                if dry_run:
                    session.rollback()
        except ImportRefused as refused:
            _print_errors(refused.report, err)
            raise
        except ImportFileError as exc:
            raise UserError(str(exc)) from None
    _print_outcomes(file, outcomes, err, dry_run=dry_run)


def _print_outcomes(file: Path, outcomes: list[FileOutcome], err: Any, *, dry_run: bool) -> None:
    from callcoach.services.errors import UserError

    imported = 0
    for outcome in outcomes:
        if outcome.refused:
            err.print(_plain(f"refused: {outcome.refused}"))
            if outcome.report is not None:
                _print_errors(outcome.report, err)
            continue
        for warning in outcome.warnings:
            err.print(_plain(f"warning: {warning}"))
        assert outcome.report is not None
        for warning in outcome.report.warnings[:MAX_ERRORS_SHOWN]:
            err.print(_plain(f"warning: {warning}"))
        if outcome.report.errors:
            _print_errors(outcome.report, err)
        imported += 1
        if dry_run:
            _print_reading(outcome.report)
        _print_report(outcome.report, closed=outcome.closed)
    refused = [o for o in outcomes if o.refused and o.kind != "skipped"]
    if file.is_dir() and (refused or not imported):
        _print_summary(outcomes)
    if not imported:
        raise UserError(f"{file}: nothing imported" if file.is_dir() else (outcomes[0].refused or f"{file}: refused"))
    if refused:
        raise typer.Exit(1)


def _print_summary(outcomes: list[FileOutcome]) -> None:
    """One line a file: what it was, and imported or why not."""
    from rich.table import Table

    table = Table(title="import summary", title_justify="left")
    for column in ("file", "kind", "result"):
        table.add_column(column)
    for outcome in outcomes:
        if outcome.refused:
            result = f"refused: {outcome.refused.split(': ', 1)[-1]}"
        else:
            counts = outcome.report.invoices if outcome.report else None
            result = f"imported ({counts.created} new, {counts.updated} updated)" if counts else "imported"
        table.add_row(_plain(outcome.path.name), _plain(outcome.kind), _plain(result))
    _console().print(table)


def _line(label: str, value: str) -> Any:
    """A report line: our label, aligned, then untrusted text made plain."""
    from rich.text import Text

    return Text(f"  {label:9} ") + _plain(value)


def _print_reading(report: ImportReport) -> None:
    """How the file was read: sheet, header row, rows skipped above it, columns, layout."""
    parsed = report.parsed
    if parsed is None:
        return
    out = _console()
    if parsed.sheet:
        out.print(_line("sheet", f"{parsed.sheet}"))
    out.print(_line("header", f"line {parsed.header_line}"))
    for line in parsed.above:
        out.print(_line("skipped", f"above the header: {line[:100]}"))
    out.print(_line("layout", f"{parsed.layout}"))
    for name, column, others in parsed.column_report():
        also = f" (also fitted: {', '.join(others)})" if others else ""
        out.print(_line("column", f"{column} -> {name}{also}"))
    for note in parsed.notes:
        out.print(_line("note", f"{note}"))
    aside: dict[str, int] = {}
    for _, why in parsed.set_aside:
        aside[why] = aside.get(why, 0) + 1
    for why, count in aside.items():
        out.print(_line("set aside", f"{count} {why}(s)"))


class _maybe_progress:
    """A progress bar on stderr for long files; nothing for short ones."""

    def __init__(self, file: Path, console: Any) -> None:
        self.file, self.console, self.bar = file, console, None

    def __enter__(self):  # type: ignore[no-untyped-def]
        try:
            size = self.file.stat().st_size
        except OSError:
            return None
        if size < PROGRESS_FROM_BYTES or not self.console.is_terminal or not self.file.is_file():
            return None
        from rich.progress import Progress

        lines = sum(1 for _ in self.file.open("rb"))
        self.bar = Progress(console=self.console, transient=True)
        self.bar.start()
        task = self.bar.add_task(f"reading {self.file.name}", total=lines)
        return lambda line: self.bar.update(task, completed=line) if line % 2000 == 0 else None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _print_errors(report: ImportReport, err: Any) -> None:
    for error in report.errors[:MAX_ERRORS_SHOWN]:
        err.print(_plain(str(error)))
    if len(report.errors) > MAX_ERRORS_SHOWN:
        err.print(f"... and {len(report.errors) - MAX_ERRORS_SHOWN} more")


def _print_report(report: ImportReport, closed: int = 0) -> None:
    out = _console()
    verb = "would import" if not report.written else "imported"
    out.print(_plain(f"{report.path}: {verb}"), soft_wrap=True)
    for label, counts in (("debtors", report.debtors), ("invoices", report.invoices), ("contacts", report.contacts)):
        out.print(f"  {label:9} {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged")
    out.print(f"  rejected  {report.rejected} line(s)")
    parsed = report.parsed
    if parsed is not None and parsed.set_aside and report.written:
        kinds = ", ".join(sorted({why.split(" (")[0] for _, why in parsed.set_aside}))
        out.print(_line("set aside", f"{len(parsed.set_aside)} row(s) that are not invoices ({kinds})"))
    if report.drafts:
        out.print(f"  drafts    {report.drafts} draft or unsent invoice(s) skipped: nobody owes them yet")
    if closed:
        out.print(f"  closed    {closed} invoice(s) no longer open in this export")
    if report.rejected_file:
        out.print(_plain(f"  bad lines written to {report.rejected_file}"))
    if not report.written:
        out.print("  (dry run: nothing was written)")
