"""Are you sure? Shown before calling a debtor someone called a short while ago (domain 1.5)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from callcoach.playbook import Labels
from callcoach.tui.keys import localise


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = Path(__file__).with_name("modal.tcss")
    BINDINGS = [
        Binding("escape,n", "dismiss(False)", "No", id="confirm.no"),
        Binding("y,o", "dismiss(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, title: str, body: Content, yes: str, no: str, labels: Labels) -> None:
        super().__init__()
        localise(self, labels)
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = Content(self.title_text)
            yield Static(self.body, classes="body")
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", variant="warning", compact=True)
                yield Button(self.no, id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
