"""A call from dialling to the saved outcome.

The Call row is written when the call starts, and its notes as the collector types, so a
crash loses nothing; ending the call writes the outcome and what it implies (promises,
follow-ups, a dispute) in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from callcoach.db.tables import Call, Debtor, Dispute, FollowUp, Invoice, Promise
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import FollowUpKind, InvoiceStatus, NextStep, NonPaymentReason, Outcome
from callcoach.domain.outcomes import NEEDS_NEXT_STEP, OutcomeEntry, announced_step, payments_agreed, problems
from callcoach.domain.text import clean_multiline
from callcoach.services.balances import note_today
from callcoach.services.contacts import keep_direct_line
from callcoach.services.errors import UserError
from callcoach.services.followthrough import close_callbacks
from callcoach.services.leases import (  # noqa: F401  (the lease's names, as callers know them here)
    HEARTBEAT_EVERY,
    STALE_AFTER,
    CallTaken,
    DebtorErased,
    Owner,
    holder_name,
    lease_is_live,
    taken_error,
    write_lease,
)

CHECK_PAYMENT_AT = time(9, 0)
COMMITMENT_AT = time(9, 0)


@dataclass(frozen=True)
class EndedCall:
    call_id: int
    debtor_id: int
    outcome: str
    promises: int
    follow_ups: int
    disputes: int
    email_path: str | None = None
    recap_missing: str = ""  # why an agreement got no recap e-mail (recap.recap_missing)


def open_call(session: Session, *, owner: Owner | None = None, now: datetime | None = None) -> Call | None:
    """The call this window may resume: left open by a crash or a closed terminal, held by
    nobody alive (or by this window). A call another live window holds is not offered."""
    found = session.exec(select(Call).where(col(Call.ended_at).is_(None)).order_by(col(Call.started_at).desc())).all()
    for call in found:
        if owner is None or now is None or call.lease_token == owner.token or not lease_is_live(call, now):
            return call
    return None


def held_call(session: Session, *, debtor_id: int, lock: bool = False) -> Call | None:
    """The open call on this debtor, whoever holds it; ``lock`` keeps other collectors' claims
    waiting until this transaction ends (PostgreSQL; SQLite's writers are one at a time)."""
    query = select(Call).where(col(Call.ended_at).is_(None), col(Call.debtor_id) == debtor_id)
    return session.exec(query.with_for_update() if lock else query).first()


def start_call(
    session: Session, *, debtor_id: int, contact_id: int | None, clock: Clock, owner: Owner | None = None
) -> Call:
    """Open a call on this debtor, held by ``owner``. One open call per debtor: a call a live
    window holds is refused (CallTaken); one left by a dead window is taken over instead."""
    debtor = session.get(Debtor, debtor_id)
    if debtor is None:
        raise UserError("no debtor with id {debtor_id}", code="no_debtor_id", debtor_id=debtor_id)
    _refuse_erased(debtor)
    current = held_call(session, debtor_id=debtor_id, lock=True)
    if current is not None:
        if owner is None or lease_is_live(current, clock.now()):
            raise taken_error(session, current)
        write_lease(current, owner, clock)
        session.add(current)
        session.flush()
        return current
    call = Call(debtor_id=debtor_id, contact_id=contact_id, started_at=clock.now())
    if owner is not None:
        write_lease(call, owner, clock)
    try:
        with session.begin_nested():  # the unique open-call index decides between two claims at once
            session.add(call)
            session.flush()
    except IntegrityError:
        current = held_call(session, debtor_id=debtor_id)
        if current is None:
            raise
        raise taken_error(session, current) from None
    return call


def take_over(session: Session, *, call_id: int, owner: Owner, clock: Clock, confirmed: bool) -> Call:
    """This window takes the call: at once when its holder is gone, or when the collector
    confirmed. The window that held it learns it at its next write and stops writing."""
    call = _open(session, call_id, lock=True)
    live = call.lease_token != owner.token and lease_is_live(call, clock.now())
    colleague = call.collector_id is not None and call.collector_id != owner.collector_id
    if live and (not confirmed or colleague):  # a colleague's live call is theirs; only mine move between windows
        raise taken_error(session, call)
    write_lease(call, owner, clock)
    session.add(call)
    session.flush()
    return call


def heartbeat(session: Session, *, call_id: int, owner: Owner, clock: Clock) -> None:
    """This window still holds its call (CallTaken, DebtorErased or UserError if not)."""
    call = _owned(session, call_id, owner)
    call.lease_heartbeat = clock.now()
    session.add(call)


def release(session: Session, *, call_id: int, owner: Owner) -> None:
    """This window closes and lets its call go (kept open for the next start to resume)."""
    call = session.get(Call, call_id)
    if call is not None and call.ended_at is None and call.lease_token == owner.token:
        call.lease_token = call.lease_pid = call.lease_host = call.lease_heartbeat = None
        session.add(call)


def _refuse_erased(debtor: Debtor) -> None:
    from callcoach.services.privacy import erased_label

    if debtor.id is not None and debtor.name == erased_label(debtor.id):
        raise DebtorErased()


def _owned(session: Session, call_id: int, owner: Owner | None) -> Call:
    """The open call, if this window still may write it: every draft write checks."""
    call = session.get(Call, call_id)
    if call is None:
        raise UserError("no call with id {call_id}", code="no_call_id", call_id=call_id)
    debtor = session.get(Debtor, call.debtor_id)
    if debtor is not None:
        _refuse_erased(debtor)
    if call.ended_at is not None:
        raise UserError("this call has already ended", code="call_already_ended")
    if owner is not None and call.lease_token != owner.token:
        raise CallTaken(call_id, call.lease_since, lost=True)
    return call


def save_draft(
    session: Session,
    *,
    call_id: int,
    notes: str,
    stage: str | None,
    excuses: list[str],
    contact_id: int | None = None,
    outcome_draft: str = "",
    owner: Owner | None = None,
    clock: Clock | None = None,
) -> None:
    call = _owned(session, call_id, owner)
    call.outcome_draft = outcome_draft
    call.notes = clean_multiline(notes)
    call.stage_reached = stage
    call.excuses = ",".join(excuses)
    if contact_id is not None:
        call.contact_id = contact_id
    if clock is not None:
        call.draft_saved_at = clock.now()
        if owner is not None:
            call.lease_heartbeat = call.draft_saved_at
    session.add(call)


def end_call(
    session: Session,
    *,
    call_id: int,
    entry: OutcomeEntry,
    notes: str,
    stage: str | None,
    excuses: list[str],
    clock: Clock,
    owner: Owner | None = None,
) -> EndedCall:
    """Close the call with its outcome; raise UserError (nothing written) when incomplete."""
    found = problems(entry, clock.today())
    if found:
        raise UserError("; ".join(map(str, found)), code="form_problems", problems=found)
    call = _owned(session, call_id, owner)
    note_today(session, clock.today())
    call.ended_at = clock.now()
    call.notes = clean_multiline(notes)
    call.stage_reached = stage
    call.excuses = ",".join(excuses)
    call.outcome = entry.outcome
    call.contact_id = entry.contact_id
    call.faults = ",".join(entry.faults)
    call.lease_token = call.lease_pid = call.lease_host = call.lease_heartbeat = None
    call.why = entry.why if entry.why in set(NonPaymentReason) else ""
    session.add(call)
    session.flush()
    assert call.id is not None
    close_callbacks(session, debtor_id=call.debtor_id, clock=clock)
    keep_direct_line(session, call=call, contact_id=entry.contact_id, line=entry.direct_line)
    promises, follow_ups, disputes = _consequences(session, call, entry, clock)
    follow_ups += _commitments(session, call, entry, clock)
    follow_ups += _next_step(session, call, entry, clock)
    if entry.in_difficulty:
        debtor = session.get(Debtor, call.debtor_id)
        if debtor is not None and not debtor.in_difficulty:
            debtor.in_difficulty = True
            session.add(debtor)
    return EndedCall(call.id, call.debtor_id, entry.outcome, promises, follow_ups, disputes)


def _next_step(session: Session, call: Call, entry: OutcomeEntry, clock: Clock) -> int:
    """A call without agreement still ends on a dated step (domain 7.6): a callback, a written
    reminder, or an announced consequence that must then be carried out (domain 3.4)."""
    assert call.id is not None
    if entry.outcome not in NEEDS_NEXT_STEP or entry.on is None or entry.next_step not in set(NextStep):
        return 0
    if entry.next_step == NextStep.CALLBACK:
        kind, what = FollowUpKind.CALLBACK, ""
        due = datetime.combine(entry.on, entry.at or CHECK_PAYMENT_AT, tzinfo=clock.tz)
    elif entry.next_step == NextStep.WRITTEN_REMINDER:
        kind, what = FollowUpKind.WRITTEN_REMINDER, ""
        due = datetime.combine(entry.on, COMMITMENT_AT, tzinfo=clock.tz)
    else:
        kind, what = FollowUpKind.CONSEQUENCE, str(announced_step(entry))
        due = datetime.combine(entry.on, time(0, 0), tzinfo=clock.tz)
    session.add(FollowUp(debtor_id=call.debtor_id, call_id=call.id, kind=kind, what=what, due_at=due))
    return 1


def _commitments(session: Session, call: Call, entry: OutcomeEntry, clock: Clock) -> int:
    """What the collector announced or promised: each becomes a dated follow-up (domain 3.4, 3.5)."""
    assert call.id is not None
    added = 0
    if entry.consequence and entry.consequence_on:
        session.add(
            FollowUp(
                debtor_id=call.debtor_id,
                call_id=call.id,
                kind=FollowUpKind.CONSEQUENCE,
                what=entry.consequence,
                due_at=datetime.combine(entry.consequence_on, time(0, 0), tzinfo=clock.tz),
            )
        )
        added += 1
    if entry.commitment.strip() and entry.commitment_on:
        at = entry.commitment_at or COMMITMENT_AT
        session.add(
            FollowUp(
                debtor_id=call.debtor_id,
                call_id=call.id,
                kind=FollowUpKind.COMMITMENT,
                what=entry.commitment.strip(),
                due_at=datetime.combine(entry.commitment_on, at, tzinfo=clock.tz),
            )
        )
        added += 1
    return added


def _open(session: Session, call_id: int, *, lock: bool = False) -> Call:
    call = session.get(Call, call_id, with_for_update=lock)
    if call is None:
        raise UserError("no call with id {call_id}", code="no_call_id", call_id=call_id)
    if call.ended_at is not None:
        raise UserError("this call has already ended", code="call_already_ended")
    return call


def _consequences(session: Session, call: Call, entry: OutcomeEntry, clock: Clock) -> tuple[int, int, int]:
    assert call.id is not None
    debtor_id, call_id = call.debtor_id, call.id
    outcome = Outcome(entry.outcome)
    if outcome in (Outcome.PROMISE, Outcome.PLAN):
        # A promise is one payment; a plan, its schedule, which sums to the amount agreed.
        plan = outcome == Outcome.PLAN
        payments = payments_agreed(entry)
        assert payments
        for instalment in payments:
            session.add(
                _promise(
                    call,
                    entry,
                    instalment.amount_cents,
                    instalment.due,
                    clock,
                    instalment_no=instalment.number if plan else None,
                    instalment_count=len(payments) if plan else None,
                )
            )
        return len(payments), 0, 0
    if outcome in (Outcome.CALLBACK, Outcome.GATEKEEPER):
        assert entry.on and entry.at
        due = datetime.combine(entry.on, entry.at, tzinfo=clock.tz)
        session.add(
            FollowUp(
                debtor_id=debtor_id,
                call_id=call_id,
                kind=FollowUpKind.CALLBACK,
                what="",  # worded by each interface in its language
                due_at=due,
            )
        )
        return 0, 1, 0
    if outcome == Outcome.ALREADY_PAID:
        assert entry.on
        due = datetime.combine(clock.today() + timedelta(days=1), CHECK_PAYMENT_AT, tzinfo=clock.tz)
        session.add(
            FollowUp(
                debtor_id=debtor_id,
                call_id=call_id,
                kind=FollowUpKind.CHECK_PAYMENT,
                due_at=due,
                # Data, not a sentence: each interface words it ("paid on … by …: check the account").
                what=f"{entry.on.isoformat()} {entry.method or ''}".strip(),
            )
        )
        return 0, 1, 0
    if outcome == Outcome.DISPUTE:
        assert entry.invoice_id and entry.amount_cents
        invoice = session.get(Invoice, entry.invoice_id)
        if invoice is None or invoice.debtor_id != debtor_id:
            raise UserError("the disputed invoice is not one of this debtor's", code="disputed_invoice_not_debtors")
        remaining = invoice.amount_cents - invoice.paid_cents
        if entry.amount_cents > remaining:
            raise UserError(
                "the disputed amount is more than what remains on {number}",
                code="disputed_over_remaining",
                number=invoice.number,
            )
        session.add(
            Dispute(
                debtor_id=debtor_id,
                invoice_id=invoice.id,
                call_id=call_id,
                amount_cents=entry.amount_cents,
                reason=entry.reason.strip(),
                opened_on=clock.today(),
            )
        )
        if entry.amount_cents == remaining:
            invoice.status = InvoiceStatus.DISPUTED
            session.add(invoice)
        if entry.rest_cents and entry.rest_on:
            # The part nobody disputes is promised in the same call, and followed like any promise.
            session.add(_promise(call, entry, entry.rest_cents, entry.rest_on, clock))
            return 1, 0, 1
        return 0, 0, 1
    return 0, 0, 0


def _promise(
    call: Call,
    entry: OutcomeEntry,
    amount_cents: int,
    due: date,
    clock: Clock,
    *,
    instalment_no: int | None = None,
    instalment_count: int | None = None,
) -> Promise:
    """One promised payment of this call: made by its collector, followed like any promise."""
    return Promise(
        debtor_id=call.debtor_id,
        call_id=call.id,
        collector_id=call.collector_id,
        amount_cents=amount_cents,
        currency=entry.currency,
        due_date=due,
        method=entry.method,
        instalment_no=instalment_no,
        instalment_count=instalment_count,
        made_on=clock.today(),
        cheque_number=entry.cheque_number or None,
        sent_on=entry.sent_on,
    )
