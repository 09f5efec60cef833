"""A call from dialling to the saved outcome.

The Call row is written when the call starts, and its notes as the collector types, so a
crash loses nothing; ending the call writes the outcome and what it implies (promises,
follow-ups, a dispute) in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from callcoach.db.tables import Call, Debtor, Dispute, FollowUp, Invoice, Promise
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import FollowUpKind, InvoiceStatus, Outcome
from callcoach.domain.outcomes import OutcomeEntry, instalment_dates, problems
from callcoach.domain.text import clean_multiline
from callcoach.services.errors import UserError
from callcoach.services.followthrough import close_callbacks

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


def open_call(session: Session) -> Call | None:
    """The call left open (by a crash or a closed terminal), if any."""
    return (
        session.exec(  # type: ignore[call-overload]
            select(Call).where(col(Call.ended_at).is_(None)).order_by(col(Call.started_at).desc())
        )
        .scalars()
        .first()
    )


def start_call(session: Session, *, debtor_id: int, contact_id: int | None, clock: Clock) -> Call:
    current = open_call(session)
    if current is not None:
        raise UserError("a call is already open: end it first")
    if session.get(Debtor, debtor_id) is None:
        raise UserError(f"no debtor with id {debtor_id}")
    call = Call(debtor_id=debtor_id, contact_id=contact_id, started_at=clock.now())
    session.add(call)
    session.flush()
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
) -> None:
    call = _open(session, call_id)
    call.outcome_draft = outcome_draft
    call.notes = clean_multiline(notes)
    call.stage_reached = stage
    call.excuses = ",".join(excuses)
    if contact_id is not None:
        call.contact_id = contact_id
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
) -> EndedCall:
    """Close the call with its outcome; raise UserError (nothing written) when incomplete."""
    found = problems(entry, clock.today())
    if found:
        raise UserError("; ".join(found))
    call = _open(session, call_id)
    call.ended_at = clock.now()
    call.notes = clean_multiline(notes)
    call.stage_reached = stage
    call.excuses = ",".join(excuses)
    call.outcome = entry.outcome
    call.contact_id = entry.contact_id
    call.faults = ",".join(entry.faults)
    session.add(call)
    session.flush()
    assert call.id is not None
    close_callbacks(session, debtor_id=call.debtor_id, clock=clock)
    promises, follow_ups, disputes = _consequences(session, call, entry, clock)
    follow_ups += _commitments(session, call, entry, clock)
    if entry.in_difficulty:
        debtor = session.get(Debtor, call.debtor_id)
        if debtor is not None and not debtor.in_difficulty:
            debtor.in_difficulty = True
            session.add(debtor)
    return EndedCall(call.id, call.debtor_id, entry.outcome, promises, follow_ups, disputes)


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


def _open(session: Session, call_id: int) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise UserError(f"no call with id {call_id}")
    if call.ended_at is not None:
        raise UserError("this call has already ended")
    return call


def _consequences(session: Session, call: Call, entry: OutcomeEntry, clock: Clock) -> tuple[int, int, int]:
    assert call.id is not None
    debtor_id, call_id = call.debtor_id, call.id
    outcome = Outcome(entry.outcome)
    if outcome in (Outcome.PROMISE, Outcome.PLAN):
        # A promise is one payment; a plan, its instalments month after month.
        assert entry.on and entry.amount_cents
        plan = outcome == Outcome.PLAN
        assert entry.count or not plan
        days = instalment_dates(entry.on, entry.count) if plan and entry.count else [entry.on]
        for n, day in enumerate(days, 1):
            session.add(
                Promise(
                    debtor_id=debtor_id,
                    call_id=call_id,
                    amount_cents=entry.amount_cents,
                    currency=entry.currency,
                    due_date=day,
                    method=entry.method,
                    instalment_no=n if plan else None,
                    instalment_count=entry.count if plan else None,
                    made_on=clock.today(),
                )
            )
        return len(days), 0, 0
    if outcome == Outcome.CALLBACK:
        assert entry.on and entry.at
        due = datetime.combine(entry.on, entry.at, tzinfo=clock.tz)
        session.add(
            FollowUp(
                debtor_id=debtor_id,
                call_id=call_id,
                kind=FollowUpKind.CALLBACK,
                what="callback agreed with the client",
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
                what=f"client says paid on {entry.on:%d/%m/%Y} by {entry.method}: check the account",
            )
        )
        return 0, 1, 0
    if outcome == Outcome.DISPUTE:
        assert entry.invoice_id and entry.amount_cents
        invoice = session.get(Invoice, entry.invoice_id)
        if invoice is None or invoice.debtor_id != debtor_id:
            raise UserError("the disputed invoice is not one of this debtor's")
        remaining = invoice.amount_cents - invoice.paid_cents
        if entry.amount_cents > remaining:
            raise UserError(f"the disputed amount is more than what remains on {invoice.number}")
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
        return 0, 0, 1
    return 0, 0, 0
