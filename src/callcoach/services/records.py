"""What the services hand to the interfaces: plain values, never database rows.

A row read in one transaction and used after it can fail, or change, when touched; a frozen
value cannot. The CLI and the TUI see only these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CallRecord:
    """A call as the interfaces see it: plain values, never a database row."""

    id: int
    debtor_id: int
    contact_id: int | None
    started_at: datetime
    ended_at: datetime | None = None
    stage_reached: str | None = None
    excuses: tuple[str, ...] = ()
    notes: str = ""
    outcome: str | None = None
    outcome_draft: str = ""
