"""Portable SQL pieces the overview's figures share.

Periods (aging buckets, weeks, months) are counted in the database with a CASE over bound
edges rather than a dialect's date functions (``strftime`` here, ``date_trunc`` there), so
the same statement runs on SQLite and PostgreSQL. The CASE is computed in an inner select
and grouped outside it: PostgreSQL would not recognise a parameterised CASE repeated in
GROUP BY as the one in the select list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, case, literal
from sqlmodel import col

from callcoach.db.tables import Invoice
from callcoach.domain.kinds import InvoiceStatus
from callcoach.services import calllist
from callcoach.services.calllist import HOME_CURRENCY

__all__ = ["HOME_CURRENCY", "IS_DISPUTED", "IS_OPEN", "NOT_CANCELLED", "as_date", "currency_order", "period_of"]

NOT_CANCELLED = InvoiceStatus.CANCELLED.value
IS_OPEN = calllist.IS_OPEN  # the call list's own condition
# Written into the SQL, as IS_OPEN: the partial index of disputed invoices needs to see it.
IS_DISPUTED = col(Invoice.status) == literal(InvoiceStatus.DISPUTED.value, literal_execute=True)


def period_of(column: Any, edges: Sequence[date | datetime]) -> ColumnElement[int]:
    """0 before the first edge, i from edge i-1 (included) to edge i (excluded), len(edges) after."""
    return case(
        *[(column < literal(edge, type_=column.type), i) for i, edge in enumerate(edges)],
        else_=len(edges),
    ).cast(Integer)


def currency_order(currencies: set[str]) -> list[str]:
    """The home currency first, then the others alphabetically: never added together."""
    return sorted(currencies, key=lambda c: (c != HOME_CURRENCY, c))


def as_date(value: object) -> date:
    """Grouped dates come back as text from SQLite."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
