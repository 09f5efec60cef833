"""The call list pane: debtors to call, in the ledger's order, filterable by name.

A desk's ledger is never loaded whole: the widget reads it a page at a time from the Desk
service as the cursor nears the end, and counts a long list apart, after the first page
is on screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Input
from textual.widgets.data_table import RowKey

from callcoach.presenting import Presenter
from callcoach.services.calllist import PAGE, CallListRow, DueWindow
from callcoach.services.desk import Desk

# Fixed widths: an auto-width column measures every cell of every row on each change. The
# name takes what is left, so it is cut only when the pane is truly narrow.
WIDTHS = {"state": 1, "overdue": 12, "age": 6, "last": 11}
ALWAYS = ("state", "overdue")  # with the name: whom to call, how much, and why now
OPTIONAL = ("age", "last")  # added in this order while the name keeps NAME_FLOOR cells
NAME_FLOOR = 18
NAME_CAP = 40
PADDING = 2  # a cell of padding each side of every column
CHROME = 3  # the pane's border and the table's scrollbar
NEAR_END = 40  # rows from the end of what is loaded when the next page is fetched


class DebtorTable(DataTable[object]):
    """Home and End go to the first and the last debtor loaded, not sideways."""

    BINDINGS = [
        Binding("home", "first_debtor", "First debtor", id="list.first", show=False),
        Binding("end", "last_debtor", "Last debtor", id="list.last", show=False),
    ]

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Textual measures every cell of each new row (a hundred rows, five cells each, at
        every reload of the list) to size auto-width columns. This list's columns all have
        fixed widths and its rows one line: with nothing to size, only the scrollable size is
        worked out again."""
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
        else:
            super()._update_dimensions(())

    def action_first_debtor(self) -> None:
        if self.row_count:
            self.move_cursor(row=0, animate=False)

    def action_last_debtor(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)


class CallList(Vertical):
    """Moving the cursor announces the debtor; the screen loads their file."""

    BINDINGS = [Binding("escape", "clear_filter", "Clear filter", id="list.clear_filter", show=False)]

    class DebtorHighlighted(Message):
        def __init__(self, debtor_id: int | None) -> None:
            super().__init__()
            self.debtor_id = debtor_id

    class FilterChanged(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, desk: Desk, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.desk = desk
        self._shown: list[CallListRow] = []  # the rows loaded, in the table's order
        self._presenter: Presenter | None = None  # set with the columns
        self._layout: tuple[int, tuple[str, ...]] = (NAME_FLOOR, ALWAYS)
        self.name_filter = ""
        self.window: DueWindow | None = None  # an aging bucket picked on the overview
        self._title: object = None  # the pane's title without the bucket
        self.total: int | None = 0  # None while a long list is being counted

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ …", id="filter", compact=True)
        table = DebtorTable(id="calls", cursor_type="row", zebra_stripes=True)
        yield table

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#calls", DataTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def set_columns(self, p: Presenter) -> None:
        L = p.labels
        self._presenter = p
        # Before the first layout the pane has no size yet: take the share the desk's grid gives
        # it (2/3 of a wide desk, half otherwise), so the list is not built twice at start.
        share = (2, 3) if self.screen.has_class("-wide") else (1, 2)
        self._layout = name_width, columns = layout(self.outer_size.width or self.app.size.width * share[0] // share[1])
        labels = {"overdue": L["overdue"], "age": L["age"], "last": L["list_last"], "state": " "}
        self.table.add_column(L["debtor"], key="name", width=name_width)
        for key in ("overdue", "state", "age", "last"):
            if key in columns:
                self.table.add_column(labels[key], key=key, width=WIDTHS[key])

    def show_rows(self, rows: list[CallListRow], p: Presenter, keep: int | None) -> None:
        """Replace the rows; keep the cursor on debtor ``keep`` if it is among them."""
        self._shown = list(rows)
        table = self.table
        # Rebuilding moves the cursor to the first row and back: those highlights are not the
        # collector's, and arriving after the rebuild they would show the top debtor's file
        # beside a cursor on another (the desk shows the one it keeps itself).
        with table.prevent(DataTable.RowHighlighted):
            table.clear()
            self._add(rows, p)
            if keep is not None:
                index = self.index_of(keep)
                if index is not None:
                    table.move_cursor(row=index, animate=False)
        if not rows:
            self.post_message(self.DebtorHighlighted(None))

    def append_rows(self, rows: list[CallListRow], p: Presenter) -> None:
        """The next page, below what is shown; the cursor stays where it is."""
        self._shown += rows
        self._add(rows, p)

    @property
    def shown(self) -> int:
        return len(self._shown)

    # ---------------------------------------------------------------- paging
    def reload(self, *, settle: bool, keep: int | None) -> list[CallListRow]:
        """Read the list again, as many pages as were shown; keep the cursor on ``keep``."""
        pages = max(1, -(-self.shown // PAGE))
        rows = self.desk.call_list(self.name_filter or None, settle=settle, limit=pages * PAGE, window=self.window)
        self.show_rows(rows, self.desk.presenter, keep)
        if len(rows) < pages * PAGE:
            self._show_total(len(rows))
        else:  # a long list: its length is counted apart, so the page shows at once
            self.total = None
            self.border_subtitle = Content(f"{len(rows)}+")
            # After the frame: the new order is on screen first, its length a moment later.
            self.call_after_refresh(self._count, self.name_filter)
        return rows

    def load_more(self) -> None:
        """The next page, if there is one, below what is shown."""
        if self.total is not None and self.shown >= self.total:
            return
        rows = self.desk.call_list(
            self.name_filter or None, settle=False, limit=PAGE, offset=self.shown, window=self.window
        )
        self.append_rows(rows, self.desk.presenter)
        if len(rows) < PAGE:
            self._show_total(self.shown)

    def _show_total(self, total: int) -> None:
        self.total = total
        self.border_subtitle = Content(str(total))

    @work(thread=True, exclusive=True, group="count")
    def _count(self, name_filter: str) -> None:
        total = self.desk.call_list_length(name_filter or None, self.window)
        self.app.call_from_thread(self._counted, name_filter, total)

    def _counted(self, name_filter: str, total: int) -> None:
        if name_filter == self.name_filter:  # not a count for a filter typed over since
            self._show_total(total)

    def _add(self, rows: list[CallListRow], p: Presenter) -> None:
        table = self.table
        today = p.clock.today()
        name_width, columns = self._layout
        for row in rows:
            style = "dim" if row.waiting else ""
            mark, mark_style = p.badge_mark(row)
            cells = [
                Text(clip(row.name, name_width), style="bold" if row.due_now else style),
                Text(p.money(row.overdue_cents, row.currency), style=style, justify="right"),
                Text(mark, style=mark_style),
            ]
            if "age" in columns:
                cells.append(Text(p.age(row.age_days(today)), style=style, justify="right"))
            if "last" in columns:
                cells.append(Text(clip(p.since(row.last_contact), WIDTHS["last"]), style=style))
            table.add_row(*cells, key=f"{row.debtor_id}:{row.currency}")

    def on_resize(self) -> None:
        presenter = self._presenter
        if presenter is None or layout(self.outer_size.width) == self._layout:
            return
        current = self.table.cursor_row
        keep = self._shown[current].debtor_id if 0 <= current < len(self._shown) else None
        self.table.clear(columns=True)
        self.set_columns(presenter)
        self.show_rows(self._shown, presenter, keep)

    def near_the_end(self, row: int) -> bool:
        return row >= self.shown - NEAR_END

    def index_of(self, debtor_id: int) -> int | None:
        return next((i for i, row in enumerate(self._shown) if row.debtor_id == debtor_id), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value
        self.post_message(self.DebtorHighlighted(int(str(key).split(":")[0]) if key else None))
        if self.near_the_end(event.cursor_row):
            self.call_later(self.load_more)

    def open_filter(self) -> None:
        self.filter_input.display = True
        self.filter_input.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.name_filter = event.value
        self.post_message(self.FilterChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def action_clear_filter(self) -> None:
        if self.filter_input.value:
            self.filter_input.value = ""
        self.filter_input.display = False
        self.table.focus()
        if self.window is not None:
            self.keep_bucket(None, "")

    def keep_bucket(self, window: DueWindow | None, label: str) -> None:
        """Only the debtors of an aging bucket (``label`` says which in the title), or everyone again."""
        if self._title is None:
            self._title = self.border_title
        self.window = window
        title = Content(str(self._title or ""))
        self.border_title = title + Content(f" · {label}") if window is not None else title
        self.post_message(self.FilterChanged(self.name_filter))


def layout(pane_width: int) -> tuple[int, tuple[str, ...]]:
    """The name's width and the columns shown beside it in a pane this wide: state, name and
    amount always; age, then last contact, while the name keeps NAME_FLOOR cells."""
    room = pane_width - CHROME - PADDING - sum(WIDTHS[c] + PADDING for c in ALWAYS)
    columns = list(ALWAYS)
    for column in OPTIONAL:
        if room - (WIDTHS[column] + PADDING) < NAME_FLOOR:
            break
        columns.append(column)
        room -= WIDTHS[column] + PADDING
    return max(1, min(NAME_CAP, room)), tuple(columns)


def clip(text: str, width: int) -> str:
    """Text cut to ``width`` cells ends with "…", so a cut name never reads as a whole one."""
    return text if len(text) <= width else text[: max(0, width - 1)].rstrip() + "…"
