"""The call list pane: debtors to call, in the ledger's order, filterable by name.

A desk's ledger is never loaded whole: the widget reads it a page at a time from the Desk
service as the cursor nears the end, and counts a long list apart, after the first page
is on screen.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Input

from callcoach.presenting import Presenter
from callcoach.services.calllist import PAGE, CallListRow, DueWindow
from callcoach.services.desk import Desk

NAME_WIDTH = (12, 30)
# The other columns, fixed: an auto-width column measures every cell of every row on each change.
WIDTHS = {"overdue": 12, "age": 6, "state": 10, "last": 13}
NEAR_END = 40  # rows from the end of what is loaded when the next page is fetched


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
        self._name_width = NAME_WIDTH[0]
        self.name_filter = ""
        self.window: DueWindow | None = None  # an aging bucket picked on the overview
        self._title: object = None  # the pane's title without the bucket
        self.total: int | None = 0  # None while a long list is being counted

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ …", id="filter", compact=True)
        table: DataTable[object] = DataTable(id="calls", cursor_type="row", zebra_stripes=True)
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
        # it (3/5 of a wide desk, half otherwise), so the list is not built twice at start.
        share = (3, 5) if self.screen.has_class("-wide") else (1, 2)
        width = self._name_width_for(self.size.width or self.app.size.width * share[0] // share[1])
        self._name_width = width
        self.table.add_column(L["debtor"], key="name", width=width)
        for key, label in (("overdue", "overdue"), ("age", "age"), ("state", "state"), ("last", "last_contact")):
            self.table.add_column(L[label], key=key, width=WIDTHS[key])

    @staticmethod
    def _name_width_for(pane_width: int) -> int:
        # Narrow panes keep the amount and age in view: the name gives way first. Besides the
        # other columns: a cell padding each side of every column, the border and the scrollbar.
        others = sum(WIDTHS.values()) + 2 * (len(WIDTHS) + 1) + 4
        return max(NAME_WIDTH[0], min(NAME_WIDTH[1], pane_width - others))

    def show_rows(self, rows: list[CallListRow], p: Presenter, keep: int | None) -> None:
        """Replace the rows; keep the cursor on debtor ``keep`` if it is among them."""
        self._shown = list(rows)
        table = self.table
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
        width = self._name_width
        for row in rows:
            style = "dim" if row.waiting else ""
            state = _clip(", ".join(p.badges(row)), WIDTHS["state"])
            table.add_row(
                Text(_clip(row.name, width), style="bold" if row.due_now else style),
                Text(p.money(row.overdue_cents, row.currency), style=style, justify="right"),
                Text(p.age(row.age_days(today)), style=style, justify="right"),
                Text(state, style="bold yellow" if row.due_now else style),
                Text(p.since(row.last_contact), style=style),
                key=f"{row.debtor_id}:{row.currency}",
            )

    def on_resize(self) -> None:
        presenter = self._presenter
        if presenter is None:
            return
        width = self._name_width_for(self.size.width)
        if width == self._name_width:
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


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
