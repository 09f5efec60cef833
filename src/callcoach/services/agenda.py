"""The day's agenda and the reports built from the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from callcoach.db.tables import Call, Debtor
from callcoach.domain.clock import Clock
from callcoach.services.calllist import CallListRow, call_list
from callcoach.services.followthrough import settle_promises


@dataclass(frozen=True)
class Agenda:
    due_now: list[CallListRow]
    next_up: list[CallListRow]


def today_agenda(session: Session, *, clock: Clock, top: int = 10) -> Agenda:
    """The whole day: a callback at 14:00 is on the morning's agenda."""
    settle_promises(session, clock=clock)
    end_of_day = clock.start_of(clock.today()) + timedelta(hours=23, minutes=59)
    rows = call_list(session, clock=Clock.fixed(max(end_of_day, clock.now()), clock.tz, what_if=clock.what_if))
    due = [r for r in rows if r.due_now]
    ranked = [r for r in rows if not r.due_now and not r.waiting][:top]
    return Agenda(due, ranked)


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
