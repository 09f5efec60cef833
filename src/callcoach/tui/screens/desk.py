"""The call desk: the one screen a collector keeps open all day.

Four panes: the call list (whom to call), the checklist (what to have at hand), the
script (what to say) and the notes (what was said). The screen holds the state of the
call in progress; every read and write goes through the Desk service.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static, TextArea

from callcoach.domain.clock import Clock
from callcoach.domain.outcomes import BRANCHES, OutcomeEntry
from callcoach.services.call_session import HEARTBEAT_EVERY, CallSession
from callcoach.services.desk import DebtorView, Desk, HeldCall
from callcoach.services.errors import UserError
from callcoach.tui.kept import KeptScreens
from callcoach.tui.keys import desk_bindings, localise
from callcoach.tui.screens.desk_calls import CallOpening
from callcoach.tui.screens.desk_debtor import DebtorActions
from callcoach.tui.screens.desk_drafts import DraftKeeping
from callcoach.tui.screens.desk_panels import PanelKeys
from callcoach.tui.screens.desk_recap import RecapAfterCall
from callcoach.tui.screens.excuses import ExcuseScreen
from callcoach.tui.screens.outcome import OutcomeScreen
from callcoach.tui.screens.outcome_draft import OutcomeDraft
from callcoach.tui.screens.payment import PaymentScreen
from callcoach.tui.screens.recap import RecapScreen
from callcoach.tui.widgets.call_list import CallList
from callcoach.tui.widgets.checklist import Checklist
from callcoach.tui.widgets.day_bar import DayBar
from callcoach.tui.widgets.footer import KeyFooter
from callcoach.tui.widgets.notes_pane import NotesPane
from callcoach.tui.widgets.script_pane import ScriptPane

__all__ = ["DeskScreen", "desk_bindings"]

FormT = TypeVar("FormT", OutcomeScreen, PaymentScreen, RecapScreen)


class DeskScreen(CallOpening, DebtorActions, DraftKeeping, PanelKeys, RecapAfterCall, Screen[None]):
    """A composition: the day bar, four panes and the footer, driving the Desk service and,
    during a call, a CallSession."""

    CSS_PATH = Path(__file__).with_name("desk.tcss")
    BINDINGS = desk_bindings("en")

    def __init__(self, desk: Desk, *, demo: bool = False) -> None:
        super().__init__()
        self.desk = desk
        self.demo = demo
        self.p = desk.presenter
        self.L = desk.presenter.labels
        self.view: DebtorView | None = None
        self.debtor_id: int | None = None
        self.stage = 0
        self.current: CallSession | None = None
        self.ticked: dict[int, set[str]] = {}
        self.ready = (0, 0)
        self._draft_timer: Timer | None = None
        self._warned_switch = False
        self.held: HeldCall | None = None  # the debtor shown is in a call in another window
        self._ticks = 0
        self.kept: KeptScreens | None = None

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield DayBar(id="day-bar")
        with Grid(id="panes"):
            yield CallList(self.desk, id="call-list")
            yield Checklist(id="checklist")
            yield ScriptPane(id="script")
            yield NotesPane(id="notes-pane")
        yield KeyFooter()

    def on_mount(self) -> None:
        L = self.L
        call_list = self.query_one(CallList)
        call_list.border_title = Content(L["call_list_title"])
        call_list.filter_input.display = False
        call_list.set_columns(self.p)
        localise(call_list, L)
        localise(call_list.table, L)
        self.query_one(Checklist).border_title = Content(L["checklist_title"])
        localise(self.query_one(Checklist), L)
        self.query_one(Checklist).lang = self.query_one(ScriptPane).lang = self.desk.lang
        self.query_one(ScriptPane).border_title = Content(L["script_title"])
        self.query_one(NotesPane).border_title = Content(L["notes_title"])
        self.fit_footer()
        self.refresh_list()
        self.refresh_day_bar()
        self._resume_open_call()
        if self.desk.read_only:
            self.notify(self.L["read_only_ledger"], severity="warning", timeout=15)
        self.set_interval(1, self._tick)
        if self.current is None:
            call_list.table.focus()
        self.kept = KeptScreens(self.app)
        self.call_after_refresh(self._build_forms)

    def _build_forms(self) -> None:
        """The outcome, payment and recap dialogs, built once the desk is on screen (``tui.kept``);
        what the first recap needs is imported meanwhile, in a thread."""
        if self.kept is not None and self.is_attached:
            self.form(OutcomeScreen)
            self.form(PaymentScreen)
            self.form(RecapScreen)
            self.app.run_worker(partial(warm_up, self.desk.clock), thread=True, group="warm-up", name="warm up")

    def form(self, kind: type[FormT]) -> FormT:
        """This desk's own form of that kind, built at its first need."""
        assert self.kept is not None
        return self.kept.get(kind) or self.kept.keep(kind(self.desk))

    @property
    def notes(self) -> str:
        return self.query_one(NotesPane).area.text

    # ------------------------------------------------------------ list + bar
    def refresh_list(self, *, settle: bool = True, reread: bool = True) -> None:
        """Reload the list; the panes follow the debtor under the cursor.

        ``reread=False`` when only the list's filter changed, not the ledger: the debtor shown,
        if still listed, stays as read (typing a name re-reads no file at each key)."""
        call_list = self.query_one(CallList)
        keep = self.current.debtor_id if self.current else self.debtor_id
        cursor = call_list.table.cursor_row
        rows = call_list.reload(settle=settle, keep=keep)
        if self.current is not None:
            return
        # The panes always show the debtor under the cursor, reloaded with what just changed. A
        # debtor that moved beyond the loaded pages (waiting, at the bottom of a long list)
        # leaves the cursor where it was: on the next one to call.
        if keep is not None and call_list.index_of(keep) is not None:
            if reread:
                self.show_debtor(keep)
        elif rows:
            index = min(max(cursor, 0), len(rows) - 1) if keep is not None else 0
            call_list.table.move_cursor(row=index, animate=False)
            self.show_debtor(rows[index].debtor_id)
        else:
            self.view = None
            self.debtor_id = None
            self._show_empty()

    def refresh_day_bar(self) -> None:
        settings = self.desk.settings()
        self.query_one(DayBar).show(
            self.desk.day_figures(),
            self.p,
            today=self.desk.clock.today(),
            who=settings.company or settings.collector_name,
            demo=self.demo,
            looking=self.desk.clock.what_if,
        )

    @on(CallList.DebtorHighlighted)
    def _debtor_highlighted(self, event: CallList.DebtorHighlighted) -> None:
        if self.current is not None:
            moved_by_user = self.query_one(CallList).table.has_focus
            if event.debtor_id != self.current.debtor_id and moved_by_user and not self._warned_switch:
                self._warned_switch = True
                self.notify(self.L.get("in_call_with", name=self.debtor_name()), severity="warning")
            return
        if event.debtor_id is None:
            self.view = None
            self.debtor_id = None
            self._show_empty()
            return
        if event.debtor_id != self.debtor_id:
            self.show_debtor(event.debtor_id)

    @on(CallList.FilterChanged)
    def _filter_changed(self) -> None:
        self.refresh_list(settle=False, reread=False)  # typing filters what was just settled

    def show_debtor(self, debtor_id: int) -> None:
        self.debtor_id = debtor_id
        self.view = self.desk.debtor_view(debtor_id)
        if self.current is None:
            self.stage = 0
        checklist = self.query_one(Checklist)
        checklist.show_items(self.view.checklist, self.ticked.setdefault(debtor_id, set()))
        checklist.border_subtitle = Content(self.view.file.debtor.name)
        self.held = None
        if self.current is None:
            with contextlib.suppress(UserError):
                self.held = self.desk.held_call(debtor_id)
        self.show_script()
        self.show_notes_status()
        self.refresh_bindings()  # the debtor's keys come back to the footer

    def debtor_name(self) -> str:
        return self.view.file.debtor.name if self.view else ""

    def _show_empty(self) -> None:
        """No row: because of what was typed or the bucket picked (Esc shows everyone again),
        or because nothing is owed (then the way to bring invoices in)."""
        checklist = self.query_one(Checklist)
        checklist.show_items([], set())
        checklist.border_subtitle = ""  # no debtor's name over an empty checklist
        call_list = self.query_one(CallList)
        if call_list.name_filter:
            said = self.L.get("call_list_no_match", typed=call_list.name_filter)
        elif call_list.window is not None:
            said = self.L["call_list_bucket_empty"]
        else:
            said = self.L["call_list_empty"]
        self.query_one("#stage-text", Static).update(Content.styled(said, "dim"))
        self.show_notes_status()
        self.refresh_bindings()  # nothing to call, no history: those keys leave the footer

    # ----------------------------------------------------------------- script
    def show_script(self) -> None:
        if self.view is None:
            return
        script = self.desk.script
        key = script.stages[self.stage]
        facts = dict(self.view.facts)
        facts["recap"] = self.current.recap(self.view) if self.current else script.recap(None, self.p)
        stage = script.stage(key, facts)
        excuse = None
        if self.current and self.current.excuses:
            excuse = script.excuse(self.current.excuses[-1], facts)
        if excuse is not None and excuse.key in BRANCHES and self.stage == 0:
            # Nobody reached yet: the branch's own words, not the introduction that names the debt.
            stage = replace(stage, say=[])
        questions = script.questions if key in ("negotiate", "close") else None
        qr, caption = self.current.transfer_qr(self.view) if key == "close" and self.current else (None, "")
        self.query_one(ScriptPane).show_stage(stage, questions=questions, excuse=excuse, qr=qr, qr_caption=caption)
        self._title_script()

    def _title_script(self) -> None:
        self.query_one(ScriptPane).show_title(self.desk.script, self.stage, self.L, self.ready)

    @on(Checklist.Ticked)
    def _ticked(self, event: Checklist.Ticked) -> None:
        self.ready = (event.ready, event.total)
        if self.is_mounted:
            self._title_script()

    def action_stage(self, step: int) -> None:
        if self.view is None:
            return
        self.stage = max(0, min(len(self.desk.script.stages) - 1, self.stage + step))
        if self.current:
            self.current.stage = self.stage
            self._schedule_draft()
        self.show_script()

    # ------------------------------------------------------------------ calls
    # Starting, taking over and resuming one: ``desk_calls``.
    def show_notes_status(self) -> None:
        pane = self.query_one(NotesPane)
        if self.current is None and self.held is not None:
            since = self.p.clock.local(self.held.since).strftime("%H:%M")
            held = self.L.get("call_held_by", by=self.held.by, since=since) if self.held.by else None
            pane.show_status(held or self.L.get("call_held", since=since), live=False)
            pane.area.read_only = True
            pane.area.load_text(self.held.notes)
            pane.border_subtitle = Content(self.debtor_name())
            return
        started = self.current.call.started_at if self.current else None
        pane.show_call(self.L, self.p.clock, self.debtor_name(), started)

    def _tick(self) -> None:
        # Another window or a colleague wrote: the list follows (my call or a form waits).
        if self.app.screen is self and self.current is None and self.desk.ledger_changed():
            self.refresh_list(settle=False)
            self.refresh_day_bar()
        if self.current is not None:
            self.show_notes_status()
            self._ticks += 1
            if self._ticks % HEARTBEAT_EVERY == 0:
                self._heartbeat(self.current)

    # ---------------------------------------------------------- the notes, kept
    @on(TextArea.Changed, "#notes")
    def _notes_changed(self) -> None:
        if self.current is not None:
            self._schedule_draft()

    def on_unmount(self) -> None:
        """The window goes away: its call is let go, for the next start to resume (the notes were
        saved by the quit, or by the autosave within a second of the last key)."""
        if self.current is not None:
            self.current.release()
        if self.kept is not None:
            self.kept.drop()
            self.kept = None
        self.desk.close()

    def action_pick_excuse(self) -> None:
        if self.view is None:
            return

        def chosen(key: str | None) -> None:
            if key is None:
                return
            if self.current is None:
                self.notify(self.L["start_first"], severity="warning")
                return
            self.current.heard(key)
            self.stage = self.current.stage
            excuse = self.desk.script.excuse(key)
            if excuse is not None:
                self.query_one(NotesPane).write_excuse(excuse)
            self.show_script()
            self._schedule_draft()

        self.app.push_screen(ExcuseScreen(self.desk.script.excuses, self.L["excuse_title"], self.L), chosen)

    def action_end_call(self) -> None:
        if self.current is None or self.view is None:
            self.notify(self.L["no_call"], severity="warning")
            return
        session = self.current

        def save(entry: OutcomeEntry) -> str | None:
            try:
                ended = session.end(entry, self.notes, recap=False)
            except UserError as exc:
                return str(exc)
            # The recap is asked for first: it opens before the next frame, ahead of what
            # waits for that frame (``_after_call_frame``).
            self.write_recap_later(ended, entry)
            self._after_call(ended.outcome)
            return None

        def closed(_: object) -> None:
            if self.current is not None:
                self.show_script()
                self.query_one(NotesPane).area.focus()

        draft = session.draft
        assert isinstance(draft, OutcomeDraft)
        from callcoach.domain.outcomes import captured_fields

        picked = [(k, e.capture) for k in session.excuses if (e := self.desk.script.excuse(k)) is not None]
        captured = captured_fields(self.query_one(NotesPane).area.text, picked)
        fresh, draft.excuses_seen = len(session.excuses) > draft.excuses_seen, len(session.excuses)
        form = self.form(OutcomeScreen).load(view=self.view, draft=draft, on_save=save, captured=captured, fresh=fresh)
        self.app.push_screen(form, closed)

    def _after_call(self, outcome: str) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        debtor_id = self.current.debtor_id if self.current else self.debtor_id
        self.current = None
        self.fit_footer()
        self.stage = 0
        self.query_one(NotesPane).area.load_text("")
        # The cursor follows the debtor to its new place; the panes show the saved history, read
        # once the new order is on screen. A call records no payment, so there is nothing to
        # settle: a plain re-read, no write lock.
        self.debtor_id = debtor_id
        self.desk.ledger_seen()  # the call just saved is read below: the next tick need not read it again
        self.refresh_list(settle=False, reread=False)
        # Focused now, not at the next turn of the loop: the new order's frame draws the list
        # as focused, and no frame after it (the recap's) has to draw it again.
        self.set_focus(self.query_one(CallList).table, scroll_visible=False)
        self.call_after_refresh(self._after_call_frame, debtor_id, outcome)

    def _after_call_frame(self, debtor_id: int, outcome: str) -> None:
        """After the new order's frame: the day's figures and the called debtor's file, read
        again. When the recap dialog has just opened over the desk, after its frame instead:
        they are behind it, and it is what the collector reads next; it says the call is saved
        itself, where a notice would cover its last lines on a small terminal."""
        if self.is_attached and isinstance(self.app.screen, RecapScreen):
            self.call_after_refresh(self._after_call_read, debtor_id)
            return
        self.notify(self.call_saved(outcome))
        self._after_call_read(debtor_id)

    def call_saved(self, outcome: str) -> str:
        return self.L.get("call_saved", outcome=self.L[f"outcome_{outcome}"])

    def _after_call_read(self, debtor_id: int) -> None:
        if not self.is_attached:
            return
        if self.current is None and self.debtor_id == debtor_id:  # unless the collector moved on
            self.show_debtor(debtor_id)
        self.refresh_day_bar()

    # ---------------------------------------------------------------- misc
    def action_filter(self) -> None:
        self.query_one(CallList).open_filter()


def warm_up(clock: Clock) -> None:
    """Import and read what the first call and its recap need (the erasure check, the mail
    modules, the settings reader, the QR code's writer, the recap's texts and locale data),
    so the first F2 and Ctrl+S do not pay for it."""
    import importlib

    modules = (
        "callcoach.config",
        "callcoach.services.privacy",
        "callcoach.services.sending",
        "callcoach.services.recap",
    )
    for module in (*modules, "segno"):
        importlib.import_module(module)
    from callcoach.services.recap import read_ahead

    read_ahead(clock)
