"""``callcoach report aging|dso|forecast|results``: the overview's figures in the terminal
(tables with bars), as JSON for programs, or as CSV for a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from callcoach.cli.context import clock_for, state, user_errors

AsOf = Annotated[str | None, typer.Option("--as-of", help="As if today were DATE.")]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output (amounts in cents).")]
Csv = Annotated[Path | None, typer.Option("--csv", help="Also write the table to this CSV file.", dir_okay=False)]
BAR_WIDTH = 30


@user_errors
def aging(ctx: typer.Context, as_of: AsOf = None, as_json: AsJson = False, csv: Csv = None) -> None:
    """What is owed per currency: not yet due, 1-30, 31-60, 61-90, 91+ days late; disputes apart."""
    _report(ctx, "aging", as_of, as_json, csv)


@user_errors
def dso(ctx: typer.Context, as_of: AsOf = None, as_json: AsJson = False, csv: Csv = None) -> None:
    """Days sales outstanding (countback) at each of the last 12 month ends, and days late of what was paid."""
    _report(ctx, "dso", as_of, as_json, csv)


@user_errors
def forecast(ctx: typer.Context, as_of: AsOf = None, as_json: AsJson = False, csv: Csv = None) -> None:
    """Promises and plan instalments due in each of the next 13 weeks, as promised and weighted."""
    _report(ctx, "forecast", as_of, as_json, csv)


@user_errors
def results(ctx: typer.Context, as_of: AsOf = None, as_json: AsJson = False, csv: Csv = None) -> None:
    """Calls, reached rate, promises made, kept and broken, money collected: the last 12 weeks."""
    _report(ctx, "results", as_of, as_json, csv)


def _report(ctx: typer.Context, key: str, as_of: str | None, as_json: bool, csv: Path | None) -> None:
    from callcoach.cli.printers import console as _console
    from callcoach.presenting import Presenter
    from callcoach.reporting import FigureWords, csv_bytes
    from callcoach.reporting import as_json as to_json
    from callcoach.services import overview
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    clock = clock_for(as_of)
    with unit_of_work(st.engine(), write=False) as session:
        figure = getattr(overview, key)(session, clock=clock)
    lang = st.language()
    words = FigureWords(Presenter(lang, clock))
    table = words.table(key, figure)
    out = _console()
    if csv is not None:
        from callcoach.files import write_whole

        write_whole(csv, csv_bytes(table, lang))
    if as_json:
        out.out(to_json(figure))
        return
    _print(out, table, words.L.get("as_of", date=Presenter(lang, clock).day(clock.today())))
    if csv is not None:
        out.print(words.L.get("csv_written", rows=len(table.values), path=csv), markup=False, highlight=False)


def _print(out: Any, table: Any, as_of: str) -> None:
    """One table per currency (amounts in two currencies are never added), a bar beside each row."""
    from rich.text import Text

    if not table.values:
        out.print(Text(f"{table.title} — {as_of}", style="bold"))
        out.print(Text(table.empty))
    by_currency = table.key != "results"
    groups: dict[str, list[int]] = {}
    for n, values in enumerate(table.values):
        groups.setdefault(str(values[0]) if by_currency else "", []).append(n)
    for currency, rows in groups.items():
        title = " — ".join(part for part in (table.title, currency, as_of) if part)
        out.print(_grid(out, table, rows, title, skip=1 if by_currency else 0))
    for line in table.summary:
        out.print(Text(line, style="bold"))
    for line in table.notes:
        out.print(Text(line, style="dim"))


def _grid(out: Any, table: Any, rows: list[int], title: str, *, skip: int) -> Any:
    from rich import box
    from rich.bar import Bar
    from rich.table import Table
    from rich.text import Text

    # A column with nothing in it (no credit note anywhere) is left out of the picture.
    shown = [n for n in range(skip, len(table.columns)) if any(table.cells[r][n] for r in rows)]
    grid = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for n in shown:
        # Figures are never cut; a long heading folds onto a second line instead.
        grid.add_column(
            Text(table.columns[n]), justify="left" if n == skip else "right", min_width=_widest(table, n, rows)
        )
    # The bar takes the room the figures leave; on a narrow terminal, none.
    width = min(BAR_WIDTH, out.width - 4 - sum(_widest(table, n, rows) + 2 for n in shown))
    if width >= 6:
        grid.add_column("", width=width, no_wrap=True)
    numbers = [float(table.values[r][table.bar]) for r in rows if _number(table.values[r][table.bar])]
    top = max(numbers, default=0.0)
    for r in rows:
        cells: list[Any] = [Text(table.cells[r][n]) for n in shown]
        value = float(table.values[r][table.bar]) if _number(table.values[r][table.bar]) else 0.0
        if width >= 6:
            cells.append(Bar(top or 1, 0, value, width=width, color="cyan") if value > 0 else Text(""))
        grid.add_row(*cells)
    return grid


def _widest(table: Any, n: int, rows: list[int]) -> int:
    return max([len(word) for word in table.columns[n].split()] + [len(table.cells[r][n]) for r in rows])


def _number(value: object) -> bool:
    from decimal import Decimal

    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
