"""Recording a payment received, from the desk: promises are settled at once."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from callcoach.domain.dates import DateError, parse_user_date
from callcoach.domain.kinds import PaymentMethod
from callcoach.domain.money import AmountError, parse_amount
from callcoach.services.desk import DebtorView, Desk
from callcoach.services.errors import UserError
from callcoach.tui.keys import localise
from callcoach.tui.problems import in_language

OLDEST_FIRST = "*"


class PaymentScreen(ModalScreen[bool]):
    CSS_PATH = Path(__file__).with_name("modal.tcss")
    BINDINGS = [
        Binding("escape", "dismiss(False)", "Cancel", id="payment.cancel"),
        Binding("ctrl+s", "save", "Save", id="payment.save", priority=True),
    ]

    def __init__(self, desk: Desk, view: DebtorView) -> None:
        super().__init__()
        self.desk, self.view = desk, view
        localise(self, desk.presenter.labels)

    def compose(self) -> ComposeResult:
        L, p = self.desk.presenter.labels, self.desk.presenter
        invoices = [(Content(L["payment_oldest_first"]), OLDEST_FIRST)] + [
            (Content(f"{i.number} — {p.money(i.amount_cents - i.paid_cents, i.currency)}"), i.number)
            for i in self.view.file.open_invoices()
        ]
        methods = self.desk.script.data["methods"]
        with Vertical(classes="dialog") as box:
            box.border_title = Content(f"{L['payment_title']} — {self.view.file.debtor.name}")
            yield self._row(
                "invoice",
                Select(
                    invoices, value=invoices[0][1] if invoices else Select.NULL, id="invoice", compact=True, prompt="—"
                ),
            )
            yield self._row("amount", Input(id="amount", compact=True))
            yield self._row("date", Input(p.day(p.clock.today()), id="date", compact=True))
            yield self._row(
                "method",
                Select(
                    [(methods[m.value], m.value) for m in PaymentMethod],
                    value=PaymentMethod.TRANSFER.value,
                    id="method",
                    compact=True,
                ),
            )
            yield Static(id="message", classes="errors", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(L["form_save"], id="save", variant="primary", compact=True)
                yield Button(L["form_cancel"], id="cancel", compact=True)
        yield Footer()

    def _row(self, name: str, widget: Input | Select) -> Horizontal:  # type: ignore[type-arg]
        label = self.desk.presenter.labels["form_invoice_paid" if name == "invoice" else f"form_{name}"]
        return Horizontal(Label(label, classes="field-label"), widget, classes="field")

    def on_mount(self) -> None:
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
