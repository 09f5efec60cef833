"""Recording a payment received, from the desk: promises are settled at once.

Built once per desk and refilled for each debtor (``tui.kept``)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from callcoach.domain.dates import DateError, parse_user_date
from callcoach.domain.kinds import PaymentMethod
from callcoach.domain.money import AmountError, parse_amount
from callcoach.services.desk import DebtorView, Desk
from callcoach.services.errors import UserError
from callcoach.tui.kept import KeptDialog
from callcoach.tui.keys import localise
from callcoach.tui.problems import in_language
from callcoach.tui.widgets.footer import KeyFooter

OLDEST_FIRST = "*"


class PaymentScreen(KeptDialog[bool]):
    CSS_PATH = Path(__file__).with_name("modal.tcss")
    BINDINGS = [
        Binding("escape", "dismiss(False)", "Cancel", id="payment.cancel"),
        Binding("ctrl+s", "save", "Save", id="payment.save", priority=True),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.view: DebtorView | None = None
        localise(self, desk.presenter.labels)

    def load(self, view: DebtorView) -> PaymentScreen:
        """The debtor's open invoices, today's date, an empty amount: a fresh form, built once
        per desk (``tui.kept``)."""
        self.view = view
        if self.is_mounted:
            self._refill()
        return self

    def compose(self) -> ComposeResult:
        L = self.desk.presenter.labels
        methods = self.desk.script.data["methods"]
        with Vertical(classes="dialog", id="payment-box"):
            yield self._row("invoice", Select([], id="invoice", compact=True, prompt="—"))
            yield self._row("amount", Input(id="amount", compact=True))
            yield self._row("date", Input(id="date", compact=True))
            options = [(methods[m.value], m.value) for m in PaymentMethod]
            yield self._row("method", Select(options, id="method", compact=True))
            yield Static(id="message", classes="errors", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(L["form_save"], id="save", variant="primary", compact=True)
                yield Button(L["form_cancel"], id="cancel", compact=True)
        yield KeyFooter()

    def _row(self, name: str, widget: Input | Select) -> Horizontal:
        label = self.desk.presenter.labels["form_invoice_paid" if name == "invoice" else f"form_{name}"]
        return Horizontal(Label(label, classes="field-label"), widget, classes="field")

    def on_mount(self) -> None:
        self.styled_now()
        if self.view is not None:  # loaded before the form was built
            self._refill()

    def _refill(self) -> None:
        assert self.view is not None
        L, p = self.desk.presenter.labels, self.desk.presenter
        file = self.view.file
        invoices = [(Content(L["payment_oldest_first"]), OLDEST_FIRST)] + [
            (Content(f"{i.number} — {p.money(i.amount_cents - i.paid_cents, i.currency)}"), i.number)
            for i in file.open_invoices()
        ]
        self.query_one("#payment-box").border_title = Content(f"{L['payment_title']} — {file.debtor.name}")
        self.query_one("#invoice", Select).set_options(invoices)
        self.query_one("#invoice", Select).value = OLDEST_FIRST
        self.query_one("#amount", Input).value = ""
        self.query_one("#date", Input).value = p.day(p.clock.today())
        self.query_one("#method", Select).value = PaymentMethod.TRANSFER.value
        self.query_one("#message", Static).update("")
        self.query_one("#amount", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        invoice = self.query_one("#invoice", Select).value
        method = self.query_one("#method", Select).value
        try:
            if invoice is Select.NULL:
                raise UserError("invoice: choose one", code="payment_needs_invoice")
            cents = parse_amount(self.query_one("#amount", Input).value)
            day = parse_user_date(self.query_one("#date", Input).value, self.desk.clock.today())
            how = None if method is Select.NULL else str(method)
            assert self.view is not None
            if invoice == OLDEST_FIRST:
                assert self.view.file.debtor.id is not None
                self.desk.record_debtor_payment(self.view.file.debtor.id, cents, day, how)
            else:
                self.desk.record_payment(str(invoice), cents, day, how)
        except (UserError, AmountError, DateError) as exc:
            message = in_language(exc, self.desk.presenter.labels)
            self.query_one("#message", Static).update(Content.styled(message, "$error"))
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(False)
