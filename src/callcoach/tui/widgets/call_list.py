"""The call list pane: debtors to call, in the ledger's order, filterable by name."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input

from callcoach.presenting import Presenter
from callcoach.services.calllist import CallListRow

NAME_WIDTH = (12, 30)


class CallList(Vertical):
    """Moving the cursor announces the debtor; the screen loads their file."""

    BINDINGS = [Binding("escape", "clear_filter", "Clear filter", show=False)]

    class DebtorHighlighted(Message):
        def __init__(self, debtor_id: int | None) -> None:
            super().__init__()
            self.debtor_id = debtor_id

    class FilterChanged(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

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
        self.table.add_column(L["debtor"], key="name")
        self.table.add_column(L["overdue"], key="overdue")
        self.table.add_column(L["age"], key="age")
        self.table.add_column(L["state"], key="state")
        self.table.add_column(L["invoices"], key="count")
        self.table.add_column(L["last_contact"], key="last")

    def show_rows(self, rows: list[CallListRow], p: Presenter, keep: int | None) -> None:
        """Replace the rows; keep the cursor on debtor ``keep`` wherever it now stands."""
        self._shown = (rows, p)
        table = self.table
        table.clear()
        today = p.clock.today()
        # Narrow panes keep the amount and age in view: the name gives way first.
        width = max(NAME_WIDTH[0], min(NAME_WIDTH[1], self.size.width - 52))
        self._name_width = width
        for row in rows:
            name = row.name if len(row.name) <= width else row.name[: width - 1] + "…"
            style = "dim" if row.waiting else ""
            badges = p.badges(row)
            table.add_row(
                Text(name, style="bold" if row.due_now else style),
                Text(p.money(row.overdue_cents, row.currency), style=style, justify="right"),
                Text(p.age(row.age_days(today)), style=style, justify="right"),
                Text(", ".join(badges), style="bold yellow" if row.due_now else style),
                Text(str(row.overdue_invoices), style=style, justify="right"),
                Text(p.since(row.last_contact), style=style),
                key=f"{row.debtor_id}:{row.currency}",
            )
        if keep is not None:
            index = self.index_of(keep)
            if index is not None:
                table.move_cursor(row=index, animate=False)
        if not rows:
            self.post_message(self.DebtorHighlighted(None))

    def on_resize(self) -> None:
        shown = getattr(self, "_shown", None)
        if shown is None:
            return
        width = max(NAME_WIDTH[0], min(NAME_WIDTH[1], self.size.width - 52))
        if width != getattr(self, "_name_width", None):
            current = self.table.cursor_row
            keep = None
            if 0 <= current < len(shown[0]):
                keep = shown[0][current].debtor_id
            self.show_rows(shown[0], shown[1], keep)

    def index_of(self, debtor_id: int) -> int | None:
        for index, row_key in enumerate(self.table.rows):
            if str(row_key.value).split(":")[0] == str(debtor_id):
                return index
        return None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value
        self.post_message(self.DebtorHighlighted(int(str(key).split(":")[0]) if key else None))

    def open_filter(self) -> None:
        self.filter_input.display = True
        self.filter_input.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.FilterChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def action_clear_filter(self) -> None:
        if self.filter_input.value:
            self.filter_input.value = ""
        self.filter_input.display = False
        self.table.focus()
