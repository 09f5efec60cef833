"""The pre-call checklist (domain 2): each item with its data, or a visible warning."""

from __future__ import annotations

from dataclasses import dataclass, field
from string import Template

from callcoach.domain.kinds import DisputeStatus, OrgKind
from callcoach.domain.text import brief
from callcoach.playbook import load
from callcoach.presenting import Presenter
from callcoach.services.calllist import DueItem
from callcoach.services.debtors import DebtorFile
from callcoach.services.records import ContactRecord, SettingsRecord

RECENT_CALLS = 3
NOTES_SHOWN = 120  # characters of a call's notes in the history, cut between words


@dataclass(frozen=True)
class Line:
    text: str
    warning: bool = False


@dataclass
class ChecklistItem:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)

    @property
    def warnings(self) -> int:
        return sum(1 for line in self.lines if line.warning)


class _Texts:
    def __init__(self, lang: str) -> None:
        data = load("checklist", lang)
        self.titles: dict[str, str] = data["titles"]
        self.text: dict[str, str] = data["text"]
        self.advice: dict[str, object] = data["advice"]

    def title(self, key: str, **values: object) -> str:
        return Template(self.titles[key]).safe_substitute(values)

    def line(self, key: str, **values: object) -> Line:
        text = Template(self.text[key]).safe_substitute({k: v or "—" for k, v in values.items()})
        return Line(text, warning=text.startswith("⚠"))


def build_checklist(file: DebtorFile, settings: SettingsRecord, p: Presenter) -> list[ChecklistItem]:
    t = _Texts(p.lang)
    today = p.clock.today()
    overdue = file.overdue_invoices(today)
    items = [_whom(file, t, p), _reach(file, t)]
    items += [_invoice(inv, t, p, today) for inv in overdue]
    late = _late_costs(file, settings, t, p, today)
    if late is not None:
        items.append(late)
    items.append(_history(file, t, p))
    items.append(_objective(file, settings, t, p, today))
    advice = _advice(file, t, p, today)
    if advice:
        items.append(advice)
    return items


def _whom(file: DebtorFile, t: _Texts, p: Presenter) -> ChecklistItem:
    item = ChecklistItem("whom", t.title("whom"))
    if not file.contacts:
        item.lines.append(t.line("no_contact"))
        return item
    decider = file.decision_maker()
    first = file.whom_to_ask()
    assert first is not None
    item.lines.append(t.line("ask_for", name=first.name, role=first.role, phone=_phones(first)))
    item.lines.append(t.line(f"can_release_{first.can_release_payment}"))
    if decider is None:
        item.lines.append(t.line("no_decision_maker"))
    for other in file.contacts:
        if other.id != first.id:
            item.lines.append(t.line("other_contact", name=other.name, role=other.role, phone=_phones(other)))
            if other.email:
                item.lines.append(t.line("contact_email", email=other.email))
    for contact in file.contacts:
        learned = _learned_on(file, contact.found_in_call_id)
        if learned is not None:
            item.lines.append(t.line("learned_contact", name=contact.name, date=p.spoken_day(learned)))
    return item


def _phones(contact: ContactRecord) -> str:
    """The number to dial first (a direct line learned in a call), then the other one."""
    return " / ".join(phone for phone in (contact.phone, contact.phone_alt) if phone)


def _learned_on(file: DebtorFile, call_id: int | None):
    """The day of the call a contact was learned in, so the collector sees what is new since."""
    if call_id is None:
        return None
    call = next((c for c in file.calls if c.id == call_id), None)
    return call.started_at.date() if call is not None else None


def _reach(file: DebtorFile, t: _Texts) -> ChecklistItem:
    d = file.debtor
    item = ChecklistItem("reach", t.title("reach"))
    item.lines.append(t.line("address", address=d.address) if d.address else t.line("no_address"))
    emails = [d.email] + [c.email for c in file.contacts]
    email = next((e for e in emails if e), None)
    item.lines.append(t.line("email", email=email) if email else t.line("no_email"))
    return item


def _invoice(inv, t: _Texts, p: Presenter, today) -> ChecklistItem:
    item = ChecklistItem(f"invoice:{inv.id}", t.title("invoice", number=inv.number))
    item.lines.append(
        t.line(
            "invoice_line",
            issue=p.day(inv.issue_date),
            due=p.day(inv.due_date),
            term=inv.payment_term_days,
            amount=p.money(inv.amount_cents, inv.currency),
            remaining=p.money(inv.amount_cents - inv.paid_cents, inv.currency),
            late=(today - inv.due_date).days,
        )
    )
    if inv.due_basis != "stated":
        item.lines.append(t.line(f"due_{inv.due_basis}"))
    if inv.doc_type != "invoice":
        item.lines.append(t.line(f"doc_{inv.doc_type}"))
    item.lines.append(t.line("po", po=inv.po_number) if inv.po_number else t.line("no_po"))
    if inv.product:
        item.lines.append(t.line("product", product=inv.product))
    item.lines.append(t.line("copy_yes", path=inv.copy_path) if inv.copy_path else t.line("copy_no"))
    return item


def _history(file: DebtorFile, t: _Texts, p: Presenter) -> ChecklistItem:
    item = ChecklistItem("history", t.title("history"))
    for call in [c for c in file.calls if c.ended_at][:RECENT_CALLS]:
        notes = brief(call.notes, NOTES_SHOWN)
        item.lines.append(
            t.line(
                "call_line",
                when=p.since(call.started_at),
                outcome=p.labels[f"outcome_{call.outcome}"] + (f" ({p.labels[f'why_{call.why}']})" if call.why else ""),
                notes=notes,
            )
        )
    for promise in file.promises[-RECENT_CALLS:]:
        item.lines.append(
            t.line(
                "promise_line",
                amount=p.money(promise.amount_cents, promise.currency),
                date=p.day(promise.due_date),
                status=p.labels[f"promise_{promise.status}"],
                received=p.money(promise.received_cents, promise.currency),
            )
        )
        if promise.sent_on is not None:  # the cheque said to be in the post, to match on arrival
            item.lines.append(t.line("cheque_line", number=promise.cheque_number, sent=p.day(promise.sent_on)))
    for follow_up in file.follow_ups:
        if follow_up.done_at is None:
            item.lines.append(
                Line(
                    p.due_item(DueItem(follow_up.kind, follow_up.what, follow_up.due_at)),
                    warning=follow_up.due_at <= p.clock.now(),
                )
            )
    for payment in file.payments[-RECENT_CALLS:]:
        amount = p.money(payment.amount_cents, file.currency_of(payment.invoice_id))
        item.lines.append(t.line("payment_line", amount=amount, date=p.day(payment.paid_on)))
    for dispute in file.disputes:
        if dispute.status == DisputeStatus.OPEN:
            amount = p.money(dispute.amount_cents, file.currency_of(dispute.invoice_id))
            item.lines.append(t.line("dispute_line", amount=amount, reason=dispute.reason))
    paid: dict[str, int] = {}
    for invoice in file.open_invoices():
        if invoice.paid_cents:
            paid[invoice.currency] = paid.get(invoice.currency, 0) + invoice.paid_cents
    if paid:
        item.lines.append(t.line("partial", amount=" + ".join(p.money(c, cur) for cur, c in paid.items())))
    if not item.lines:
        item.lines.append(t.line("no_history"))
    reminder = _reminder(file, t, p)
    if reminder is not None:
        item.lines.append(reminder)
    return item


def reminder_line(file: DebtorFile, p: Presenter) -> Line | None:
    """The written reminder the debtor last received, as the checklist says it (also for ``show``)."""
    return _reminder(file, _Texts(p.lang), p)


def late_costs_item(file: DebtorFile, settings: SettingsRecord, p: Presenter) -> ChecklistItem | None:
    """The late-cost lines as the checklist says them (also for ``show``)."""
    return _late_costs(file, settings, _Texts(p.lang), p, p.clock.today())


def _reminder(file: DebtorFile, t: _Texts, p: Presenter) -> Line | None:
    if not file.overdue_invoices(p.clock.today()):
        return None
    reached = file.reminder_reached()
    if reached is None:
        return t.line("reminder_0")
    return t.line(f"reminder_{reached.level}", date=p.day(reached.created_at.date()))


def _objective(file: DebtorFile, settings: SettingsRecord, t: _Texts, p: Presenter, today) -> ChecklistItem:
    item = ChecklistItem("objective", t.title("objective"))
    if file.debtor.in_difficulty:
        item.lines.append(t.line("in_difficulty"))
    totals = file.claimable_by_currency(today)
    amount = ", ".join(p.money(c, cur) for cur, c in totals.items()) or p.money(0)
    disputed = any(d.status == DisputeStatus.OPEN for d in file.disputes) or any(
        i.status == "disputed" for i in file.invoices
    )
    why = next((c.why for c in file.calls if c.ended_at and c.why), "")
    if why:
        # What the client said last time decides the objective (domain 7.2).
        item.lines.append(t.line("why_known", why=p.labels[f"why_{why}"]))
        item.lines.append(t.line(f"objective_{why}", amount=amount))
    elif disputed:
        item.lines.append(t.line("objective_disputed", amount=amount))
    elif sum(totals.values()) <= settings.small_debt_cents:
        item.lines.append(t.line("objective_small", amount=amount))
    else:
        item.lines.append(t.line("objective_large", amount=amount))
    return item


def _advice(file: DebtorFile, t: _Texts, p: Presenter, today) -> ChecklistItem | None:
    kind = file.debtor.kind
    tips = t.advice.get(kind)
    if not isinstance(tips, list):
        return None
    item = ChecklistItem("advice", t.title("advice", kind=p.kind(kind)))
    item.lines += [Line(str(tip)) for tip in tips]
    missing_po = any(not i.po_number for i in file.overdue_invoices(today))
    if missing_po and kind in (OrgKind.LARGE_ACCOUNT, OrgKind.PUBLIC_BODY):
        item.lines.append(Line(str(t.advice[f"{kind}_no_po"]), warning=True))
    return item


def _late_costs(file: DebtorFile, settings: SettingsRecord, t: _Texts, p: Presenter, today) -> ChecklistItem | None:
    """Computed before dialling, so the figure can be named (domain 2.6, 8)."""
    from callcoach.domain.latecosts import INDEMNITY_CURRENCY, Basis
    from callcoach.services.latecosts import summary

    late = summary(file, as_of=today, settings=settings)
    if not late.open and not late.paid_late and late.problem is None:
        return None
    item = ChecklistItem("late_costs", t.title("late_costs"))
    if late.problem is not None:
        item.lines.append(Line(f"⚠ {late.problem}", warning=True))
        return item
    assert late.terms is not None
    basis = late.terms.basis
    if basis == Basis.NONE:
        item.lines.append(t.line("late_off"))
        return item
    if basis == Basis.INDIVIDUAL and not any(e.cost and e.cost.owed for e in late.open):
        item.lines.append(t.line("late_none"))
        return item
    if basis == Basis.PUBLIC_BODY:
        item.lines.append(t.line("late_public_body", indemnity=p.money(late.terms.indemnity_cents, INDEMNITY_CURRENCY)))
    if basis == Basis.CONTRACT:
        item.lines.append(t.line("late_contract", rate=p.percent(late.terms.contract_rate)))
    for entry in late.open:
        inv, cost = entry.invoice, entry.cost
        assert cost is not None
        item.lines.append(
            t.line(
                "late_line",
                number=inv.number,
                days=cost.days_late,
                interest=p.money(cost.interest_cents, inv.currency),
                indemnity=p.money(cost.indemnity_cents, INDEMNITY_CURRENCY),  # euros by law, never the invoice's
            )
        )
    for entry in late.paid_late:
        inv, cost = entry.invoice, entry.cost
        assert cost is not None
        item.lines.append(
            t.line(
                "late_paid_line",
                number=inv.number,
                interest=p.money(cost.interest_cents, inv.currency),
                indemnity=p.money(cost.indemnity_cents, INDEMNITY_CURRENCY),  # euros by law, never the invoice's
            )
        )
    if late.provisional:
        item.lines.append(t.line("late_provisional", half_years=", ".join(late.provisional), file=late.where))
    if late.open_totals:
        total = " + ".join(p.money(x.total_cents, cur) for cur, x in late.open_totals.items())
        item.lines.append(t.line("late_total", total=total))
    return item
