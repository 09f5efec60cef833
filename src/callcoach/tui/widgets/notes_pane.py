"""The notes pane: a timed call and the notes typed during it."""

from __future__ import annotations

from datetime import datetime

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea


class NotesPane(Vertical):
    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="call-status", markup=False)
        yield TextArea(id="notes", soft_wrap=True, read_only=True, show_line_numbers=False, tab_behavior="focus")

    @property
    def area(self) -> TextArea:
        return self.query_one("#notes", TextArea)

    def show_status(self, text: str, *, live: bool) -> None:
        self.query_one("#call-status", Static).update(Content.styled(text, "bold $success" if live else "$text-muted"))

    def elapsed(self, started: datetime, now: datetime) -> str:
        seconds = max(0, int((now - started).total_seconds()))
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
