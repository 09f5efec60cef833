"""An e-invoice (Factur-X, CII, UBL) as the row every reader yields."""

from __future__ import annotations

from callcoach.domain.kinds import InvoiceStatus
from callcoach.importers.einvoice import EInvoice
from callcoach.importers.rows import InvoiceRow


def to_row(invoice: EInvoice) -> InvoiceRow:
    """The invoice as the row every reader yields."""
    paid = invoice.total_cents - invoice.due_cents
    if invoice.total_cents > 0:
        status = InvoiceStatus.PAID if invoice.due_cents <= 0 else InvoiceStatus.OPEN
    else:
        status = InvoiceStatus.OPEN  # a credit note stays open: it reduces what the debtor owes
    return InvoiceRow(
        line=0,
        number=invoice.number,
        customer=invoice.buyer_name,
        amount_cents=invoice.total_cents,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date or invoice.issue_date,
        payment_term_days=(invoice.due_date - invoice.issue_date).days if invoice.due_date else None,
        paid_cents=paid,
        status=str(status),
        currency=invoice.currency,
        po_number=invoice.po_number,
        copy_path=invoice.copy_path,
        contact=invoice.contact,
        phone=invoice.phone,
        email=invoice.email,
        address=invoice.address,
        identifier=_best_identifier(invoice.buyer_ids),
        doc_type=invoice.doc_type,
        due_basis=invoice.due_basis,
        buyer_reference=invoice.buyer_reference,
        payment_reference=invoice.payment_reference,
        source=f"{invoice.format}:{invoice.path.name}",
    )


def _identifier(value: str) -> str:
    return "".join(value.split()).upper()


def _best_identifier(ids: list[str]) -> str | None:
    """A VAT number (it starts with its country) before a bare national ID, which two
    countries can share."""
    cleaned = [_identifier(i) for i in ids if i]
    return next((i for i in cleaned if i[:2].isalpha()), cleaned[0] if cleaned else None)
