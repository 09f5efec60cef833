"""Keeping the notes of the call in progress: saved by time while typing, the call's lease kept
alive, and put somewhere safe (the ledger, else a private file) when the window goes.

The desk screen mixes this in; the CallSession service does the writing.
"""

from __future__ import annotations

import contextlib

from textual import work

from callcoach.services.call_session import AUTOSAVE_WITHIN, CallSession
from callcoach.services.calls import CallTaken, DebtorErased
from callcoach.services.errors import UserError
from callcoach.tui.problems import in_language
from callcoach.tui.widgets.notes_pane import NotesPane


class DraftKeeping:
    """The autosave, the heartbeat and the rescue of the open call's notes (a mixin of DeskScreen)."""

    @work(thread=True, exclusive=True, group="heartbeat")
    def _heartbeat(self, session: CallSession) -> None:
        try:
            session.heartbeat()
        except CallTaken:
            self.app.call_from_thread(self._lost_call, "call_lost")
        except DebtorErased:
            self.app.call_from_thread(self._lost_call, "debtor_erased", erased=True)
        except UserError:
            pass  # busy or full: the next beat, or the next draft, says so

    def _schedule_draft(self) -> None:
        """By time, not by pause: the first unsaved key starts the clock, later ones ride along."""
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(AUTOSAVE_WITHIN, self._save_draft)

    def _save_draft(self) -> None:
        self._draft_timer = None
        if self.current is not None:
            self._write_draft(self.current, self.notes)

    @work(thread=True, exclusive=True, group="draft")
    def _write_draft(self, session: CallSession, notes: str) -> None:
        try:
            session.autosave(notes)
        except CallTaken:
            self.app.call_from_thread(self._lost_call, "call_lost")
        except DebtorErased:
            self.app.call_from_thread(self._lost_call, "debtor_erased", erased=True)
        except Exception as exc:
            where = ""
            with contextlib.suppress(OSError):
                where = session.to_file(notes)
            self.app.call_from_thread(
                self.notify,
                self.L.get("draft_not_saved", error=in_language(exc, self.L), where=where or "-"),
                severity="error",
                timeout=10,
            )

    def save_draft_now(self) -> None:
        """Before quitting: the notes reach the database now, not in a second."""
        self.rescue_draft()

    def rescue_draft(self) -> str:
        """Put the open call's notes somewhere safe and say where; never raises.

        The database first; if it cannot be written (full disk, read-only, locked), a
        file in the state folder readable by the user only."""
        if self.current is None:
            return ""
        in_db, where = self.current.rescue(self.notes)
        if not in_db and not where:
            return ""
        return self.L.get("draft_in_db", call=self.current.call.id) if in_db else where

    def _lost_call(self, message_key: str, *, erased: bool = False) -> None:
        """This window no longer holds its call (taken over, or the debtor erased): it stops
        writing; the notes stay on screen, read-only (unless erased)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.current is None:
            return
        self.current = None
        self.fit_footer()  # type: ignore[attr-defined]
        pane = self.query_one(NotesPane)
        pane.area.read_only = True
        if erased:
            pane.area.load_text("")
        pane.show_status(self.L[message_key], live=False)
        self.notify(self.L[message_key], severity="error", timeout=20)
