"""The desk's debtor keys: history, payment, plan, a new contact, the overview.

Each opens a dialog on the debtor under the cursor and reloads the desk with what it
changed; the desk screen mixes them in beside its call keys.
"""

from __future__ import annotations

from callcoach.services.calllist import DueWindow
from callcoach.services.contacts import NewContact
from callcoach.services.errors import UserError
from callcoach.tui.screens.contact import ContactScreen
from callcoach.tui.screens.history import HistoryScreen
from callcoach.tui.screens.outcome_draft import OutcomeDraft
from callcoach.tui.screens.payment import PaymentScreen
from callcoach.tui.screens.plan import ChosenPlan, PlanScreen
from callcoach.tui.widgets.call_list import CallList
from callcoach.tui.widgets.notes_pane import NotesPane


class DebtorActions:
    """Keys about the debtor shown, in or out of a call (a mixin of DeskScreen, whose state it uses)."""

    def action_history(self) -> None:
        if self.view is None or self.debtor_id is None:
            self.notify(self.L["nobody_selected"], severity="warning")
            return
        screen = HistoryScreen(self.desk, self.debtor_id, self.debtor_name())
        self.app.push_screen(screen, lambda changed: self._reload() if changed else None)

    def action_payment(self) -> None:
        if self.view is None:
            self.notify(self.L["nobody_selected"], severity="warning")
            return

        def done(saved: bool | None) -> None:
            if saved:
                self.notify(self.L["payment_recorded"])
                self._reload()

        self.app.push_screen(self.form(PaymentScreen).load(self.view), done)

    def action_plan(self) -> None:
        if self.view is None:
            self.notify(self.L["nobody_selected"], severity="warning")
            return
        totals = self.view.file.claimable_by_currency(self.p.clock.today())
        currency = self.view.file.main_currency(self.p.clock.today())
        if currency is None:
            return

        def chosen(plan: ChosenPlan | None) -> None:
            if plan is None or self.current is None:
                return
            draft = self.current.draft
            assert isinstance(draft, OutcomeDraft)
            draft.outcome = "plan"
            draft.amount = self.p.amount_input(plan.total_cents)
            draft.first = self.p.amount_input(plan.first_cents) if plan.first_cents is not None else ""
            draft.count = str(plan.count)
            draft.currency = currency
            draft.date = self.p.day(self.p.clock.today())
            draft.touched = True
            self.notify(self.L["plan_used"])
            self.show_script()

        screen = PlanScreen(self.desk, max(totals[currency], 0), currency, self.debtor_name())
        self.app.push_screen(screen, chosen)

    def action_add_contact(self) -> None:
        """A name, a direct line or an e-mail learned on the phone goes into the file (domain 7.7)."""
        if self.view is None or self.debtor_id is None:
            self.notify(self.L["nobody_selected"], severity="warning")
            return
        debtor_id = self.debtor_id
        call_id = self.current.call.id if self.current else None

        def save(new: NewContact) -> str | None:
            try:
                self.desk.add_contact(debtor_id, new, call_id=call_id)
            except UserError as exc:
                return str(exc)
            return None

        def saved(name: str | None) -> None:
            if name:
                self.notify(self.L.get("contact_saved", name=name), markup=False)
                self.show_debtor(debtor_id)
            if self.current is not None:
                self.query_one(NotesPane).area.focus()

        self.app.push_screen(ContactScreen(self.L, self.debtor_name(), save), saved)

    def _reload(self) -> None:
        self.desk.ledger_seen()  # what was just saved is read here, not again at the next tick
        self.refresh_list()
        self.refresh_day_bar()

    def action_overview(self) -> None:
        from callcoach.tui.screens.overview import open_overview

        open_overview(self, self.desk, self._keep_bucket)

    def _keep_bucket(self, window: DueWindow | None) -> None:
        """The call list keeps the debtors of the aging bucket picked on the overview."""
        if window is None:
            return
        from callcoach.playbook import Labels

        words = Labels(self.desk.lang, "overview")
        call_list = self.query_one(CallList)
        call_list.keep_bucket(
            window, words.get("filtered", bucket=words[f"bucket_{window.bucket}"], currency=window.currency)
        )
        call_list.table.focus()
