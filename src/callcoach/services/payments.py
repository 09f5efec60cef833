"""Recording a payment the collector received, against one invoice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from callcoach.db.tables import Invoice, Payment
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import InvoiceStatus
from callcoach.domain.money import format_money
from callcoach.services.errors import UserError


@dataclass(frozen=True)
class PaymentReceipt:
    invoice_number: str
    amount_cents: int
    remaining_cents: int
    currency: str
    status: str


def record_payment(
    session: Session,
    *,
    invoice_number: str,
    amount_cents: int,
    paid_on: date,
    clock: Clock,
    method: str | None = None,
) -> PaymentReceipt:
    invoice = session.exec(select(Invoice).where(Invoice.number == invoice_number.strip())).scalars().first()  # type: ignore[call-overload]
    if invoice is None:
        raise UserError(f"no invoice numbered {invoice_number!r}")
    if amount_cents <= 0:
        raise UserError("a payment must be more than zero")
    if invoice.status == InvoiceStatus.CANCELLED:
        raise UserError(f"invoice {invoice.number} is cancelled")
    remaining = invoice.amount_cents - invoice.paid_cents
    if amount_cents > remaining:
        raise UserError(
            f"invoice {invoice.number} has only {format_money(remaining, invoice.currency, 'en')} left to pay"
        )
    if paid_on > clock.today():
        raise UserError(f"payment date {paid_on:%d/%m/%Y} is in the future")
    invoice.paid_cents += amount_cents
    if invoice.paid_cents >= invoice.amount_cents:
        invoice.status = InvoiceStatus.PAID
    session.add(invoice)
    assert invoice.id is not None
    session.add(
        Payment(
            invoice_id=invoice.id,
            amount_cents=amount_cents,
            paid_on=paid_on,
            method=method,
            source="manual",
            recorded_at=clock.now(),
        )
    )
    session.flush()
    from callcoach.services.followthrough import settle_promises

    settle_promises(session, clock=clock, debtor_id=invoice.debtor_id)
    return PaymentReceipt(
        invoice.number, amount_cents, invoice.amount_cents - invoice.paid_cents, invoice.currency, invoice.status
    )
