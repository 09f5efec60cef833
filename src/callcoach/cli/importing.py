"""The ``import`` command: one file or a folder, with what was read and how shown before
anything is written (``--dry-run``) and a summary table when a folder had refusals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from callcoach.cli.context import clock_for, state, user_errors

if TYPE_CHECKING:
    from callcoach.playbook import Labels
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
        raise UserError(
            "--date-order {date_order!r}: expected dmy or mdy",
            code="date_order_unknown",
            date_order=date_order,
        )
    try:
        mapping = parse_mapping(map_ or [])
    except ImportFileError as exc:
        raise UserError(str(exc), code=exc.code, **exc.values) from None  # worded by its code
    if not file.exists():
        raise UserError("{file}: no such file or folder", code="no_such_path", file=file)
    engine = st.engine()
    clock = clock_for(None)
    err = _console(stderr=True)
    words = st.words()
    options = {"clock": clock, "mapping": mapping, "skip_bad": skip_bad, "dry_run": dry_run, "date_order": date_order}
    with _maybe_progress(file, err, words) as progress:
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
            _print_errors(refused.report, err, words)
            raise
        except ImportFileError as exc:
            raise UserError(str(exc), code=exc.code, **exc.values) from None  # worded by its code
    _print_outcomes(file, outcomes, err, words, dry_run=dry_run)


def _print_outcomes(file: Path, outcomes: list[FileOutcome], err: Any, words: Labels, *, dry_run: bool) -> None:
    from callcoach.cli.context import in_user_language
    from callcoach.services.errors import UserError

    imported = 0
    for outcome in outcomes:
        if outcome.refused:
            err.print(_plain(words.get("import_refused", reason=in_user_language(outcome.error or outcome.refused))))
            if outcome.report is not None:
                _print_errors(outcome.report, err, words)
            continue
        assert outcome.report is not None
        for warning in [*outcome.warnings, *outcome.report.warnings[:MAX_ERRORS_SHOWN]]:
            err.print(_plain(words.get("import_warning", warning=_said(warning, words))))
        if outcome.report.errors:
            _print_errors(outcome.report, err, words)
        imported += 1
        if dry_run:
            _print_reading(outcome.report, words)
        _print_report(outcome.report, words, closed=outcome.closed)
    refused = [o for o in outcomes if o.refused and o.kind != "skipped"]
    if file.is_dir() and (refused or not imported):
        _print_summary(outcomes, words)
    if not imported:
        if file.is_dir() or not outcomes[0].refused:
            raise UserError("{file}: nothing imported", code="import_nothing", file=file)
        error = outcomes[0].error
        raise UserError(
            str(error or outcomes[0].refused), code=getattr(error, "code", ""), **getattr(error, "values", {})
        )
    if refused:
        raise typer.Exit(1)


def _said(problem: object, words: Labels) -> str:
    """A row's problem (``path:line: column: reason``) or a reader's warning, in the run's language."""
    from callcoach.cli.context import in_user_language
    from callcoach.importers.rows import RowError

    if isinstance(problem, RowError):
        reason = in_user_language(problem.reason)
        return words.get("import_row_error", path=problem.path, line=problem.line, column=problem.column, reason=reason)
    return in_user_language(problem if isinstance(problem, str | BaseException) else str(problem))


def _print_summary(outcomes: list[FileOutcome], words: Labels) -> None:
    """One line a file: what it was, and imported or why not."""
    from rich.table import Table

    from callcoach.cli.context import in_user_language

    kinds = words.table("import_kinds")
    table = Table(title=words["import_summary_title"], title_justify="left")
    for column in ("file", "kind", "result"):
        table.add_column(words[f"import_summary_{column}"])
    for outcome in outcomes:
        if outcome.refused:
            said = in_user_language(outcome.error or outcome.refused)  # then without the path the row names
            said = said.removeprefix(str(outcome.path)).lstrip(" :\u00a0")
            result = words.get("import_refused", reason=said)
        else:
            counts = outcome.report.invoices if outcome.report else None
            result = (
                words.get("import_summary_counts", created=counts.created, updated=counts.updated)
                if counts
                else words["import_summary_imported"]
            )
        table.add_row(_plain(outcome.path.name), _plain(kinds.get(outcome.kind, outcome.kind)), _plain(result))
    _console().print(table)


def _line(label: str, value: str) -> Any:
    """A report line: our label, aligned, then untrusted text made plain."""
    from rich.text import Text

    return Text(f"  {label:9} ") + _plain(value)


def _print_reading(report: ImportReport, words: Labels) -> None:
    """How the file was read: sheet, header row, rows skipped above it, columns, layout."""
    from callcoach.cli.context import in_user_language

    parsed = report.parsed
    if parsed is None:
        return
    out = _console()
    fields, layouts = words.table("import_fields"), words.table("import_layouts")
    if parsed.sheet:
        out.print(_line(words["import_sheet"], f"{parsed.sheet}"))
    out.print(_line(words["import_header"], words.get("import_header_line", line=parsed.header_line)))
    for line in parsed.above:
        out.print(_line(words["import_skipped"], words.get("import_skipped_line", text=line[:100])))
    out.print(_line(words["import_layout"], layouts.get(parsed.layout, parsed.layout)))
    for name, column, others in parsed.column_report():
        also = words.get("import_also_fitted", others=", ".join(others)) if others else ""
        field = f"{name} ({fields[name]})" if name in fields else name
        out.print(_line(words["import_column"], words.get("import_column_line", column=column, field=field) + also))
    for note in parsed.notes:
        out.print(_line(words["import_note"], in_user_language(note)))
    aside: dict[str, int] = {}
    for _, why in parsed.set_aside:
        aside[why] = aside.get(why, 0) + 1
    for why, count in aside.items():
        out.print(
            _line(words["import_set_aside"], words.get("import_set_aside_count", count=count, why=_aside(why, words)))
        )


def _aside(why: str, words: Labels) -> str:
    """Why a row was set aside, in the run's language; a detail in brackets is kept as read."""
    kinds = words.table("import_set_aside_kinds")
    kind, bracket, detail = why.partition(" (")
    return kinds.get(kind, kind) + (f" ({detail}" if bracket else "")


class _maybe_progress:
    """A progress bar on stderr for long files; nothing for short ones."""

    def __init__(self, file: Path, console: Any, words: Labels) -> None:
        self.file, self.console, self.bar, self.words = file, console, None, words

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
        task = self.bar.add_task(self.words.get("import_reading", file=self.file.name), total=lines)
        return lambda line: self.bar.update(task, completed=line) if line % 2000 == 0 else None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _print_errors(report: ImportReport, err: Any, words: Labels) -> None:
    for error in report.errors[:MAX_ERRORS_SHOWN]:
        err.print(_plain(_said(error, words)))
    if len(report.errors) > MAX_ERRORS_SHOWN:
        err.print(_plain(words.get("import_more_errors", count=len(report.errors) - MAX_ERRORS_SHOWN)))


def _print_report(report: ImportReport, words: Labels, closed: int = 0) -> None:
    out = _console()
    out.print(_plain(words.get("import_done" if report.written else "import_would", path=report.path)), soft_wrap=True)
    for label, counts in (("debtors", report.debtors), ("invoices", report.invoices), ("contacts", report.contacts)):
        said = words.get("import_counts", created=counts.created, updated=counts.updated, unchanged=counts.unchanged)
        out.print(_line(words[f"import_{label}"], said))
    out.print(_line(words["import_rejected"], words.get("import_rejected_lines", count=report.rejected)))
    parsed = report.parsed
    if parsed is not None and parsed.set_aside and report.written:
        kinds = ", ".join(sorted({_aside(why.split(" (")[0], words) for _, why in parsed.set_aside}))
        out.print(
            _line(
                words["import_set_aside"], words.get("import_set_aside_rows", count=len(parsed.set_aside), kinds=kinds)
            )
        )
    if report.drafts:
        out.print(_line(words["import_drafts"], words.get("import_drafts_line", count=report.drafts)))
    if closed:
        out.print(_line(words["import_closed"], words.get("import_closed_line", count=closed)))
    if report.rejected_file:
        out.print(_plain("  " + words.get("import_bad_lines", path=report.rejected_file)))
    if not report.written:
        out.print(_plain("  " + words["import_dry_run"]))
