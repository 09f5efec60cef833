"""Opening a call at the desk: starting one (after a warning when the debtor was called a
moment ago), taking over one another window holds, resuming the one left open when the app
stopped.

Each path asks before it acts when a call may already exist, and ends in ``_enter_call``; the
desk screen mixes this in, the CallSession service does the writing.
"""

from __future__ import annotations

import contextlib

from textual.content import Content

from callcoach.services.call_session import CallRecord, CallSession
from callcoach.services.desk import HeldCall
from callcoach.services.errors import UserError
from callcoach.tui.problems import in_language
from callcoach.tui.screens.confirm import ConfirmScreen
from callcoach.tui.screens.outcome_draft import OutcomeDraft
from callcoach.tui.widgets.call_list import CallList
from callcoach.tui.widgets.notes_pane import NotesPane


class CallOpening:
    """Start, take over, resume (a mixin of DeskScreen, whose state it uses)."""

    def action_start_call(self) -> None:
        if self.current is not None:
            self.notify(self.L["already_in_call"], severity="warning")
            return
        if self.view is None or self.debtor_id is None:
            self.notify(self.L["nobody_selected"], severity="warning")
            return
        if self.desk.read_only:
            self.notify(self.L["read_only_ledger"], severity="warning")
            return
        if self.held is not None:
            self._offer_take_over(self.held)
            return
        recent = self.desk.recent_call(self.debtor_id)
        if recent is not None:
            L = self.L
            said = L.get(
                "double_call_body", when=self.p.since(recent.started_at), outcome=L[f"outcome_{recent.outcome}"]
            )
            body = _with_notes(said, recent.notes)
            screen = ConfirmScreen(L["double_call_title"], body, L["double_call_yes"], L["double_call_no"], L)
            self.app.push_screen(screen, lambda yes: self._start_call(screen.typed) if yes else None)
            return
        self._start_call()

    def _start_call(self, typed: str = "") -> None:
        if self.view is None or self.current is not None:
            return
        try:
            session = CallSession.start(self.desk, self.view, OutcomeDraft())
        except UserError as exc:
            self.notify(in_language(exc, self.L), severity="error", markup=False)
            if self.debtor_id is not None:
                self.show_debtor(self.debtor_id)  # a call another window opened meanwhile is shown
            return
        self._enter_call(session)
        self._keep_typed(typed)
        self.call_after_refresh(self.refresh_day_bar)  # "calls today" follows the call's first frame

    def _enter_call(self, session: CallSession) -> None:
        self.current = session
        self.fit_footer()
        self.stage = session.stage
        self._warned_switch = False
        area = self.query_one(NotesPane).area
        area.read_only = False
        area.load_text(session.call.notes)
        area.move_cursor(area.document.end)
        area.focus()
        self.show_script()
        self.show_notes_status()

    def _offer_take_over(self, held: HeldCall) -> None:
        """A call another window holds is taken only when the collector confirms; that window
        is told at its next write and stops writing."""
        L = self.L
        since = self.p.clock.local(held.since).strftime("%H:%M")
        if held.by:  # a colleague's call is theirs: never taken over while they are at it
            return self.notify(L.get("call_held_by", by=held.by, since=since), severity="warning", markup=False)

        def answered(yes: bool | None) -> None:
            if not yes or self.current is not None:
                return
            try:
                call = self.desk.take_over(held.call_id, confirmed=True)
            except UserError as exc:
                self.notify(in_language(exc, L), severity="error", markup=False)
                return
            self.held = None
            self._enter_call(CallSession.resume(self.desk, call, OutcomeDraft.from_json(call.outcome_draft)))

        body = _with_notes(L.get("takeover_body", since=since), held.notes)
        self.app.push_screen(ConfirmScreen(L["takeover_title"], body, L["takeover_yes"], L["takeover_no"], L), answered)

    def _resume_open_call(self) -> None:
        try:
            call: CallRecord | None = self.desk.open_call()
        except UserError as exc:
            self.notify(in_language(exc, self.L), severity="error", markup=False, timeout=10)
            return
        if call is None:
            return
        self.debtor_id = None
        self.show_debtor(call.debtor_id)
        session = CallSession.resume(self.desk, call, OutcomeDraft.from_json(call.outcome_draft))
        with contextlib.suppress(UserError):  # the lease; the notes are the ones read back
            session.take(confirmed=False)
        self._enter_call(session)
        index = self.query_one(CallList).index_of(call.debtor_id)
        if index is not None:
            self.query_one(CallList).table.move_cursor(row=index, animate=False)
        L = self.L
        body = _with_notes(
            L.get("call_resumed", name=self.debtor_name(), time=self.p.since(call.started_at)), call.notes
        )
        question = ConfirmScreen(L["resume_title"], body, L["resume_continue"], L["resume_end"], L)
        self.app.push_screen(
            question, lambda carry_on: self._keep_typed(question.typed) if carry_on else self.action_end_call()
        )

    def _keep_typed(self, typed: str) -> None:
        """What was typed while a question was open goes on the notes, where it was meant to."""
        if typed and self.current is not None:
            area = self.query_one(NotesPane).area
            area.insert(typed, area.document.end)


def _with_notes(text: str, notes: str) -> Content:
    """A question about a call, with the start of what was noted during it."""
    return Content.assemble(text, "\n\n", (" ".join(notes.split())[:400], "italic"))
