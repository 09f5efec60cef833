"""Callbacks, commitments and announced steps as an iCalendar file, so the collector's own
calendar rings at the agreed time (domain 3.5)."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Alarm, Calendar, Event
from sqlmodel import Session, col, select

from callcoach.db.tables import Debtor, FollowUp
from callcoach.domain.clock import Clock
from callcoach.presenting import Presenter


def agenda_ics(session: Session, *, clock: Clock, lang: str) -> bytes:
    p = Presenter(lang, clock)
    calendar = Calendar()
    calendar.add("prodid", "-//callcoach//agenda//EN")
    calendar.add("version", "2.0")
    rows = session.exec(
        select(FollowUp, Debtor.name)
        .join(Debtor, col(Debtor.id) == FollowUp.debtor_id)
        .where(col(FollowUp.done_at).is_(None))
        .order_by(col(FollowUp.due_at))
    ).all()
    for follow_up, name in rows:
        what = p.follow_up_what(follow_up.kind, follow_up.what)
        event = Event()
        event.add("uid", f"followup-{follow_up.id}@callcoach")
        event.add("dtstamp", clock.now())
        event.add("dtstart", follow_up.due_at)
        event.add("dtend", follow_up.due_at + timedelta(minutes=15))
        event.add("summary", f"{p.labels[f'ics_{follow_up.kind}']}: {name}")
        event.add("description", what)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{p.labels[f'ics_{follow_up.kind}']}: {name}")
        alarm.add("trigger", timedelta(minutes=-10))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
