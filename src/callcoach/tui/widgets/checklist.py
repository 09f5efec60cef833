"""The pre-call checklist pane: each item with its data or a warning, ticked off by hand."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from callcoach.services.checklist import ChecklistItem


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

    def show_items(self, items: list[ChecklistItem], ticked: set[str]) -> None:
        self.items = items
        self.ticked = ticked
        highlighted = self.highlighted
        self.set_options([Option(self._prompt(item), id=item.key) for item in items])
        if items:
            self.highlighted = min(highlighted or 0, len(items) - 1)
        self._announce()

    def _prompt(self, item: ChecklistItem) -> Content:
        done = item.key in self.ticked
        mark = "☑ " if done else "☐ "
        parts: list[Content | str | tuple[str, str]] = [
            (mark, "$success" if done else ""),
            (item.title, "bold"),
        ]
        for line in item.lines:
            parts.append("\n\u00a0\u00a0 ")
            parts.append((line.text, "$error" if line.warning else ("dim" if done else "$foreground")))
        return Content.assemble(*parts)

    def action_toggle(self) -> None:
        if self.highlighted is None or not self.items:
            return
        item = self.items[self.highlighted]
        self.ticked.symmetric_difference_update({item.key})
        self.replace_option_prompt_at_index(self.highlighted, self._prompt(item))
        self._announce()

    def _announce(self) -> None:
        self.post_message(self.Ticked(len(self.ticked & {i.key for i in self.items}), len(self.items)))
