"""A debtor's whole history in time order (domain 1.4, 5.1): what was said and what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from callcoach.domain.kinds import DisputeStatus
from callcoach.playbook import load
from callcoach.presenting import Presenter
from callcoach.services.debtors import DebtorFile


@dataclass(frozen=True)
class Event:
    when: datetime
    kind: str  # call, promise, payment, dispute, follow_up
    text: str
    follow_up_id: int | None = None
    dispute_id: int | None = None
    open: bool = False
    detail: str = ""
    email_path: str | None = None
    state: str = ""  # a promise's status (pending, kept, broken, cancelled), for its mark


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def timeline(file: DebtorFile, p: Presenter) -> list[Event]:
    L = p.labels
    invoices = {i.id: i for i in file.invoices}
    events: list[Event] = []
    for call in file.calls:
        outcome = L[f"outcome_{call.outcome}"]
        faults = ", ".join(L[f"fault_{f}"] for f in call.faults.split(",") if f) if call.faults else ""
        why = L[f"why_{call.why}"] if call.why else ""
        text = L.get("tl_call", outcome=outcome) + (f" · {why}" if why else "") + (f" · {faults}" if faults else "")
        events.append(Event(call.started_at, "call", text, detail=call.notes))
    for promise in file.promises:
        part = f" {promise.instalment_no}/{promise.instalment_count}" if promise.instalment_no else ""
        events.append(
            Event(
                _moment(promise.due_date),
                "promise",
                L.get(
                    "tl_promise",
                    part=part,
                    amount=p.money(promise.amount_cents, promise.currency),
                    date=p.day(promise.due_date),
                    status=L[f"promise_{promise.status}"],
                    received=p.money(promise.received_cents, promise.currency),
                ),
                state=str(promise.status),
            )
        )
    methods = load("script", p.lang)["methods"]
    for payment in file.payments:
        invoice = invoices.get(payment.invoice_id)
        events.append(
            Event(
                _moment(payment.paid_on),
                "payment",
                L.get(
                    "tl_payment",
                    amount=p.money(payment.amount_cents, invoice.currency if invoice else "EUR"),
                    invoice=invoice.number if invoice else "?",
                    source=methods.get(payment.method or "", L[f"source_{payment.source}"]),
                ),
            )
        )
    for dispute in file.disputes:
        invoice = invoices.get(dispute.invoice_id) if dispute.invoice_id is not None else None
        is_open = dispute.status == DisputeStatus.OPEN
        events.append(
            Event(
                _moment(dispute.opened_on),
                "dispute",
                L.get(
                    "tl_dispute",
                    invoice=invoice.number if invoice else "?",
                    amount=p.money(dispute.amount_cents, file.currency_of(dispute.invoice_id)),
                    reason=dispute.reason,
                    status=L["tl_open"] if is_open else L["tl_resolved"],
                ),
                dispute_id=dispute.id,
                open=is_open,
            )
        )
    for follow_up in file.follow_ups:
        what = p.follow_up_what(follow_up.kind, follow_up.what)
        state = L["tl_open"] if follow_up.done_at is None else L[f"tl_{follow_up.resolution or 'done'}"]
        if follow_up.reason:
            state += f" ({follow_up.reason})"
        local = p.clock.local(follow_up.due_at)
        # The callback a broken promise planned says why, in the reader's language.
        broken = follow_up.kind == "callback" and what == L["fu_broken_promise"]
        events.append(
            Event(
                follow_up.due_at,
                "follow_up",
                L.get(
                    "tl_callback_broken" if broken else f"tl_{follow_up.kind}",
                    what=what,
                    when=L.get("at_time", day=p.spoken_day(local.date()), time=p.spoken_time(local.time())),
                    day=p.spoken_day(local.date()),
                    state=state,
                ),
                follow_up_id=follow_up.id,
                open=follow_up.done_at is None,
            )
        )
    for email in file.emails:
        state = L["tl_sent"] if email.sent_at else L["tl_saved"]
        events.append(
            Event(
                email.saved_at,
                "email",
                L.get("tl_email", subject=email.subject, state=state),
                detail=email.path,
                email_path=email.path,
            )
        )
    return sorted(events, key=lambda e: e.when, reverse=True)
