"""Recording a payment the collector received, against one invoice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from callcoach.db.tables import Invoice, Payment
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import InvoiceStatus
from callcoach.domain.money import Sum
from callcoach.services.balances import note_today
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
    invoice = session.exec(select(Invoice).where(Invoice.number == invoice_number.strip())).first()
    if invoice is None:
        raise UserError(
            "no invoice numbered {invoice_number!r}", code="no_invoice_numbered", invoice_number=invoice_number
        )
    if amount_cents <= 0:
        raise UserError("a payment must be more than zero", code="payment_not_positive")
    if invoice.status == InvoiceStatus.CANCELLED:
        raise UserError("invoice {number} is cancelled", code="invoice_cancelled", number=invoice.number)
    remaining = invoice.amount_cents - invoice.paid_cents
    if amount_cents > remaining:
        raise UserError(
            "invoice {number} has only {left} left to pay",
            code="payment_over_remaining",
            number=invoice.number,
            left=Sum(remaining, invoice.currency),
        )
    if paid_on > clock.today():
        raise UserError(
            "payment date {paid_on:%d/%m/%Y} is in the future", code="payment_date_in_future", paid_on=paid_on
        )
    note_today(session, clock.today())
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
    if not clock.what_if:  # a look at another day records the payment, never what that day would settle
        from callcoach.services.followthrough import settle_promises

        settle_promises(session, clock=clock, debtor_id=invoice.debtor_id)
    return PaymentReceipt(
        invoice.number, amount_cents, invoice.amount_cents - invoice.paid_cents, invoice.currency, invoice.status
    )


def record_debtor_payment(
    session: Session,
    *,
    debtor_id: int,
    amount_cents: int,
    paid_on: date,
    clock: Clock,
    method: str | None = None,
) -> list[PaymentReceipt]:
    """Money from a client, not tied to one invoice: it settles the oldest due invoices first."""
    if amount_cents <= 0:
        raise UserError("a payment must be more than zero", code="payment_not_positive")
    invoices = list(
        session.exec(
            select(Invoice)
            .where(Invoice.debtor_id == debtor_id, Invoice.status == InvoiceStatus.OPEN)
            .order_by(col(Invoice.due_date), col(Invoice.number))
        )
    )
    open_ones = [i for i in invoices if i.amount_cents > i.paid_cents]
    total = sum(i.amount_cents - i.paid_cents for i in open_ones)
    if amount_cents > total:
        currency = open_ones[0].currency if open_ones else "EUR"
        raise UserError(
            "more than the {left} left to pay on open invoices",
            code="payment_over_open_total",
            left=Sum(total, currency),
        )
    receipts = []
    left = amount_cents
    for invoice in open_ones:
        if left <= 0:
            break
        part = min(left, invoice.amount_cents - invoice.paid_cents)
        receipts.append(
            record_payment(
                session, invoice_number=invoice.number, amount_cents=part, paid_on=paid_on, clock=clock, method=method
            )
        )
        left -= part
    return receipts
