"""The recap e-mail after a call with an agreement (domain 5.3), written in a worker.

Ctrl+S saves the call and redraws the list at once; the recap (its text, the transfer QR
code, a MIME message written to the outbox) comes after that frame, in a thread, and is
shown for review when it is ready. If it cannot be written the call stays saved and the
desk says so; when none is written for want of an address, it says why, once.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from functools import partial

from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services.calls import EndedCall
from callcoach.services.emails import SavedEmail
from callcoach.services.errors import UserError
from callcoach.tui.problems import in_language
from callcoach.tui.screens.recap import RecapScreen

# At the latest this long after Ctrl+S the recap is written, frame painted or not.
FRAME_WAIT = 1.0


class RecapAfterCall:
    """A mixin of DeskScreen: the recap of the call just saved, written off the key's path."""

    def write_recap_later(self, ended: EndedCall, entry: OutcomeEntry) -> None:
        """Start the recap's worker now (so waiting on the app's workers waits on it), and let
        it begin once the list's new order is on screen."""
        painted = threading.Event()
        self.call_after_refresh(painted.set)
        work = partial(self._write_recap, ended, entry, painted)
        self.app.run_worker(work, thread=True, group="recap", name="recap e-mail")

    def _write_recap(self, ended: EndedCall, entry: OutcomeEntry, painted: threading.Event) -> None:
        """In the worker's thread: services only, never a widget."""
        painted.wait(FRAME_WAIT)
        try:
            written = self.desk.write_recap(ended, entry)
            email = self.desk.saved_email(written.email_path) if written.email_path else None
            smtp = self.desk.smtp_ready() if email is not None else False
        except UserError as exc:
            self._from_worker(self._recap_failed, exc)
            return
        self._from_worker(self._recap_written, written, email, smtp)

    def _from_worker(self, callback: Callable[..., None], *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile: the recap is in the outbox
            self.app.call_from_thread(callback, *args)

    def _recap_written(self, written: EndedCall, email: SavedEmail | None, smtp: bool) -> None:
        L = self.L
        if email is None:
            if written.recap_missing:  # an agreement with no recap: say why, once
                self.notify(L[f"recap_missing_{written.recap_missing}"], severity="warning", timeout=10)
            return
        if self.current is None and self.app.screen is self:
            self.app.push_screen(self.form(RecapScreen).load(email, sent=False, smtp=smtp))
        else:  # a new call or a dialog is open by now: the recap does not cut into it
            self.notify(L["recap_in_outbox"], timeout=10)

    def _recap_failed(self, exc: UserError) -> None:
        problem = in_language(exc, self.L)
        self.notify(self.L.get("recap_failed", problem=problem), severity="error", markup=False, timeout=15)
