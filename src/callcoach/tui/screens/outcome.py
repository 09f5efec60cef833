"""Ending a call: what happened, with the fields that outcome needs.

The form writes into an OutcomeDraft owned by the call, so cancelling keeps every value
typed and the call stays open; saving is refused, with the reason, until the entry is
complete.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static

from callcoach.domain.kinds import Consequence, Fault, NextStep, NonPaymentReason, Outcome, PaymentMethod
from callcoach.domain.outcomes import NEEDS, NOBODY_REACHED, POST_DAYS, OutcomeEntry, problems
from callcoach.domain.worded import Problem
from callcoach.services.debtors import DebtorFile
from callcoach.services.desk import DebtorView, Desk
from callcoach.tui.kept import KeptDialog
from callcoach.tui.keys import localise
from callcoach.tui.problems import in_language
from callcoach.tui.screens.outcome_branches import apply_captured, shown_rows, with_cheque
from callcoach.tui.screens.outcome_draft import OutcomeDraft
from callcoach.tui.widgets.footer import KeyFooter
from callcoach.tui.widgets.ticks import Tick, TickList

FIELDS = (
    "answered_by",
    "contact",
    "direct_line",
    "next_step",
    "amount",
    "first",
    "count",
    "date",
    "time",
    "method",
    "invoice",
    "reason",
    "rest_amount",
    "rest_date",
    "cheque_number",
    "sent_on",
)


INPUTS = (
    "answered_by",
    "direct_line",
    "amount",
    "first",
    "count",
    "date",
    "time",
    "cheque_number",
    "sent_on",
    "reason",
    "rest_amount",
    "rest_date",
    "consequence_date",
    "commitment",
    "commitment_date",
    "commitment_time",
)
SELECTS = ("outcome", "contact", "why", "next_step", "method", "invoice", "consequence")
SaveOutcome = Callable[[OutcomeEntry], str | None]


class OutcomeScreen(KeptDialog[bool]):
    """The end-of-call form of one desk. It has some seventy widgets: composing and styling
    them takes several times what a key may, so the desk builds it once, before the first
    F3, and ``load`` refills it for each call (``tui.kept``)."""

    CSS_PATH = "outcome.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="outcome.cancel"),
        Binding("ctrl+s", "save", "Save", id="outcome.save", priority=True),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.L = desk.presenter.labels
        self.view: DebtorView | None = None
        self.draft = OutcomeDraft()
        self.on_save: SaveOutcome = lambda _entry: None
        localise(self, desk.presenter.labels)

    def load(
        self,
        *,
        view: DebtorView,
        draft: OutcomeDraft,
        on_save: SaveOutcome,
        captured: dict[str, str] | None = None,
        fresh: bool = False,
    ) -> OutcomeScreen:
        """This call's debtor and draft, in the fields. ``fresh``: an excuse was picked since
        the form was last open; what it captured fills the form again even over values
        already chosen."""
        self.view, self.draft, self.on_save = view, draft, on_save
        self._fill_defaults(captured or {}, fresh=fresh)
        if self.is_mounted:
            self._refill()
        return self

    @property
    def file(self) -> DebtorFile:
        assert self.view is not None, "the form is loaded before it is shown"
        return self.view.file

    def _fill_defaults(self, captured: dict[str, str], *, fresh: bool = False) -> None:
        """The figures of ``domain.claims`` and what the call captured, unless the collector
        already chose: a form to check, not to type again."""
        d, p = self.draft, self.desk.presenter
        today = p.clock.today()
        file = self.file
        d.currency = file.main_currency(today) or d.currency
        if fresh or not d.touched:
            apply_captured(d, captured, today)
            if d.amount == d.auto_amount:
                d.amount = ""  # proposed again for the outcome the call took
        if not d.date:
            d.date = (today + timedelta(days=1)).strftime("%d/%m/%Y")
        if not d.contact:
            contact = file.whom_to_ask()
            d.contact = str(contact.id) if contact else ""
        overdue = file.overdue_invoices(today)
        if not d.invoice and overdue:
            d.invoice = str(overdue[0].id)
        if not d.amount:
            self._propose_amount()

    def _proposed_amount(self) -> int:
        """A dispute: what remains on the chosen invoice; otherwise what is asked for."""
        file, today = self.file, self.desk.clock.today()
        if self.draft.outcome == Outcome.DISPUTE:
            invoice = next((i for i in file.invoices if str(i.id) == self.draft.invoice), None)
            return invoice.amount_cents - invoice.paid_cents if invoice is not None else 0
        return file.claimable_by_currency(today).get(self.draft.currency, 0)

    def _propose_amount(self) -> None:
        """Only where the outcome asks for an amount: nobody reached, nothing proposed."""
        cents = self._proposed_amount() if "amount" in NEEDS[Outcome(self.draft.outcome)] else 0
        text = self.desk.presenter.amount_input(cents) if cents > 0 else ""
        self.draft.amount = self.draft.auto_amount = text

    def compose(self) -> ComposeResult:
        with Vertical(id="outcome-box"):
            yield from self._form()
        yield KeyFooter()

    def _form(self) -> ComposeResult:
        """The fields, empty: ``_refill`` puts the debtor's choices and the draft's values in."""
        L = self.L
        methods = self.desk.script.data["methods"]
        hint = L["form_time_hint"]
        full, short = L["form_date_full"], L["form_date_short"]  # the date patterns, in the collector's letters
        # Not focusable itself: a scroll that held the focus restyles all its fields when it loses it.
        with VerticalScroll(id="outcome-form", can_focus=False):
            yield Static(id="outcome-title")
            options = [(L[f"outcome_{o}"], str(o)) for o in Outcome]
            yield self._row("outcome", Select(options, allow_blank=False, id="outcome", compact=True))
            yield self._row("answered_by", Input(id="answered_by", compact=True))
            yield self._row("contact", Select([], id="contact", compact=True, prompt="—"))
            yield self._row("direct_line", Input(id="direct_line", compact=True))
            options = [(L[f"why_{w}"], str(w)) for w in NonPaymentReason]
            yield self._row("why", Select(options, id="why", compact=True, prompt="—"))
            options = [(L[f"next_{n}"], str(n)) for n in NextStep]
            yield self._row("next_step", Select(options, id="next_step", compact=True, prompt="—"))
            yield self._row("amount", Input(id="amount", compact=True))
            yield self._row("first", Input(id="first", compact=True))
            yield self._row("count", Input(id="count", compact=True, placeholder="2–60"))
            yield self._row("date", Input(id="date", compact=True, placeholder=f"{full}, {short}, +3"))
            yield self._row("time", Input(id="time", compact=True, placeholder=hint))
            options = [(methods[m.value], m.value) for m in PaymentMethod]
            yield self._row("method", Select(options, id="method", compact=True))
            yield self._row("cheque_number", Input(id="cheque_number", compact=True))
            yield self._row("sent_on", Input(id="sent_on", compact=True, placeholder=f"{full}, {short}"))
            yield self._row("invoice", Select([], id="invoice", compact=True, prompt="—"))
            yield self._row("reason", Input(id="reason", compact=True))
            yield self._row("rest_amount", Input(id="rest_amount", compact=True))
            yield self._row("rest_date", Input(id="rest_date", compact=True, placeholder=f"{full}, {short}, +3"))
            yield Static(Content.styled(L["form_also"], "bold $text-muted"), id="also")
            options = [(L[f"consequence_{c}"], str(c)) for c in Consequence]
            yield self._row("consequence", Select(options, id="consequence", compact=True, prompt="—"))
            yield self._row("consequence_date", Input(id="consequence_date", compact=True, placeholder=f"{full}, +7"))
            yield self._row("commitment", Input(id="commitment", compact=True, placeholder=L["form_commitment_hint"]))
            yield self._row("commitment_date", Input(id="commitment_date", compact=True, placeholder=f"{short}, +1"))
            yield self._row("commitment_time", Input(id="commitment_time", compact=True, placeholder=hint))
            yield Tick(L["form_in_difficulty"], id="in_difficulty", compact=True)
            yield TickList(*[(Content(L[f"fault_{f}"]), str(f)) for f in Fault], id="faults", compact=True)
        # Below the scrolling fields, always in view: the sentence being agreed, what is wrong, the buttons.
        with Vertical(id="outcome-bottom"):
            yield Static(id="recap", markup=False)
            yield Static(id="errors", markup=False)
            with Horizontal(id="buttons"):
                yield Button(L["form_save"], id="save", variant="primary", compact=True)
                yield Button(L["form_cancel"], id="cancel", compact=True)

    def _row(self, name: str, widget: Select | Input) -> Horizontal:  # type: ignore[type-arg]
        return Horizontal(
            Label(self.L[f"form_{name}"], classes="field-label"), widget, id=f"row-{name}", classes="field"
        )

    def on_mount(self) -> None:
        self.styled_now()
        if self.view is not None:  # loaded before the form was built: the first F3 came early
            self._refill()

    def _refill(self) -> None:
        """Every field from the draft, without the change events that typing would send."""
        d, p, file = self.draft, self.desk.presenter, self.file
        contacts = [(Content(c.name), str(c.id)) for c in file.contacts]
        invoices = [
            (Content(f"{i.number} — {p.money(i.amount_cents - i.paid_cents, i.currency)}"), str(i.id))
            for i in file.open_invoices()
        ]
        title = Content.assemble((self.L["form_title"], "bold"), " — ", file.debtor.name)
        self.query_one("#outcome-title", Static).update(title)
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed, SelectionList.SelectedChanged):
            self.query_one("#contact", Select).set_options(contacts)
            self.query_one("#invoice", Select).set_options(invoices)
            for name in SELECTS:
                select = self.query_one(f"#{name}", Select)
                value = getattr(d, name)
                select.value = value if value in select._legal_values else select.NULL
            for name in INPUTS:
                field_input = self.query_one(f"#{name}", Input)
                field_input.value = getattr(d, name)
                field_input.cursor_position = len(field_input.value)
            self.query_one("#in_difficulty", Checkbox).value = d.in_difficulty
            faults = self.query_one("#faults", SelectionList)
            faults.deselect_all()
            for fault in d.faults:
                faults.select(fault)
        self.query_one("#outcome-form", VerticalScroll).scroll_home(animate=False)
        self._update()
        self.query_one("#outcome", Select).focus()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        # A choice made, not the value a refill or the Select's own mount put there.
        if self.view is None or event.value != event.select.value:
            return
        value = "" if event.value is Select.NULL else str(event.value)
        if getattr(self.draft, str(event.select.id)) == value:
            return
        setattr(self.draft, str(event.select.id), value)
        self.draft.touched = True
        if event.select.id in ("outcome", "invoice") and self.draft.amount == self.draft.auto_amount:
            self._propose_amount()
            amount = self.query_one("#amount", Input)
            with amount.prevent(Input.Changed):
                amount.value = self.draft.amount
        self._update()

    @on(Checkbox.Changed, "#in_difficulty")
    def _difficulty(self, event: Checkbox.Changed) -> None:
        if self.view is not None:
            self.draft.in_difficulty = event.value

    @on(SelectionList.SelectedChanged, "#faults")
    def _faults(self, event: SelectionList.SelectedChanged) -> None:  # type: ignore[type-arg]
        if self.view is not None:
            self.draft.faults = [str(v) for v in event.selection_list.selected]

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if self.view is None:
            return
        setattr(self.draft, str(event.input.id), event.value)
        self.draft.touched = True
        if event.input.id == "sent_on" and self.draft.date == self.draft.auto_date:
            from callcoach.tui.screens.outcome_branches import expect_cheque

            expect_cheque(self.draft, self.desk.clock.today())  # the expected date follows the sending
            date_input = self.query_one("#date", Input)
            with date_input.prevent(Input.Changed):
                date_input.value = self.draft.date
        self._update()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def _update(self) -> None:
        outcome = Outcome(self.draft.outcome)
        needs = shown_rows(self.draft)
        for name in FIELDS:
            self.query_one(f"#row-{name}").display = name in needs
        self.query_one("#row-why").display = outcome not in NOBODY_REACHED
        date_label = "form_next_date" if "next" in NEEDS[outcome] else "form_slot_date"
        if outcome not in (Outcome.GATEKEEPER,) and "next" not in NEEDS[outcome]:
            date_label = "form_cheque_date" if with_cheque(self.draft) and self.draft.sent_on.strip() else "form_date"
        self.query_one("#row-date Label", Label).update(self.L.get(date_label, days=POST_DAYS))
        contact_label = "form_asked_for" if outcome == Outcome.GATEKEEPER else "form_contact"
        self.query_one("#row-contact Label", Label).update(self.L[contact_label])
        self.query_one("#row-consequence_date").display = bool(self.draft.consequence)
        with_commitment = bool(self.draft.commitment.strip())
        self.query_one("#row-commitment_date").display = with_commitment
        self.query_one("#row-commitment_time").display = with_commitment
        each = self.draft.outcome == Outcome.PLAN
        self.query_one("#row-amount Label", Label).update(self.L["form_amount_each" if each else "form_amount"])
        entry = self.draft.lenient_entry(self.desk.clock.today())
        number = next((i.number for i in self.file.invoices if i.id == entry.invoice_id), "")
        contact = self.view.facts.get("contact", "") if self.view else ""
        recap = self.desk.script.recap(entry, self.desk.presenter, number, contact)
        self.query_one("#recap", Static).update(Content.assemble(("» ", "bold $accent"), (recap, "italic")))
        self.query_one("#errors", Static).update("")

    def _show_errors(self, errors: list[Problem]) -> None:
        shown = "\n".join(in_language(error, self.L) for error in errors)
        self.query_one("#errors", Static).update(Content.styled(shown, "$error"))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        today = self.desk.clock.today()
        entry, errors = self.draft.parse(today)
        errors += [e for e in problems(entry, today) if e.field not in {x.field for x in errors}]
        if errors:
            self._show_errors(errors)
            return
        failure = self.on_save(entry)
        if failure:
            self._show_errors([failure])
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
