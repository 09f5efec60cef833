"""The recap e-mail after a call with an agreement (domain 5.3): shown at once, written after.

Ctrl+S saves the call and puts the list in its new order; before any frame is drawn the recap
is built in memory (one read, no write) and opened over the desk, so the first frame after
the key is the dialog (it covers the list, which is drawn in its new order when it closes).
A worker then writes the e-mail to the outbox while the collector reads, and the dialog
says "saved" with the file's path only once the file is there. If it cannot be written (a
full disk), the call stays saved, the dialog keeps the text to copy and says why, naming
the file. When no recap is written for want of an
address, the desk says why, once.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services.calls import EndedCall
from callcoach.services.errors import UserError
from callcoach.services.recap import RecapDraft
from callcoach.tui.problems import in_language
from callcoach.tui.screens.recap import RecapScreen

# How often the writer looks whether the app is still there while it waits for the draft.
LOOK_EVERY = 0.1


class Handoff:
    """The draft, passed from the screen's thread (which builds it) to the writer's."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.draft: RecapDraft | None = None

    def give(self, draft: RecapDraft | None) -> None:
        self.draft = draft
        self.ready.set()


class RecapAfterCall:
    """A mixin of DeskScreen: the recap of the call just saved, kept off the key's path."""

    def write_recap_later(self, ended: EndedCall, entry: OutcomeEntry) -> None:
        """Build and show the recap as soon as the key's work is done, before the next frame
        (a frame of the desk first would only be covered by it, and cost the collector a
        frame's wait); start its writer now (so waiting on the app's workers waits on it too),
        to write it once it is shown."""
        handoff = Handoff()
        self.app.call_next(self._show_recap, ended, entry, handoff)
        work = partial(self._save_recap, ended, entry, handoff)
        self.app.run_worker(work, thread=True, group="recap", name="recap e-mail")

    def _show_recap(self, ended: EndedCall, entry: OutcomeEntry, handoff: Handoff) -> None:
        """On the screen's thread, once the outcome form is closed: a read of a few
        milliseconds, then the dialog. The writer starts after the dialog's own frame."""
        try:
            draft, missing = self.desk.draft_recap(ended, entry)
        except UserError as exc:
            handoff.give(None)
            self._recap_failed(exc)
            return
        except BaseException:
            handoff.give(None)  # the writer does not wait for a draft that will never come
            raise
        if draft is None:
            handoff.give(None)
            if missing:  # an agreement with no recap: say why, once, after "call saved"
                self.call_after_refresh(self.notify, self.L[f"recap_missing_{missing}"], severity="warning", timeout=10)
            return
        if self._idle():
            dialog = self.form(RecapScreen).load(draft.email, sent=False, note=self.call_saved(ended.outcome))
            self.app.push_screen(dialog)
        self.call_after_refresh(handoff.give, draft)

    def _idle(self) -> bool:
        """No call and no dialog in the way: a recap may open over the desk."""
        return self.current is None and self.app.screen is self

    def _save_recap(self, ended: EndedCall, entry: OutcomeEntry, handoff: Handoff) -> None:
        """In the worker's thread: services only, never a widget."""
        while not handoff.ready.wait(LOOK_EVERY):
            if not (self.app.is_running and self.is_attached):
                break  # closed before the recap was shown: it is written all the same, unseen
        draft = handoff.draft
        try:
            if not handoff.ready.is_set():
                draft = self.desk.draft_recap(ended, entry)[0]
            if draft is None:
                return
            path = self.desk.save_recap(draft)
        except UserError as exc:
            self._from_worker(self._recap_not_saved, draft, exc)
            return
        self._from_worker(self._recap_saved, draft, path)

    def _from_worker(self, callback: Callable[..., None], *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile: the recap is in the outbox
            self.app.call_from_thread(callback, *args)

    def _recap_dialog(self, draft: RecapDraft) -> RecapScreen | None:
        """The desk's recap dialog, if it is open on this very recap."""
        screen = self.form(RecapScreen) if self.kept is not None else None
        if screen is not None and screen.email is draft.email and screen in self.app.screen_stack:
            return screen
        return None

    def _recap_saved(self, draft: RecapDraft, path: Path) -> None:
        dialog = self._recap_dialog(draft)
        if dialog is not None:
            dialog.saved_to(path)
        else:  # closed before the file was there, or never opened over a call or a dialog
            self.notify(self.L["recap_in_outbox"], timeout=10)

    def _recap_not_saved(self, draft: RecapDraft | None, exc: UserError) -> None:
        """The call is saved, the e-mail not: the dialog keeps its text to copy, and says why."""
        self._recap_failed(exc)
        if draft is None:
            return
        dialog = self._recap_dialog(draft)
        if dialog is None and self._idle():  # closed meanwhile: shown again, so the text is not lost
            dialog = self.form(RecapScreen).load(draft.email, sent=False)
            self.app.push_screen(dialog)
        if dialog is not None:
            dialog.not_saved(in_language(exc, self.L))

    def _recap_failed(self, exc: UserError) -> None:
        problem = in_language(exc, self.L)
        self.notify(self.L.get("recap_failed", problem=problem), severity="error", markup=False, timeout=15)
