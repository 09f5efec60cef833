"""Invoices a newer export of the same books no longer lists: paid in between.

A FEC, an aged balance or a tool's export says what is open today; an invoice an earlier
export of the same source had open and this one leaves out was settled meanwhile. It is
closed with a payment dated on the import, so its history shows when the ledger learned it.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlmodel import Session, col

from callcoach.db.tables import Invoice, Payment
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import InvoiceStatus


def close_paid(session: Session, source: str, still_open: set[str], clock: Clock) -> int:
    """Invoices an earlier export of the same books had open, and this one no longer has.

    The file's numbers are compared here, not sent to the database: a large FEC lists more
    numbers than a statement may carry (65,535 parameters on PostgreSQL, 250,000 on SQLite)."""
    open_ones = session.execute(
        select(col(Invoice.id), col(Invoice.number), col(Invoice.amount_cents), col(Invoice.paid_cents))
        .where(col(Invoice.source) == source, col(Invoice.status) == InvoiceStatus.OPEN)
        .order_by(col(Invoice.id))
    ).all()
    gone = [row for row in open_ones if row.number not in still_open]
    if not gone:
        return 0
    now, today = clock.now(), clock.today()
    payments = [
        {
            "invoice_id": row.id,
            "amount_cents": row.amount_cents - row.paid_cents,
            "paid_on": today,
            "source": "import",
            "recorded_at": now,
        }
        for row in gone
        if row.amount_cents > row.paid_cents
    ]
    if payments:
        session.execute(insert(Payment), payments)
    session.execute(
        update(Invoice),
        [{"id": row.id, "paid_cents": row.amount_cents, "status": InvoiceStatus.PAID} for row in gone],
    )
    return len(gone)
