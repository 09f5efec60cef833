"""The recap e-mail, reviewed right after the call (domain 5.3): read it, copy it into one's
own mail program, or send it now when an SMTP server is configured. It stays in the
outbox either way, so nothing is lost by closing this."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from callcoach.services.desk import Desk
from callcoach.services.emails import SavedEmail
from callcoach.services.errors import UserError
from callcoach.tui.keys import localise
from callcoach.tui.problems import in_language


class RecapScreen(ModalScreen[None]):
    CSS_PATH = Path(__file__).with_name("modal.tcss")
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Keep in outbox", id="recap.close"),
        Binding("c", "copy", "Copy", id="recap.copy"),
        Binding("s", "send", "Send now", id="recap.send"),
    ]

    def __init__(self, desk: Desk, email: SavedEmail) -> None:
        super().__init__()
        self.desk, self.email = desk, email
        self.L = desk.presenter.labels
        localise(self, self.L)
        self.sent = desk.email_sent(str(email.path))
        self.sending = False
        # Asked once: the footer checks the send key on every refresh, and this reads the config.
        self.smtp = desk.smtp_ready()

    def compose(self) -> ComposeResult:
        L, e = self.L, self.email
        with Vertical(classes="dialog") as box:
            box.border_title = Content(L["recap_title"])
            # Names and subjects come from imported data: Content(...) is plain text, never markup.
            yield Static(Content(f"{L['recap_to']} {e.to}"), id="recap-to")
            yield Static(Content(f"{L['recap_subject']} {e.subject}"), id="recap-subject")
            if e.attachments:
                yield Static(Content(f"{L['recap_attachments']} {', '.join(e.attachments)}"), id="recap-attachments")
            yield Static(Content(f"{L['recap_file']} {e.path}"), classes="muted")
            yield TextArea(e.body, read_only=True, soft_wrap=True, id="recap-body")
            yield Static(Content(self._state()), id="recap-state")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#recap-body", TextArea).focus()

    def _state(self) -> str:
        if self.sent:
            return self.L["recap_state_sent"]
        if self.sending:
            return self.L["recap_state_sending"]
        return self.L["recap_state_outbox" if self.smtp else "recap_state_no_smtp"]

    def _show_state(self, text: str | None = None) -> None:
        self.query_one("#recap-state", Static).update(Content(text or self._state()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            return not self.sent and not self.sending and self.smtp
        return True

    def as_text(self) -> str:
        e = self.email
        return f"{self.L['recap_to']} {e.to}\n{self.L['recap_subject']} {e.subject}\n\n{e.body}"

    def action_copy(self) -> None:
        # OSC 52: the terminal puts it on the system clipboard (in tmux: set-clipboard on).
        self.app.copy_to_clipboard(self.as_text())
        self.notify(self.L["recap_copied"])

    def action_send(self) -> None:
        self.sending = True
        self._show_state()
        self.refresh_bindings()
        # The app's worker, not this screen's: closing the screen must not cut the outcome off.
        self.app.run_worker(self._send, thread=True, group="send")

    def _send(self) -> None:
        app = self.app
        try:
            count = self.desk.send_email(str(self.email.path))
        except UserError as exc:
            app.call_from_thread(self._send_done, False, exc)  # worded by its code, in the desk's language
            return
        app.call_from_thread(self._send_done, count > 0, None)

    def _send_done(self, sent: bool, failure: UserError | None) -> None:
        self.sending = False
        error = in_language(failure, self.L) if failure else None
        if not self.is_attached:  # closed while the e-mail was on its way: just say how it went
            self.app.notify(error or self.L["recap_state_sent"], severity="error" if error else "information")
            return
        self.sent = sent or self.desk.email_sent(str(self.email.path))
        self.refresh_bindings()
        if error:
            self._show_state(error)
            self.notify(error, severity="error", markup=False, timeout=10)
        else:
            self._show_state()
            self.notify(self.L["recap_state_sent"])
