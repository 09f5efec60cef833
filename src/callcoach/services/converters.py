"""Database rows into the plain values of ``services.records``, inside the transaction that
read them: what leaves a service is a frozen value, never a row bound to a session."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

from sqlmodel import SQLModel

from callcoach.db.tables import Call
from callcoach.services.records import CallRecord

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


def as_record(kind: type[R], row: SQLModel) -> R:
    """The row's columns that ``kind`` names, by the same names (a record mirrors its table)."""
    return kind(**{f.name: getattr(row, f.name) for f in fields(kind)})


def as_records(kind: type[R], rows: Iterable[SQLModel]) -> tuple[R, ...]:
    return tuple(as_record(kind, row) for row in rows)


def call_record(call: Call) -> CallRecord:
    """A call row as plain values: its excuses as the tuple they are, not the stored text."""
    assert call.id is not None  # loaded or flushed
    return CallRecord(
        id=call.id,
        debtor_id=call.debtor_id,
        contact_id=call.contact_id,
        started_at=call.started_at,
        ended_at=call.ended_at,
        stage_reached=call.stage_reached,
        excuses=tuple(e for e in call.excuses.split(",") if e),
        notes=call.notes,
        outcome=call.outcome,
        outcome_draft=call.outcome_draft,
        faults=call.faults,
        why=call.why,
        collector_id=call.collector_id,
    )
