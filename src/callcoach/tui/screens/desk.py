"""The call desk: the one screen a collector keeps open all day.

Four panes: the call list (whom to call), the checklist (what to have at hand), the
script (what to say) and the notes (what was said). The screen holds the state of the
call in progress; every read and write goes through the Desk service.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static, TextArea

from callcoach.db.tables import Call
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services.calllist import PAGE
from callcoach.services.desk import DebtorView, Desk
from callcoach.services.drafts import save_draft_file
from callcoach.services.errors import UserError
from callcoach.tui.keys import localise
from callcoach.tui.problems import in_language
from callcoach.tui.screens.confirm import ConfirmScreen
from callcoach.tui.screens.excuses import ExcuseScreen
from callcoach.tui.screens.history import HistoryScreen
from callcoach.tui.screens.outcome import OutcomeDraft, OutcomeScreen
from callcoach.tui.screens.payment import PaymentScreen
from callcoach.tui.screens.plan import ChosenPlan, PlanScreen
from callcoach.tui.screens.recap import RecapScreen
from callcoach.tui.widgets.call_list import CallList
from callcoach.tui.widgets.checklist import Checklist
from callcoach.tui.widgets.notes_pane import NotesPane
from callcoach.tui.widgets.script_pane import ScriptPane

DRAFT_DELAY = 0.8

BINDING_TEXT = {
    "fr": {
        "start_call": "Appeler",
        "end_call": "Terminer",
        "pick_excuse": "Excuse",
        "stage_back": "◀ Étape",
        "stage_next": "Étape ▶",
        "filter": "Filtrer",
        "keys": "Touches",
        "quit": "Quitter",
        "history": "Historique",
        "plan": "Échéancier",
        "payment": "Paiement",
    },
    "en": {
        "start_call": "Start call",
        "end_call": "End call",
        "pick_excuse": "Excuse",
        "stage_back": "◀ Stage",
        "stage_next": "Stage ▶",
        "filter": "Filter",
        "keys": "Keys",
        "quit": "Quit",
        "history": "History",
        "plan": "Plan",
        "payment": "Payment",
    },
}


def desk_bindings(lang: str) -> list[Binding]:
    t = BINDING_TEXT[lang]
    return [
        Binding("f2", "start_call", t["start_call"], id="call.start", priority=True),
        Binding("f3", "end_call", t["end_call"], id="call.end", priority=True),
        Binding("f4", "pick_excuse", t["pick_excuse"], id="call.excuse", priority=True),
        Binding("f5", "stage(-1)", t["stage_back"], id="script.back", priority=True),
        Binding("f6", "stage(1)", t["stage_next"], id="script.next", priority=True),
        Binding("f7", "history", t["history"], id="debtor.history", priority=True),
        Binding("f8", "plan", t["plan"], id="script.plan", priority=True),
        Binding("f9", "payment", t["payment"], id="debtor.payment", priority=True),
        Binding("slash", "filter", t["filter"], id="list.filter"),
        Binding("f1,question_mark", "toggle_keys", t["keys"], id="app.keys"),
        Binding("ctrl+q", "app.quit", t["quit"], id="app.quit", priority=True),
    ]


@dataclass
class CallState:
    """The call in progress: what is typed and chosen, until it is saved."""

    call: Call
    stage: int = 0
    excuses: list[str] = field(default_factory=list)
    draft: OutcomeDraft = field(default_factory=OutcomeDraft)


class DeskScreen(Screen[None]):
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
        self.current: CallState | None = None
        self.ticked: dict[int, set[str]] = {}
        self.ready = (0, 0)
        self.name_filter = ""
        self.total: int | None = 0  # None while a long list is being counted
        self._draft_timer: Timer | None = None
        self._warned_switch = False

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield Static(id="day-bar", markup=False)
        with Grid(id="panes"):
            yield CallList(id="call-list")
            yield Checklist(id="checklist")
            yield ScriptPane(id="script")
            yield NotesPane(id="notes-pane")
        yield Footer()

    def on_mount(self) -> None:
        L = self.L
        call_list = self.query_one(CallList)
        call_list.border_title = Content(L["call_list_title"])
        call_list.filter_input.display = False
        call_list.set_columns(self.p)
        self.query_one(Checklist).border_title = Content(L["checklist_title"])
        localise(self.query_one(Checklist), L)
        self.query_one(ScriptPane).border_title = Content(L["script_title"])
        self.query_one(NotesPane).border_title = Content(L["notes_title"])
        self.refresh_list()
        self.refresh_day_bar()
        self._resume_open_call()
        self.set_interval(1, self._tick)
        if self.current is None:
            call_list.table.focus()

    # ------------------------------------------------------------ list + bar
    def refresh_list(self, *, settle: bool = True) -> None:
        """Reload the list, as many pages as were shown (a desk's ledger is never loaded whole)."""
        call_list = self.query_one(CallList)
        pages = max(1, -(-call_list.shown // PAGE))
        rows = self.desk.call_list(self.name_filter or None, settle=settle, limit=pages * PAGE)
        keep = self.current.call.debtor_id if self.current else self.debtor_id
        cursor = call_list.table.cursor_row
        call_list.show_rows(rows, self.p, keep)
        if len(rows) < pages * PAGE:
            self._show_total(len(rows))
        else:  # a long list: its length is counted apart, so the page shows at once
            self.total = None
            call_list.border_subtitle = Content(f"{len(rows)}+")
            # After the frame: the new order is on screen first, its length a moment later.
            self.call_after_refresh(self._count_list, self.name_filter)
        if self.current is not None:
            return
        # The panes always show the debtor under the cursor, reloaded with what just changed. A
        # debtor that moved beyond the loaded pages (waiting, at the bottom of a long list)
        # leaves the cursor where it was: on the next one to call.
        if keep is not None and call_list.index_of(keep) is not None:
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
        f = self.desk.day_figures()
        L = self.L
        overdue = " + ".join(self.p.money(c, cur) for cur, c in sorted(f.overdue_by_currency.items())) or self.p.money(
            0
        )
        settings = self.desk.settings()
        who = settings.company or settings.collector_name or "callcoach"
        parts: list[str | tuple[str, str]] = [(" callcoach ", "bold reverse")]
        if self.demo:
            parts.append((" DEMO ", "bold reverse $warning"))
        parts += [
            f" {self.p.day(self.desk.clock.today())} · {L['header_overdue']} ",
            (overdue, "bold"),
            f" · {L['header_calls_today']} ",
            (str(f.calls_today), "bold"),
            f" · {L['header_due']} ",
            (str(f.due_today), "bold"),
            f" · {L['header_late']} ",
            (str(f.late), "bold $error" if f.late else "bold"),
            " · ",
            (who, "italic"),
        ]
        self.query_one("#day-bar", Static).update(Content.assemble(*parts))

    @on(CallList.DebtorHighlighted)
    def _debtor_highlighted(self, event: CallList.DebtorHighlighted) -> None:
        if self.current is not None:
            moved_by_user = self.query_one(CallList).table.has_focus
            if event.debtor_id != self.current.call.debtor_id and moved_by_user and not self._warned_switch:
                self._warned_switch = True
                self.notify(
                    self.L.get("in_call_with", name=self.view.file.debtor.name if self.view else ""), severity="warning"
                )
            return
        if event.debtor_id is None:
            self.view = None
            self.debtor_id = None
            self._show_empty()
            return
        if event.debtor_id != self.debtor_id:
            self.show_debtor(event.debtor_id)

    def _show_total(self, total: int) -> None:
        self.total = total
        self.query_one(CallList).border_subtitle = Content(str(total))

    @work(thread=True, exclusive=True, group="count")
    def _count_list(self, name_filter: str) -> None:
        total = self.desk.call_list_length(name_filter or None)
        self.app.call_from_thread(self._counted, name_filter, total)

    def _counted(self, name_filter: str, total: int) -> None:
        if name_filter == self.name_filter:  # not a count for a filter typed over since
            self._show_total(total)

    @on(CallList.NeedMore)
    def _load_more(self) -> None:
        call_list = self.query_one(CallList)
        if self.total is not None and call_list.shown >= self.total:
            return
        rows = self.desk.call_list(self.name_filter or None, settle=False, limit=PAGE, offset=call_list.shown)
        call_list.append_rows(rows, self.p)
        if len(rows) < PAGE:
            self._show_total(call_list.shown)

    @on(CallList.FilterChanged)
    def _filter_changed(self, event: CallList.FilterChanged) -> None:
        self.name_filter = event.text
        self.refresh_list(settle=False)  # typing filters what was just settled

    def show_debtor(self, debtor_id: int) -> None:
        self.debtor_id = debtor_id
        self.view = self.desk.debtor_view(debtor_id)
        if self.current is None:
            self.stage = 0
        checklist = self.query_one(Checklist)
        checklist.show_items(self.view.checklist, self.ticked.setdefault(debtor_id, set()))
        checklist.border_subtitle = Content(self.view.file.debtor.name)
        self.show_script()
        self.show_notes_status()

    def _show_empty(self) -> None:
        self.query_one(Checklist).show_items([], set())
        self.query_one("#stage-text", Static).update(Content.styled(self.L["call_list_empty"], "dim"))
        self.show_notes_status()

    # ----------------------------------------------------------------- script
    def show_script(self) -> None:
        if self.view is None:
            return
        script = self.desk.script
        key = script.stages[self.stage]
        facts = dict(self.view.facts)
        facts["recap"] = self._recap()
        stage = script.stage(key, facts)
        excuse = None
        if self.current and self.current.excuses:
            excuse = script.excuse(self.current.excuses[-1])
        questions = script.questions if key in ("negotiate", "close") else None
        qr, caption = self._transfer_qr() if key == "close" else (None, "")
        self.query_one(ScriptPane).show_stage(stage, questions=questions, excuse=excuse, qr=qr, qr_caption=caption)
        self._title_script()

    def _title_script(self) -> None:
        script = self.desk.script
        pane = self.query_one(ScriptPane)
        stages = " › ".join(
            f"[{script.title(k)}]" if i == self.stage else script.title(k) for i, k in enumerate(script.stages)
        )
        pane.border_title = Content(f"{self.L['script_title']} {self.stage + 1}/{len(script.stages)}: {stages}")
        ready, total = self.ready
        pane.border_subtitle = Content(self.L.get("checklist_ready", ready=ready, total=total))

    def _transfer_qr(self) -> tuple[list[str] | None, str]:
        """The EPC QR code for the amount being agreed, for the client's banking app."""
        if self.current is None or self.view is None:
            return None, ""
        from callcoach.domain.epc import EpcError, TransferRequest, epc_payload, qr_text_lines
        from callcoach.domain.references import creditor_reference

        entry = self.current.draft.lenient_entry(self.p.clock.today())
        if entry.outcome not in ("promise", "plan") or not entry.amount_cents or entry.currency != "EUR":
            return None, ""
        settings = self.desk.settings()
        overdue = self.view.file.overdue_invoices(self.p.clock.today())
        reference = creditor_reference(overdue[0].number) if overdue else ""
        try:
            payload = epc_payload(
                TransferRequest(
                    settings.company or settings.collector_name,
                    settings.iban,
                    entry.amount_cents,
                    settings.bic,
                    reference,
                )
            )
        except EpcError as exc:
            return None, str(exc)
        return qr_text_lines(payload), self.L.get(
            "qr_caption", amount=self.p.money(entry.amount_cents), reference=reference
        )

    def _recap(self) -> str:
        if self.current is None or self.view is None:
            return self.desk.script.recap(None, self.p)
        entry = self.current.draft.lenient_entry(self.p.clock.today())
        number = next((i.number for i in self.view.file.invoices if i.id == entry.invoice_id), "")
        return self.desk.script.recap(entry if self.current.draft.touched else None, self.p, number)

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
    def action_start_call(self) -> None:
        if self.current is not None:
            self.notify(self.L["already_in_call"], severity="warning")
            return
        if self.view is None or self.debtor_id is None:
            self.notify(self.L["nobody_selected"], severity="warning")
            return
        recent = self.desk.recent_call(self.debtor_id)
        if recent is not None:
            L = self.L
            body = Content.assemble(
                L.get("double_call_body", when=self.p.since(recent.started_at), outcome=L[f"outcome_{recent.outcome}"]),
                "\n\n",
                (" ".join(recent.notes.split())[:400], "italic"),
            )
            screen = ConfirmScreen(L["double_call_title"], body, L["double_call_yes"], L["double_call_no"], L)
            self.app.push_screen(screen, lambda yes: self._start_call(screen.typed) if yes else None)
            return
        self._start_call()

    def _start_call(self, typed: str = "") -> None:
        if self.view is None or self.debtor_id is None or self.current is not None:
            return
        contact = self.view.file.decision_maker() or self.view.file.primary_contact()
        try:
            call = self.desk.start_call(self.debtor_id, contact.id if contact else None)
        except UserError as exc:
            self.notify(in_language(str(exc), self.L), severity="error", markup=False)
            return
        self._enter_call(CallState(call=call))
        self._keep_typed(typed)
        self.refresh_day_bar()

    def _enter_call(self, state: CallState) -> None:
        self.current = state
        self.stage = state.stage
        self._warned_switch = False
        area = self.query_one(NotesPane).area
        area.read_only = False
        area.load_text(state.call.notes)
        area.move_cursor(area.document.end)
        area.focus()
        self.show_script()
        self.show_notes_status()

    def _resume_open_call(self) -> None:
        call = self.desk.open_call()
        if call is None:
            return
        self.debtor_id = None
        self.show_debtor(call.debtor_id)
        stages = self.desk.script.stages
        state = CallState(
            call=call,
            stage=stages.index(call.stage_reached) if call.stage_reached in stages else 0,
            excuses=[e for e in call.excuses.split(",") if e],
            draft=OutcomeDraft.from_json(call.outcome_draft),
        )
        self._enter_call(state)
        index = self.query_one(CallList).index_of(call.debtor_id)
        if index is not None:
            self.query_one(CallList).table.move_cursor(row=index, animate=False)
        L = self.L
        name = self.view.file.debtor.name if self.view else ""
        body = Content.assemble(
            L.get("call_resumed", name=name, time=self.p.since(call.started_at)),
            "\n\n",
            (" ".join(call.notes.split())[:400], "italic"),
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

    def show_notes_status(self) -> None:
        pane = self.query_one(NotesPane)
        if self.current is None:
            name = self.view.file.debtor.name if self.view else ""
            pane.show_status(self.L.get("press_to_call", name=name) if name else "", live=False)
            if pane.area.text and not pane.area.read_only:
                pane.area.load_text("")
            pane.area.read_only = True
            pane.border_subtitle = Content("")
            return
        started = self.current.call.started_at
        pane.show_status(
            self.L.get(
                "in_call",
                since=self.p.clock.local(started).strftime("%H:%M"),
                elapsed=pane.elapsed(started, self.p.clock.now()),
            ),
            live=True,
        )
        pane.border_subtitle = Content(self.view.file.debtor.name if self.view else "")

    def _tick(self) -> None:
        if self.current is not None:
            self.show_notes_status()

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self) -> None:
        if self.current is not None:
            self._schedule_draft()

    def _schedule_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._save_draft)

    def _draft_values(self) -> dict[str, object] | None:
        if self.current is None or self.current.call.id is None:
            return None
        return {
            "call_id": self.current.call.id,
            "notes": self.query_one(NotesPane).area.text,
            "stage": self.desk.script.stages[self.stage],
            "excuses": list(self.current.excuses),
            "outcome_draft": self.current.draft.to_json(),
        }

    def _save_draft(self) -> None:
        values = self._draft_values()
        if values is not None:
            self._write_draft(values)

    @work(thread=True, exclusive=True, group="draft")
    def _write_draft(self, values: dict[str, object]) -> None:
        try:
            self.desk.save_draft(**values)  # type: ignore[arg-type]
        except Exception as exc:
            where = ""
            with contextlib.suppress(OSError):
                where = str(save_draft_file(values))
            self.app.call_from_thread(
                self.notify,
                self.L.get("draft_not_saved", error=in_language(str(exc), self.L), where=where or "-"),
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
        values = self._draft_values()
        if values is None:
            return ""
        try:
            self.desk.save_draft(**values)  # type: ignore[arg-type]
            return self.L.get("draft_in_db", call=values["call_id"])
        except Exception:
            return str(save_draft_file(values))

    def action_pick_excuse(self) -> None:
        if self.view is None:
            return

        def chosen(key: str | None) -> None:
            if key is None:
                return
            if self.current is None:
                self.notify(self.L["start_first"], severity="warning")
                return
            self.current.excuses.append(key)
            if self.stage < 1:
                self.stage = self.current.stage = 1
            excuse = self.desk.script.excuse(key)
            if excuse is not None:
                area = self.query_one(NotesPane).area
                lines = [f"— {excuse.label}"] + [f"  {field} " for field in excuse.capture]
                prefix = "" if not area.text or area.text.endswith("\n") else "\n"
                first_row = area.document.end[0] + (1 if prefix else 0) + 1
                area.insert(prefix + "\n".join(lines) + "\n", area.document.end)
                if excuse.capture:
                    # The cursor waits on the first thing to capture.
                    area.move_cursor((first_row, len(lines[1])))
                area.focus()
            self.show_script()
            self._schedule_draft()

        self.app.push_screen(ExcuseScreen(self.desk.script.excuses, self.L["excuse_title"], self.L), chosen)

    def action_end_call(self) -> None:
        if self.current is None or self.view is None:
            self.notify(self.L["no_call"], severity="warning")
            return
        state = self.current

        def save(entry: OutcomeEntry) -> str | None:
            values = self._draft_values()
            assert values is not None and state.call.id is not None
            try:
                ended = self.desk.end_call(
                    state.call.id,
                    entry,
                    notes=str(values["notes"]),
                    stage=str(values["stage"]),
                    excuses=list(state.excuses),
                )
            except UserError as exc:
                return str(exc)
            self._after_call(ended.outcome)
            recap.append(ended.email_path)
            return None

        recap: list[str | None] = []

        def closed(_: object) -> None:
            if self.current is not None:
                self.show_script()
                self.query_one(NotesPane).area.focus()
            elif recap and recap[0]:
                self.review_email(recap[0])

        self.app.push_screen(OutcomeScreen(view=self.view, draft=state.draft, desk=self.desk, on_save=save), closed)

    def review_email(self, path: str) -> None:
        """The recap is read before it leaves (domain 5.3); if the file cannot be read, say where it is."""
        try:
            email = self.desk.saved_email(path)
        except UserError as exc:
            self.notify(in_language(str(exc), self.L), severity="error", markup=False, timeout=10)
            return
        self.app.push_screen(RecapScreen(self.desk, email))

    def _after_call(self, outcome: str) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        debtor_id = self.current.call.debtor_id if self.current else self.debtor_id
        self.current = None
        self.stage = 0
        self.query_one(NotesPane).area.load_text("")
        # The cursor follows the debtor to its new place; the panes show the saved history. A
        # call records no payment, so there is nothing to settle: a plain re-read, no write lock.
        self.debtor_id = debtor_id
        self.refresh_list(settle=False)
        self.query_one(CallList).table.focus()
        self.notify(self.L.get("call_saved", outcome=self.L[f"outcome_{outcome}"]))
        self.call_after_refresh(self.refresh_day_bar)  # the day's figures follow the new order's frame

    # ------------------------------------------------------ follow-through
    def action_history(self) -> None:
        if self.view is None or self.debtor_id is None:
            self.notify(self.L["nobody_selected"], severity="warning")
            return
        screen = HistoryScreen(self.desk, self.debtor_id, self.view.file.debtor.name)
        self.app.push_screen(screen, lambda changed: self._reload() if changed else None)

    def action_payment(self) -> None:
        if self.view is None:
            self.notify(self.L["nobody_selected"], severity="warning")
            return

        def done(saved: bool | None) -> None:
            if saved:
                self.notify(self.L["payment_recorded"])
                self._reload()

        self.app.push_screen(PaymentScreen(self.desk, self.view), done)

    def action_plan(self) -> None:
        if self.view is None:
            self.notify(self.L["nobody_selected"], severity="warning")
            return
        file = self.view.file
        totals = file.claimable_by_currency(self.p.clock.today())
        if not totals:
            return
        currency = max(totals, key=lambda c: totals[c])
        claimable = totals[currency]

        def chosen(plan: ChosenPlan | None) -> None:
            if plan is None or self.current is None:
                return
            draft = self.current.draft
            draft.outcome = "plan"
            draft.amount = self.p.amount_input(plan.per_payment_cents)
            draft.count = str(plan.count)
            draft.date = self.p.day(self.p.clock.today())
            draft.touched = True
            self.notify(self.L["plan_used"])
            self.show_script()

        self.app.push_screen(PlanScreen(self.desk, max(claimable, 0), currency, file.debtor.name), chosen)

    def _reload(self) -> None:
        self.refresh_list()
        self.refresh_day_bar()

    # ---------------------------------------------------------------- misc
    def action_filter(self) -> None:
        self.query_one(CallList).open_filter()

    def action_toggle_keys(self) -> None:
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        else:
            self.app.action_show_help_panel()
