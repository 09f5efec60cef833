"""Commitments that run themselves: promises settled by payments, broken ones called back.

Run whenever "today" matters (opening the desk, ``list``, ``today``, ``show``, after a
payment): it brings every pending promise up to date and makes sure a broken promise has its
callback. Run with a what-if clock (a look at another day), it makes the same changes so the
unit's reads see them, and marks the unit a look: it is rolled back, never committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from callcoach.db.tables import Call, FollowUp, Invoice, Payment, Promise
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import FollowUpKind, PromiseStatus
from callcoach.domain.promises import PromiseTerms, Received, settle
from callcoach.services.balances import note_today
from callcoach.services.converters import as_record
from callcoach.services.records import FollowUpRecord
from callcoach.services.settings import get_settings

BROKEN_CALLBACK_AT = time(9, 0)
BROKEN_WHAT = "broken_promise"  # data, not a sentence: each interface words it (Presenter.follow_up_what)
EARLIER_BROKEN_WHAT = "promise broken: call back"  # what earlier versions stored


@dataclass(frozen=True)
class SettleReport:
    kept: int = 0
    broken: int = 0


def settle_promises(session: Session, *, clock: Clock, debtor_id: int | None = None) -> SettleReport:
    from callcoach.db.engine import is_read_only, look_only

    if is_read_only(session.get_bind()):
        return SettleReport()  # a read-only ledger is shown as last settled
    if clock.what_if:
        look_only(session)
    grace = get_settings(session).promise_grace_days
    query = select(Promise).where(Promise.status == PromiseStatus.PENDING)
    if debtor_id is not None:
        query = query.where(Promise.debtor_id == debtor_id)
    pending = list(session.exec(query))
    if not pending:
        return SettleReport()
    by_debtor: dict[int, list[Promise]] = {}
    for promise in pending:
        by_debtor.setdefault(promise.debtor_id, []).append(promise)
    today = clock.today()
    note_today(session, today)
    kept = broken = 0
    # Two queries for every debtor at once: a query per debtor costs a desk's ledger 70 ms.
    with_pending = query.with_only_columns(col(Promise.debtor_id))
    received: dict[int, list[Received]] = {}
    for debtor, amount, paid_on in session.exec(
        select(col(Invoice.debtor_id), col(Payment.amount_cents), col(Payment.paid_on))
        .join(Invoice, col(Invoice.id) == Payment.invoice_id)
        .where(col(Invoice.debtor_id).in_(with_pending))
    ).all():
        received.setdefault(debtor, []).append(Received(amount, paid_on))
    # Money already counted for promises kept earlier is not counted twice.
    used_by: dict[int, int] = dict(
        session.exec(
            select(col(Promise.debtor_id), func.sum(Promise.received_cents))
            .where(
                col(Promise.debtor_id).in_(with_pending),
                Promise.status == PromiseStatus.KEPT,
            )
            .group_by(col(Promise.debtor_id))
        ).all()
    )
    for debtor, promises in by_debtor.items():
        payments = sorted(received.get(debtor, []), key=lambda r: r.paid_on)
        pool = _after_use(payments, int(used_by.get(debtor) or 0))
        by_id = {_saved_id(p): p for p in promises}
        terms = [PromiseTerms(i, p.amount_cents, p.due_date, p.made_on or p.due_date) for i, p in by_id.items()]
        for result in settle(terms, pool, today=today, grace_days=grace):
            promise = by_id[result.promise_id]
            promise.received_cents = result.received_cents
            if result.status != PromiseStatus.PENDING:
                promise.status = result.status
            session.add(promise)
            if result.status == PromiseStatus.KEPT:
                kept += 1
            elif result.status == PromiseStatus.BROKEN:
                broken += 1
                _call_back_after_broken(session, promise, result.deadline, clock)
    session.flush()
    return SettleReport(kept, broken)


def _saved_id(promise: Promise) -> int:
    assert promise.id is not None  # loaded from the table
    return promise.id


def _after_use(payments: list[Received], used: int) -> list[Received]:
    left: list[Received] = []
    for payment in payments:
        take = min(used, payment.amount_cents)
        used -= take
        if payment.amount_cents - take > 0:
            left.append(Received(payment.amount_cents - take, payment.paid_on))
    return left


def _call_back_after_broken(session: Session, promise: Promise, deadline, clock: Clock) -> None:
    """A broken promise is called back no later than the day after its deadline."""
    due = datetime.combine(deadline + timedelta(days=1), BROKEN_CALLBACK_AT, tzinfo=clock.tz)
    existing = session.exec(
        select(FollowUp).where(
            FollowUp.debtor_id == promise.debtor_id,
            FollowUp.kind == FollowUpKind.CALLBACK,
            col(FollowUp.done_at).is_(None),
            col(FollowUp.what).in_([BROKEN_WHAT, EARLIER_BROKEN_WHAT]),
        )
    ).first()
    if existing is None:
        session.add(
            FollowUp(
                debtor_id=promise.debtor_id,
                call_id=promise.call_id,
                kind=FollowUpKind.CALLBACK,
                what=BROKEN_WHAT,
                due_at=due,
            )
        )


def close_callbacks(session: Session, *, debtor_id: int, clock: Clock) -> None:
    """A call made closes the callbacks that were due: the collector kept their word."""
    now = clock.now()
    for follow_up in session.exec(
        select(FollowUp).where(
            FollowUp.debtor_id == debtor_id,
            FollowUp.kind == FollowUpKind.CALLBACK,
            col(FollowUp.done_at).is_(None),
            FollowUp.due_at < clock.start_of(clock.today() + timedelta(days=1)),
        )
    ):
        follow_up.done_at = now
        follow_up.resolution = "done"
        session.add(follow_up)


def last_ended_call(session: Session, debtor_id: int) -> Call | None:
    return session.exec(
        select(Call)
        .where(Call.debtor_id == debtor_id, col(Call.ended_at).is_not(None))
        .order_by(col(Call.started_at).desc())
    ).first()


def resolve_follow_up(
    session: Session, *, follow_up_id: int, resolution: str, reason: str, clock: Clock
) -> FollowUpRecord:
    """Carried out, or withdrawn with a reason: an announced step never silently lapses (3.4)."""
    from callcoach.services.errors import UserError

    follow_up = session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise UserError("no follow-up with id {follow_up_id}", code="no_follow_up_id", follow_up_id=follow_up_id)
    if follow_up.done_at is not None:
        raise UserError("this follow-up is already closed", code="follow_up_already_closed")
    if resolution not in ("done", "withdrawn"):
        raise UserError("a follow-up is done or withdrawn", code="follow_up_resolution_unknown")
    if resolution == "withdrawn" and not reason.strip():
        raise UserError("say why it is withdrawn", code="follow_up_withdraw_needs_reason")
    follow_up.done_at = clock.now()
    follow_up.resolution = resolution
    follow_up.reason = reason.strip()
    session.add(follow_up)
    return as_record(FollowUpRecord, follow_up)


def resolve_dispute(session: Session, *, dispute_id: int, how: str, clock: Clock) -> None:
    """Closing a dispute changes what is owed: a credit note or a payment reduces it, a
    withdrawn dispute makes the amount claimable again."""
    from callcoach.db.tables import Dispute
    from callcoach.domain.kinds import DisputeStatus, InvoiceStatus
    from callcoach.services.errors import UserError

    note_today(session, clock.today())
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise UserError("no dispute with id {dispute_id}", code="no_dispute_id", dispute_id=dispute_id)
    if dispute.status != DisputeStatus.OPEN:
        raise UserError("this dispute is already resolved", code="dispute_already_resolved")
    if how not in ("credit_note", "paid", "withdrawn"):
        raise UserError("a dispute is resolved by credit_note, paid or withdrawn", code="dispute_resolution_unknown")
    invoice = session.get(Invoice, dispute.invoice_id) if dispute.invoice_id else None
    if invoice is not None:
        assert invoice.id is not None  # loaded from the table
        if how in ("credit_note", "paid"):
            amount = min(dispute.amount_cents, invoice.amount_cents - invoice.paid_cents)
            invoice.paid_cents += amount
            session.add(
                Payment(
                    invoice_id=invoice.id,
                    amount_cents=amount,
                    paid_on=clock.today(),
                    method="credit_note" if how == "credit_note" else None,
                    source=how,
                    recorded_at=clock.now(),
                )
            )
        if invoice.paid_cents >= invoice.amount_cents:
            invoice.status = InvoiceStatus.PAID
        elif invoice.status == InvoiceStatus.DISPUTED:
            invoice.status = InvoiceStatus.OPEN
        session.add(invoice)
    dispute.status = DisputeStatus.RESOLVED
    dispute.resolved_on = clock.today()
    session.add(dispute)
    session.flush()
