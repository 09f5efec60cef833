"""Invoices a newer export of the same books no longer lists: paid in between.

A FEC, an aged balance or a tool's export says what is open today; an invoice an earlier
export of the same source had open and this one leaves out was settled meanwhile. It is
closed with a payment dated on the import, so its history shows when the ledger learned it.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import Session, col

from callcoach.db.tables import Invoice, Payment
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import InvoiceStatus


def close_paid(session: Session, source: str, still_open: set[str], clock: Clock) -> int:
    """Invoices an earlier export of the same books had open, and this one no longer has."""
    gone = (
        session.exec(
            select(Invoice).where(
                Invoice.source == source, Invoice.status == InvoiceStatus.OPEN, col(Invoice.number).not_in(still_open)
            )
        )
        .scalars()
        .all()
    )
    for invoice in gone:
        remaining = invoice.amount_cents - invoice.paid_cents
        if remaining > 0:
            session.add(
                Payment(
                    invoice_id=invoice.id,
                    amount_cents=remaining,
                    paid_on=clock.today(),
                    source="import",
                    recorded_at=clock.now(),
                )
            )
        session.execute(
            update(Invoice)
            .where(Invoice.id == invoice.id)
            .values(paid_cents=invoice.amount_cents, status=InvoiceStatus.PAID)
        )
    return len(gone)
