"""A debtor's whole timeline, where open follow-ups are closed and disputes resolved."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from callcoach.services.desk import Desk
from callcoach.services.errors import UserError
from callcoach.services.timeline import Event
from callcoach.tui.keys import localise
from callcoach.tui.problems import in_language
from callcoach.tui.typeset import hanging, readable
from callcoach.tui.widgets.call_list import clip
from callcoach.tui.widgets.footer import KeyFooter

ICONS = {"call": "☎", "promise": "◷", "payment": "€", "dispute": "⚖", "follow_up": "⏰", "email": "✉"}
# A promise's mark says where it stands: a tick only once it is kept.
PROMISE_MARKS = {"pending": "◷", "kept": "✓", "broken": "✗", "cancelled": "·"}
DETAIL_CHARS = 300


class HistoryScreen(ModalScreen[bool]):
    """Returns True when something changed, so the desk reloads."""

    CSS_PATH = Path(__file__).with_name("modal.tcss")
    BINDINGS = [
        Binding("escape", "close", "Back", id="history.back"),
        Binding("d", "resolve('done')", "Done", id="history.done"),
        Binding("w", "resolve('withdrawn')", "Withdraw", id="history.withdraw"),
        Binding("c", "dispute('credit_note')", "Credit note", id="history.credit"),
        Binding("p", "dispute('paid')", "Dispute paid", id="history.paid"),
        Binding("e", "read_email", "Read e-mail", id="history.email"),
    ]

    def __init__(self, desk: Desk, debtor_id: int, name: str) -> None:
        super().__init__()
        self.desk, self.debtor_id, self.debtor_name = desk, debtor_id, name
        localise(self, desk.presenter.labels)
        self.events: list[Event] = []
        self.changed = False
        self._pending: tuple[str, int, str] | None = None

    def compose(self) -> ComposeResult:
        L = self.desk.presenter.labels
        with Vertical(classes="dialog") as box:
            box.border_title = Content(f"{L['history_title']} — {self.debtor_name}")
            box.border_subtitle = Content(L["history_keys"])
            yield OptionList(id="events")
            with Horizontal(id="reason-row"):
                yield Label(L["history_reason"], classes="field-label")
                yield Input(id="reason", compact=True)
            yield Static(id="message", classes="errors", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#reason-row").display = False
        self._load()
        self.query_one("#events", OptionList).focus()

    def _load(self) -> None:
        L = self.desk.presenter.labels
        self.events = self.desk.timeline(self.debtor_id)
        options = self.query_one("#events", OptionList)
        highlighted = options.highlighted
        p = self.desk.presenter
        items = []
        width = max(0, options.scrollable_content_region.width - 2)
        for event in self.events:
            when = (
                p.clock.local(event.when).strftime("%d/%m/%Y %H:%M")
                if event.kind in ("call", "follow_up", "email")
                else p.day(p.clock.local(event.when).date())
            )
            icon = PROMISE_MARKS.get(event.state, "◷") if event.kind == "promise" else ICONS.get(event.kind, "·")
            head = Content.assemble(
                (f"{icon} {when}  ", "$text-muted"),
                (readable(event.text, p.lang), "bold $warning" if event.open else ""),
            )
            lines = [hanging(head, width, 2) if width else head]
            if event.detail:
                detail = Content.assemble("   ", (readable(_excerpt(event.detail), p.lang), "italic"))
                lines.append(hanging(detail, width, 3) if width else detail)
            items.append(Option(Content("\n").join(lines)))
        if not items:
            items.append(Option(Content.styled(L["history_empty"], "$text-muted"), disabled=True))
        options.set_options(items)
        if items:
            options.highlighted = min(highlighted or 0, len(items) - 1)

    def _current(self) -> Event | None:
        index = self.query_one("#events", OptionList).highlighted
        return self.events[index] if index is not None and index < len(self.events) else None

    def _say(self, text: str, error: bool = False) -> None:
        self.query_one("#message", Static).update(Content.styled(text, "$error" if error else "$success"))

    def action_resolve(self, resolution: str) -> None:
        L = self.desk.presenter.labels
        event = self._current()
        if event is None or not event.open or (event.follow_up_id is None and event.dispute_id is None):
            self._say(L["history_nothing_open"], error=True)
            return
        if event.dispute_id is not None:
            if resolution == "withdrawn":
                self.action_dispute("withdrawn")
            else:
                self._say(L["history_dispute_keys"], error=True)
            return
        assert event.follow_up_id is not None
        if resolution == "withdrawn":
            self._pending = ("withdrawn", event.follow_up_id, "follow_up")
            self.query_one("#reason-row").display = True
            self.query_one("#reason", Input).focus()
            return
        self._apply(lambda: self.desk.resolve_follow_up(event.follow_up_id, "done"))  # type: ignore[arg-type]

    def action_dispute(self, how: str) -> None:
        L = self.desk.presenter.labels
        event = self._current()
        if event is None or event.dispute_id is None or not event.open:
            self._say(L["history_no_dispute"], error=True)
            return
        self._apply(lambda: self.desk.resolve_dispute(event.dispute_id, how))  # type: ignore[arg-type]

    @on(Input.Submitted, "#reason")
    def _reason_given(self, event: Input.Submitted) -> None:
        if self._pending is None:
            return
        _, follow_up_id, _ = self._pending
        reason = event.value
        if self._apply(lambda: self.desk.resolve_follow_up(follow_up_id, "withdrawn", reason)):
            self._pending = None
            self.query_one("#reason", Input).value = ""
            self.query_one("#reason-row").display = False
            self.query_one("#events", OptionList).focus()

    def _apply(self, change) -> bool:  # type: ignore[no-untyped-def]
        try:
            change()
        except UserError as exc:
            self._say(in_language(exc, self.desk.presenter.labels), error=True)
            return False
        self.changed = True
        self._say(self.desk.presenter.labels["history_saved"])
        self._load()
        return True

    def action_read_email(self) -> None:
        """An e-mail in the history opens for review, copy or sending, like the recap after a call."""
        from callcoach.tui.screens.recap import RecapScreen

        event = self._current()
        if event is None or event.email_path is None:
            self._say(self.desk.presenter.labels["history_no_email"], error=True)
            return
        try:
            email = self.desk.saved_email(event.email_path)
        except UserError as exc:
            self._say(in_language(exc, self.desk.presenter.labels), error=True)
            return
        self.app.push_screen(RecapScreen(self.desk, email), lambda _: self._load())

    def action_close(self) -> None:
        if self._pending is not None:
            self._pending = None
            self.query_one("#reason-row").display = False
            self.query_one("#events", OptionList).focus()
            return
        self.dismiss(self.changed)


def _excerpt(text: str) -> str:
    """A note's start, cut between words and ending with "…" when there is more."""
    flat = " ".join(text.split())
    if len(flat) <= DETAIL_CHARS:
        return flat
    return clip(flat[: DETAIL_CHARS + 1].rsplit(" ", 1)[0], DETAIL_CHARS) + ("" if flat.endswith("…") else "…")
