"""Are you sure? Shown before calling a debtor someone called a short while ago (domain 1.5),
and when a call was left open.

Only Enter, Esc and the buttons answer: a collector who pressed F2 is often already typing
the first note, and a letter that is also text must never decide (nor be lost). What is
typed while the question is open is kept in ``typed`` and shown, so the desk can put it in
the notes once the call goes on.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
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
        Binding("escape", "dismiss(False)", "No", id="confirm.no"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, title: str, body: Content, yes: str, no: str, labels: Labels) -> None:
        super().__init__()
        localise(self, labels)
        self.labels = labels
        self.title_text, self.body, self.yes, self.no = title, body, yes, no
        self.typed = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = Content(self.title_text)
            yield Static(self.body, classes="body")
            yield Static("", classes="typed", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", variant="warning", compact=True)
                yield Button(self.no, id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one(".typed", Static).display = False
        self.query_one("#yes", Button).focus()  # Enter goes on, as the key that opened it meant to

    def on_key(self, event: events.Key) -> None:
        if event.key == "backspace" and self.typed:
            self.typed = self.typed[:-1]
        elif event.is_printable and event.character:
            self.typed += event.character
        else:
            return
        event.stop()
        event.prevent_default()
        typed = self.query_one(".typed", Static)
        typed.display = bool(self.typed)
        typed.update(Content.assemble((self.labels["confirm_typed"], "$text-muted"), " ", (self.typed, "italic")))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
