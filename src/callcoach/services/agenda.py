"""The day's agenda and the reports built from the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from callcoach.db.tables import Call, Debtor
from callcoach.domain.clock import Clock
from callcoach.services.calllist import CallListRow, DueToday, call_list, due_today, whole_day
from callcoach.services.followthrough import settle_promises


@dataclass(frozen=True)
class Agenda:
    due_now: list[CallListRow]
    next_up: list[CallListRow]
    due: DueToday  # how many are due, and late: the desk header's own figures


def today_agenda(session: Session, *, clock: Clock, top: int = 10, mine: int | None = None) -> Agenda:
    """The whole day (``calllist.whole_day``): its due debtors are the ones the desk's header
    counts (``calllist.due_today``)."""
    settle_promises(session, clock=clock)
    rows = call_list(session, clock=whole_day(clock), mine=mine)
    due = [r for r in rows if r.due_now]
    ranked = [r for r in rows if not r.due_now and not r.waiting][:top]
    return Agenda(due, ranked, due_today(session, clock=clock, mine=mine))


@dataclass(frozen=True)
class FaultRecord:
    debtor: str
    at: datetime
    fault: str
    notes: str


def faults_report(session: Session, *, since: datetime | None = None) -> list[FaultRecord]:
    """Process faults tagged on calls (domain 5.6), newest first."""
    query = (
        select(col(Debtor.name), col(Call.started_at), col(Call.faults), col(Call.notes))
        .join(Debtor, col(Debtor.id) == col(Call.debtor_id))
        .where(Call.faults != "")
        .order_by(col(Call.started_at).desc())
    )
    if since is not None:
        query = query.where(Call.started_at >= since)
    records = []
    for name, at, faults, notes in session.exec(query).all():
        for fault in faults.split(","):
            if fault:
                records.append(FaultRecord(name, at, fault, notes))
    return records
