"""The pre-call checklist pane: each item with its data or a warning, ticked off by hand."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from callcoach.services.checklist import ChecklistItem
from callcoach.tui.typeset import hanging, readable

INDENT = "\u00a0\u00a0 "  # the lines under an item's title, and their wrapped continuations


class Checklist(OptionList):
    BINDINGS = [Binding("space,enter", "toggle", "Tick", id="checklist.tick")]

    class Ticked(Message):
        def __init__(self, ready: int, total: int) -> None:
            super().__init__()
            self.ready = ready
            self.total = total

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.items: list[ChecklistItem] = []
        self.ticked: set[str] = set()
        self.lang = "en"  # the typographic rules of the collector's language
        self._width = 0

    def show_items(self, items: list[ChecklistItem], ticked: set[str]) -> None:
        """Another debtor's list (another ``ticked`` set) starts at its top; the same debtor's
        keeps the item the cursor was on."""
        same_debtor = ticked is self.ticked
        self.items = items
        self.ticked = ticked
        highlighted = self.highlighted if same_debtor else 0
        self._width = self._text_width()
        self.set_options([Option(self._prompt(item), id=item.key) for item in items])
        if items:
            self.highlighted = min(highlighted or 0, len(items) - 1)
        if not same_debtor:
            self.scroll_home(animate=False)
        self._announce()

    def _text_width(self) -> int:
        return max(0, self.scrollable_content_region.width - 2)

    def on_resize(self) -> None:
        if self.items and self._text_width() != self._width:
            self.show_items(self.items, self.ticked)

    def _prompt(self, item: ChecklistItem) -> Content:
        done = item.key in self.ticked
        mark = "☑ " if done else "☐ "
        parts: list[Content | str | tuple[str, str]] = [
            (mark, "$success" if done else ""),
            (item.title, "bold"),
        ]
        lines = [hanging(Content.assemble(*parts), self._width, 2) if self._width else Content.assemble(*parts)]
        for line in item.lines:
            style = "$error" if line.warning else ("dim" if done else "$foreground")
            text = Content.assemble(INDENT, (readable(line.text, self.lang), style))
            lines.append(hanging(text, self._width, len(INDENT)) if self._width else text)
        return Content("\n").join(lines)

    def action_toggle(self) -> None:
        if self.highlighted is None or not self.items:
            return
        item = self.items[self.highlighted]
        self.ticked.symmetric_difference_update({item.key})
        self.replace_option_prompt_at_index(self.highlighted, self._prompt(item))
        self._announce()

    def _announce(self) -> None:
        self.post_message(self.Ticked(len(self.ticked & {i.key for i in self.items}), len(self.items)))
