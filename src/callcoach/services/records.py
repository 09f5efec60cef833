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


@dataclass(frozen=True)
class SettingsRecord:
    """The collector's own details and rules, as the interfaces read them."""

    collector_name: str
    company: str
    phone: str
    email: str
    iban: str
    bic: str
    language: str
    late_rule: str
    contract_rate: str
    plan_max_months: int
    promise_grace_days: int
    double_call_hours: int
    retention_years: int
