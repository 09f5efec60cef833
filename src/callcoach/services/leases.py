"""Who holds an open call: one window (and, in a team, one collector) at a time.

A desk window writes a lease on the call it holds (a token, its process and host, since
when, a heartbeat). Another window sees the call as taken and may take it over only when
the holder is gone or the collector confirms; a colleague's live call is never taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from callcoach.db.tables import Call
from callcoach.domain.clock import Clock
from callcoach.services.errors import UserError

STALE_AFTER = timedelta(seconds=30)  # a window silent this long has let its call go
HEARTBEAT_EVERY = timedelta(seconds=5)


@dataclass(frozen=True)
class Owner:
    """One desk window: the lease it writes on the call it holds."""

    token: str
    pid: int
    host: str
    collector_id: int | None = None  # the person at this window, in a team (0016)

    @classmethod
    def here(cls, collector_id: int | None = None) -> Owner:
        import os
        import socket
        import uuid

        return cls(uuid.uuid4().hex, os.getpid(), socket.gethostname(), collector_id)


class CallTaken(UserError):
    """The call is held by another window (``since`` it took it); or was taken from this one."""

    def __init__(self, call_id: int, since: datetime | None, *, lost: bool = False, by: str | None = None) -> None:
        self.call_id, self.since, self.lost, self.by = call_id, since, lost, by
        if lost:
            super().__init__("this call was taken over in another window", code="call_taken_over")
        elif by and since:
            super().__init__("in a call with {by} since {since:%H:%M}", code="call_held_by_since", by=by, since=since)
        elif by:
            super().__init__("in a call with {by}", code="call_held_by", by=by)
        elif since:
            super().__init__(
                "open in another window since {since:%H:%M}", code="call_open_elsewhere_since", since=since
            )
        else:
            super().__init__("open in another window", code="call_open_elsewhere")


class DebtorErased(UserError):
    """The debtor's personal data was erased while their call was open: nothing more is written."""

    def __init__(self) -> None:
        super().__init__("this debtor's data was erased; nothing was saved", code="debtor_erased")


def lease_is_live(call: Call, now: datetime, *, host: str | None = None) -> bool:
    """Another window still holds this call: a recent heartbeat from a process still running.

    On the same host a lease whose process is gone is stale at once (a crash, a kill -9)."""
    if not call.lease_token or call.lease_heartbeat is None:
        return False
    beat = call.lease_heartbeat if call.lease_heartbeat.tzinfo else call.lease_heartbeat.replace(tzinfo=now.tzinfo)
    if now - beat > STALE_AFTER:
        return False
    import socket

    if call.lease_pid and (host or socket.gethostname()) == call.lease_host:
        return _process_alive(call.lease_pid)
    return True


def _process_alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder_name(session: Session, call: Call) -> str | None:
    """Who holds a call, in a team: the collector who started or took it."""
    if call.collector_id is None:
        return None
    from callcoach.db.tables import Collector

    found = session.get(Collector, call.collector_id)
    return found.name if found is not None else None


def taken_error(session: Session, call: Call) -> CallTaken:
    assert call.id is not None
    return CallTaken(call.id, call.lease_since or call.started_at, by=holder_name(session, call))


def write_lease(call: Call, owner: Owner, clock: Clock) -> None:
    call.lease_token, call.lease_pid, call.lease_host = owner.token, owner.pid, owner.host
    call.lease_since = call.lease_heartbeat = clock.now()
    if owner.collector_id is not None:  # a stale claim taken over: the call is now this collector's
        call.collector_id = owner.collector_id
