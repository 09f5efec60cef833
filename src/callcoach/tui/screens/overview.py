"""The money at a glance: aging, DSO, the cash-in forecast and the calls' results.

Four panes, each a plot (on a wide terminal) above the same figure as text: a sentence
and a table, so every number can be read, not only seen. Picking an aging bucket closes
the overview and leaves only that bucket's debtors in the call list. The figures are added
up in a worker thread; the screen shows at once and fills when they arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from callcoach.playbook import Labels
from callcoach.reporting import FIGURES, FigureTable, FigureWords
from callcoach.services.calllist import DueWindow
from callcoach.services.desk import Desk
from callcoach.services.overview import Overview, bucket_filter
from callcoach.tui.keys import localise
from callcoach.tui.widgets.footer import KeyFooter

WIDE = 110  # columns from which the plots are drawn beside the text
TALL = 34  # rows from which they are
NARROW = 100  # columns under which the panes are stacked, each its whole width, and scroll


class OverviewScreen(Screen[DueWindow | None]):
    """Dismissed with the aging bucket picked, for the call list to keep its debtors."""

    CSS_PATH = Path(__file__).with_name("overview.tcss")
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="overview.back"),
        Binding("enter", "pick", "Show these debtors", id="overview.pick", priority=True),
        Binding("r", "refresh_figures", "Refresh", id="overview.refresh"),
    ]

    def __init__(self, desk: Desk, figures: Overview | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.words = FigureWords(desk.presenter)
        self.L: Labels = self.words.L
        self.figures: Overview | None = None
        self._arrived = figures  # added up before the screen was built: shown on mount
        localise(self, self.L)
        self._lay_out()  # before the first styling: a class set after it styles every widget again

    def compose(self) -> ComposeResult:
        yield Static(id="overview-bar", markup=False)
        with Grid(id="overview-panes"):
            for key in FIGURES:
                with Vertical(id=f"{key}-pane", classes="figure"):
                    yield PlotextPlot(id=f"{key}-plot", classes="plot")
                    yield Static(id=f"{key}-summary", classes="summary", markup=False)
                    yield Static(id=f"{key}-caption", classes="caption", markup=False)
                    table: DataTable[object] = DataTable(id=f"{key}-table", cursor_type="row", zebra_stripes=True)
                    yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        for key in FIGURES:
            self.query_one(f"#{key}-pane").border_title = Content(self.L[f"{key}_title"])
        self.query_one("#overview-bar", Static).update(
            Content.assemble(
                (f" {self.L['title']} ", "bold reverse"),
                f" {self.L.get('as_of', date=self.desk.presenter.day(self.desk.clock.today()))} · ",
                (self.L["loading"], "italic"),
            )
        )
        self.query_one("#aging-table", DataTable).focus()
        if self._arrived is not None:
            self.show(self._arrived)
        else:
            self.load()

    def on_resize(self) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        size = self.app.size
        self.set_class(size.width >= WIDE and size.height >= TALL, "-plots")
        self.set_class(size.width < NARROW, "-narrow")

    # ------------------------------------------------------------ loading
    def load(self) -> None:
        self.run_worker(self._add_up, thread=True, exclusive=True, group="overview")

    def _add_up(self) -> None:
        figures = self.desk.overview()
        self.app.call_from_thread(self._figures_ready, figures)

    def _figures_ready(self, figures: Overview) -> None:
        if self.is_mounted:
            self.show(figures)
        else:
            self._arrived = figures

    def action_refresh_figures(self) -> None:
        self.load()

    def show(self, figures: Overview) -> None:
        self.figures = figures
        p = self.desk.presenter
        for key in FIGURES:
            table = self.words.table(key, getattr(figures, key))
            self._fill(table)
            self._plot(key, table)
        self.query_one("#overview-bar", Static).update(
            Content.assemble(
                (f" {self.L['title']} ", "bold reverse"),
                f" {self.L.get('as_of', date=p.day(figures.aging.as_of))} · ",
                (self.L["aging_pick"], "italic"),
            )
        )

    def _fill(self, table: FigureTable) -> None:
        grid = self.query_one(f"#{table.key}-table", DataTable)
        cursor = grid.cursor_row
        grid.clear(columns=True)
        # The currency is said once per table when there is only one.
        currencies = {str(v[0]) for v in table.values}
        skip = 1 if table.key != "results" and len(currencies) <= 1 else 0
        for n, column in enumerate(table.columns[skip:], skip):
            grid.add_column(column, key=str(n))
        rows = list(zip(table.row_keys, table.cells, strict=True))
        if table.key in ("dso", "results"):
            rows.reverse()  # the latest month or week on top, in view in a small pane
        for key, cells in rows:
            shown = [Text(c, justify="left" if n == skip else "right") for n, c in enumerate(cells) if n >= skip]
            grid.add_row(*shown, key=key)
        if cursor < grid.row_count:
            grid.move_cursor(row=cursor, animate=False)
        summary = table.summary or ([table.empty] if table.empty else [])
        self.query_one(f"#{table.key}-summary", Static).update(Content("\n".join(summary)))
        self.query_one(f"#{table.key}-caption", Static).update(Content(table.caption))

    def _plot(self, key: str, table: FigureTable) -> None:
        plot = self.query_one(f"#{key}-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.theme("textual-design-dark" if self.app.current_theme.dark else "textual-design-light")
        rows = _home_rows(table)
        if rows and table.bar is not None:
            labels = [self._axis_label(key, table, r) for r in rows]
            heights = [_whole(table.values[r][table.bar]) for r in rows]
            positions = list(range(1, len(rows) + 1))
            if key == "forecast":
                promised = [_whole(table.values[r][2]) for r in rows]
                plt.multiple_bar(positions, [promised, heights], labels=[self.L["promised"], self.L["expected"]])
                heights = promised
            elif key == "dso":
                plt.plot(positions, heights, marker="braille")
            else:
                plt.bar(positions, heights)
            plt.xticks(positions[:: max(1, len(positions) // 6)], labels[:: max(1, len(positions) // 6)])
            top = max(max(heights), 1)
            ticks = [0, top // 2, top] if top > 1 else [0, 1]
            plt.yticks(ticks, [_short(t) for t in ticks])
            plt.ylim(0, top)
        plot.refresh()

    def _axis_label(self, key: str, table: FigureTable, row: int) -> str:
        """Short enough for a tick: a bucket's days, a month as MM/YY, a week's Monday as DD/MM."""
        value = str(table.values[row][1] if key != "results" else table.values[row][0])
        if key == "aging":
            bucket = table.row_keys[row].split(":")[1]
            return (
                self.L["plot_not_due"]
                if bucket == "not_due"
                else bucket.removeprefix("late_").replace("_", "-") + ("+" if bucket == "late_91" else "")
            )
        if key == "dso":
            return f"{value[5:7]}/{value[2:4]}"
        return f"{value[8:10]}/{value[5:7]}"

    # ------------------------------------------------------------ picking
    def action_pick(self) -> None:
        grid = self.query_one("#aging-table", DataTable)
        if self.figures is None or not grid.row_count:
            return
        key = str(grid.coordinate_to_cell_key((grid.cursor_row, 0)).row_key.value)
        currency, bucket = key.split(":")
        if bucket == "not_due":
            self.notify(self.L["not_due_pick"])
            return
        if bucket == "disputed":
            self.notify(self.L["disputed_pick"])
            return
        self.dismiss(bucket_filter(bucket, currency, self.figures.aging.as_of))

    @on(DataTable.RowSelected, "#aging-table")
    def _bucket_chosen(self) -> None:
        self.action_pick()


def open_overview(owner: Screen[object], desk: Desk, picked: Callable[[DueWindow | None], None]) -> None:
    """Add the figures up in a thread, then show the screen with them.

    The screen is built once the sums are in: built meanwhile, it would take the interpreter
    from the thread that reads the ledger, and both would finish later."""

    def add_up() -> None:
        figures = desk.overview()
        owner.app.call_from_thread(lambda: owner.app.push_screen(OverviewScreen(desk, figures), picked))

    owner.run_worker(add_up, thread=True, exclusive=True, group="overview")


def _home_rows(table: FigureTable) -> list[int]:
    """The rows of the first currency (the home one): a plot never mixes two currencies."""
    if table.key == "results":
        return list(range(len(table.values)))
    first = table.values[0][0] if table.values else None
    rows = [n for n, v in enumerate(table.values) if v[0] == first]
    return [n for n in rows if table.row_keys[n].split(":")[1] != "disputed"]


def _short(value: int) -> str:
    """An axis tick: 95 497 as 95k, 1 250 000 as 1.2M."""
    if value >= 1_000_000:
        return f"{value // 1_000_000}.{value // 100_000 % 10}M"
    if value >= 10_000:
        return f"{value // 1000}k"
    return str(value)


def _whole(value: object) -> int:
    """A plot's height: whole units are enough to draw (amounts stay exact in the table)."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0
