"""The instalment-plan calculator (domain 4.4): the client's offer, in dates and years."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from callcoach.domain.money import AmountError, parse_amount
from callcoach.domain.plans import PlanProposal, duration_words, propose
from callcoach.services.desk import Desk
from callcoach.services.recap import schedule_words
from callcoach.tui.keys import localise
from callcoach.tui.problems import in_language
from callcoach.tui.widgets.footer import KeyFooter


@dataclass(frozen=True)
class ChosenPlan:
    """What the form receives: the same figures the calculator showed (its schedule is
    rebuilt from these by ``domain.plans.schedule``, identically)."""

    count: int
    total_cents: int
    first_cents: int | None = None


class PlanScreen(ModalScreen[ChosenPlan | None]):
    CSS_PATH = Path(__file__).with_name("modal.tcss")
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="plan.close"),
        Binding("ctrl+s", "use", "Use this plan", id="plan.use", priority=True),
    ]

    def __init__(self, desk: Desk, total_cents: int, currency: str, name: str) -> None:
        super().__init__()
        self.desk, self.total, self.currency, self.debtor_name = desk, total_cents, currency, name
        localise(self, desk.presenter.labels)
        self.proposal: PlanProposal | None = None

    def compose(self) -> ComposeResult:
        L, p = self.desk.presenter.labels, self.desk.presenter
        with Vertical(classes="dialog") as box:
            box.border_title = Content(f"{L['plan_title']} — {self.debtor_name}")
            yield Static(
                Content.assemble(L["plan_total"], " ", (p.money(self.total, self.currency), "bold")), classes="body"
            )
            yield Horizontal(
                Label(L["plan_per_month"], classes="field-label"),
                Input(id="per_month", compact=True, placeholder="100"),
                classes="field",
            )
            yield Horizontal(
                Label(L["plan_count"], classes="field-label"),
                Input(id="count", compact=True, placeholder="6"),
                classes="field",
            )
            yield Horizontal(
                Label(L["plan_first"], classes="field-label"),
                Input(id="first", compact=True, placeholder="1000"),
                classes="field",
            )
            yield Static(id="result", classes="result", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(L["plan_use"], id="use", variant="primary", compact=True)
                yield Button(L["form_cancel"], id="cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#per_month", Input).focus()

    @on(Input.Changed, "#first")
    def _first(self) -> None:
        self._compute()

    @on(Input.Changed, "#per_month, #count")
    def _offer(self, event: Input.Changed) -> None:
        other = "#count" if event.input.id == "per_month" else "#per_month"
        if event.value.strip():
            with self.query_one(other, Input).prevent(Input.Changed):
                self.query_one(other, Input).value = ""
        self._compute()

    def _compute(self) -> None:
        L, p = self.desk.presenter.labels, self.desk.presenter
        per_text = self.query_one("#per_month", Input).value.strip()
        count_text = self.query_one("#count", Input).value.strip()
        first_text = self.query_one("#first", Input).value.strip()
        result = self.query_one("#result", Static)
        self.proposal = None
        try:
            first_cents = parse_amount(first_text) if first_text else None
            if per_text:
                proposal = propose(
                    self.total,
                    first=p.clock.today(),
                    max_months=self._max(),
                    per_month_cents=parse_amount(per_text),
                    first_cents=first_cents,
                )
            elif count_text.isdigit():
                proposal = propose(
                    self.total,
                    first=p.clock.today(),
                    max_months=self._max(),
                    count=int(count_text),
                    first_cents=first_cents,
                )
            else:
                result.update("")
                return
        except (AmountError, ValueError) as exc:
            result.update(Content.styled(in_language(exc, L), "$error"))
            return
        self.proposal = proposal
        lines: list[str | tuple[str, str]] = [
            L.get(
                "plan_result",
                count=proposal.count,
                schedule=schedule_words(proposal.instalments, p, self.currency, own_first=first_cents is not None),
                first=p.day(proposal.first),
                end=p.day(proposal.end),
                total=p.money(sum(i.amount_cents for i in proposal.instalments), self.currency),
            )
        ]
        if proposal.too_long:
            lines += [
                "\n",
                (
                    L.get(
                        "plan_too_long",
                        per=p.money(proposal.per_payment_cents, self.currency),
                        duration=duration_words(proposal.months_needed, p.lang),
                        max=self._max(),
                        fitting=p.money(proposal.fitting_per_month_cents, self.currency),
                    ),
                    "bold $warning",
                ),
            ]
        result.update(Content.assemble(*lines))

    def _max(self) -> int:
        return self.desk.settings().plan_max_months

    @on(Button.Pressed, "#use")
    def action_use(self) -> None:
        if self.proposal is not None:
            self.dismiss(ChosenPlan(self.proposal.count, self.proposal.total_cents, self.proposal.first_cents))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
