"""The recap e-mail, reviewed right after the call (domain 5.3): read it, copy it into one's
own mail program, or send it now when an SMTP server is configured. It stays in the
outbox either way, so nothing is lost by closing this.

After a call it is shown while its file is still being written: the dialog names the file
only once it is there, offers sending only then, and says so if it could not be written."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from callcoach.services.desk import Desk
from callcoach.services.emails import SavedEmail
from callcoach.services.errors import UserError
from callcoach.tui.kept import KeptDialog
from callcoach.tui.keys import localise
from callcoach.tui.problems import in_language
from callcoach.tui.widgets.footer import KeyFooter


class RecapScreen(KeptDialog[None]):
    """One e-mail for review. The desk keeps one, built ahead and ``load``-ed after each call
    (``tui.kept``); the history opens its own with the e-mail chosen."""

    CSS_PATH = Path(__file__).with_name("modal.tcss")
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Keep in outbox", id="recap.close"),
        Binding("c", "copy", "Copy", id="recap.copy"),
        Binding("s", "send", "Send now", id="recap.send"),
    ]

    def __init__(self, desk: Desk, email: SavedEmail | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.L = desk.presenter.labels
        localise(self, self.L)
        self.email: SavedEmail | None = None
        self.sent = self.sending = self.smtp = False
        self.problem: str | None = None  # why the e-mail could not be written to the outbox
        self.note = ""
        if email is not None:
            self.load(email)

    def load(
        self, email: SavedEmail, *, sent: bool | None = None, smtp: bool | None = None, note: str = ""
    ) -> RecapScreen:
        """``sent`` and ``smtp`` when already known; otherwise read here. An e-mail with no
        path yet is being written: ``saved_to`` or ``not_saved`` follows. ``note``: what the
        desk has to say beside it (the call just saved), at the foot of the dialog's frame."""
        self.email = email
        self.note = note
        if sent is None:
            sent = email.path is not None and self.desk.email_sent(str(email.path))
        self.sent = sent
        self.sending = False
        self.problem = None
        # Asked once: the footer checks the send key on every refresh, and this reads the config.
        self.smtp = self.desk.smtp_ready() if smtp is None else smtp
        if self.is_mounted:
            self._refill()
        return self

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="recap-box"):
            yield Static(id="recap-to")
            yield Static(id="recap-subject")
            yield Static(id="recap-attachments")
            yield Static(id="recap-file", classes="muted")
            yield TextArea(read_only=True, soft_wrap=True, id="recap-body")
            yield Static(id="recap-state")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.styled_now()
        if self.email is not None:
            self._refill()

    def _refill(self) -> None:
        L, e = self.L, self.email
        assert e is not None
        box = self.query_one("#recap-box")
        box.border_title = Content(L["recap_title"])
        box.border_subtitle = Content(self.note)
        # Names and subjects come from imported data: Content(...) is plain text, never markup.
        self.query_one("#recap-to", Static).update(Content(f"{L['recap_to']} {e.to}"))
        self.query_one("#recap-subject", Static).update(Content(f"{L['recap_subject']} {e.subject}"))
        attachments = self.query_one("#recap-attachments", Static)
        attachments.update(Content(f"{L['recap_attachments']} {', '.join(e.attachments)}"))
        attachments.display = bool(e.attachments)
        self._show_file()
        body = self.query_one("#recap-body", TextArea)
        body.load_text(e.body)
        body.scroll_home(animate=False)
        self._show_state()
        self.refresh_bindings()
        self.set_focus(body, scroll_visible=False)  # now: the first frame draws it focused

    def saved_to(self, path: Path) -> None:
        """The e-mail shown is in the outbox now, at ``path``."""
        assert self.email is not None
        self.email = replace(self.email, path=path)
        if self.is_mounted:
            self._show_file()
            self._show_state()
            self.refresh_bindings()

    def not_saved(self, problem: str) -> None:
        """The e-mail shown could not be written: its text stays here, to copy."""
        self.problem = problem
        if self.is_mounted:
            self._show_state()
            self.refresh_bindings()

    def _show_file(self) -> None:
        path = self.email.path if self.email is not None else None
        line = self.query_one("#recap-file", Static)
        line.update(Content(f"{self.L['recap_file']} {path}" if path is not None else ""))
        line.display = path is not None

    def _state(self) -> str:
        if self.problem is not None:
            return self.L.get("recap_state_not_saved", problem=self.problem)
        if self.email is not None and self.email.path is None:
            return self.L["recap_state_saving"]
        if self.sent:
            return self.L["recap_state_sent"]
        if self.sending:
            return self.L["recap_state_sending"]
        return self.L["recap_state_outbox" if self.smtp else "recap_state_no_smtp"]

    def _show_state(self, text: str | None = None) -> None:
        self.query_one("#recap-state", Static).update(Content(text or self._state()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            saved = self.email is not None and self.email.path is not None
            return saved and not self.sent and not self.sending and self.smtp
        return True

    def as_text(self) -> str:
        e = self.email
        assert e is not None
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
        assert self.email is not None
        self.app.run_worker(partial(self._send, str(self.email.path)), thread=True, group="send")

    def _send(self, path: str) -> None:
        app = self.app
        try:
            count = self.desk.send_email(path)
        except UserError as exc:
            app.call_from_thread(self._send_done, path, False, exc)  # worded by its code, in the desk's language
            return
        app.call_from_thread(self._send_done, path, count > 0, None)

    def _send_done(self, path: str, sent: bool, failure: UserError | None) -> None:
        error = in_language(failure, self.L) if failure else None
        if not self.is_active or self.email is None or str(self.email.path) != path:
            # Closed while the e-mail was on its way (or showing another one by now): just say how it went.
            self.app.notify(error or self.L["recap_state_sent"], severity="error" if error else "information")
            return
        self.sending = False
        self.sent = sent or self.desk.email_sent(path)
        self.refresh_bindings()
        if error:
            self._show_state(error)
            self.notify(error, severity="error", markup=False, timeout=10)
        else:
            self._show_state()
            self.notify(self.L["recap_state_sent"])
