"""Picking the excuse just heard (domain 4.3): the script then shows the prepared answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from callcoach.playbook import Labels
from callcoach.services.script import Excuse
from callcoach.tui.keys import localise


class ExcuseScreen(ModalScreen[str | None]):
    CSS_PATH = "excuses.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="excuse.cancel")]

    def __init__(self, excuses: list[Excuse], title: str, labels: Labels) -> None:
        super().__init__()
        localise(self, labels)
        self.excuses = excuses
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(self.title_text)
            yield OptionList(*[Option(Content(e.label), id=e.key) for e in self.excuses], id="excuses")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
