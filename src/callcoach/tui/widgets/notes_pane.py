"""The notes pane: a timed call and the notes typed during it."""

from __future__ import annotations

from datetime import datetime

from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from callcoach.domain.clock import Clock
from callcoach.playbook import Labels
from callcoach.services.script import Excuse


class NotesArea(TextArea, inherit_bindings=False):
    """The notes: a TextArea without its own F6/F7 (select line, select all), which are the
    desk's stage keys; they would also jump ahead of the desk's keys in the footer."""

    BINDINGS = [b for b in TextArea.BINDINGS if not (isinstance(b, Binding) and b.key in ("f6", "f7"))]


class NotesPane(Vertical):
    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="call-status", markup=False)
        yield NotesArea(id="notes", soft_wrap=True, read_only=True, show_line_numbers=False, tab_behavior="focus")

    @property
    def area(self) -> TextArea:
        return self.query_one("#notes", TextArea)

    def show_status(self, text: str, *, live: bool) -> None:
        self.query_one("#call-status", Static).update(Content.styled(text, "bold $success" if live else "$text-muted"))

    def elapsed(self, started: datetime, now: datetime) -> str:
        seconds = max(0, int((now - started).total_seconds()))
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"

    def write_excuse(self, excuse: Excuse) -> None:
        """The excuse heard, and a line for each thing to capture; the cursor waits on the first."""
        area = self.area
        lines = [f"— {excuse.label}"] + [f"  {field} " for field in excuse.capture]
        prefix = "" if not area.text or area.text.endswith("\n") else "\n"
        first_row = area.document.end[0] + (1 if prefix else 0) + 1
        area.insert(prefix + "\n".join(lines) + "\n", area.document.end)
        if excuse.capture:
            area.move_cursor((first_row, len(lines[1])))
        area.focus()

    def show_call(self, L: Labels, clock: Clock, name: str, started: datetime | None) -> None:
        """The call's clock while it runs; otherwise whom F2 would call, and no notes to type."""
        if started is None:
            self.show_status(L.get("press_to_call", name=name) if name else "", live=False)
            if self.area.text and not self.area.read_only:
                self.area.load_text("")
            self.area.read_only = True
            self.border_subtitle = Content("")
            return
        since = clock.local(started).strftime("%H:%M")
        self.show_status(L.get("in_call", since=since, elapsed=self.elapsed(started, clock.now())), live=True)
        self.border_subtitle = Content(name)
