"""Something broke: say so and say where the notes are. The screen that failed is not
trusted again, so the only way on is to quit; the open call is resumed at the next start."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


class CrashScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,ctrl+q", "leave", "Quit", id="crash.quit", priority=True)]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text, self.body = title, body

    def action_leave(self) -> None:
        """The only way on: quit (the open call is resumed at the next start)."""
        self.app.exit(return_code=1)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = Content(self.title_text)
            yield Static(Content(self.body), classes="body", id="crash-body")
        yield Footer()
