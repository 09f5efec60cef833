"""What to ask for and from whom (domain 1.1, 2.1, 4.3): one rule each, read by the call list's
SQL (built to mirror it in ``services/calllist.py``), the checklist, the script, the plan
calculator, the outcome form, the recap and ``show``.

The amount to ask for, per currency: each open invoice past its due date, less what is
already paid on it and less the open disputed part on that same invoice (never below zero).
A dispute on an invoice not yet due changes nothing today: that invoice is not asked for
anyway. Amounts in different currencies are never added together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol, TypeVar

from callcoach.domain.kinds import Authority, DisputeStatus, InvoiceStatus

HOME_CURRENCY = "EUR"


# Read-only members: a ledger row and a frozen record of it both fit.
class InvoiceLike(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def amount_cents(self) -> int: ...
    @property
    def paid_cents(self) -> int: ...
    @property
    def due_date(self) -> date: ...
    @property
    def status(self) -> str: ...


class DisputeLike(Protocol):
    @property
    def invoice_id(self) -> int | None: ...
    @property
    def amount_cents(self) -> int: ...
    @property
    def status(self) -> str: ...


class ContactLike(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def can_release_payment(self) -> str: ...
    @property
    def is_primary(self) -> bool: ...


def disputed_by_invoice(disputes: Iterable[DisputeLike]) -> dict[int, int]:
    """The open disputed amount on each invoice."""
    result: dict[int, int] = {}
    for dispute in disputes:
        if dispute.status == DisputeStatus.OPEN and dispute.invoice_id is not None:
            result[dispute.invoice_id] = result.get(dispute.invoice_id, 0) + dispute.amount_cents
    return result


def claimable(invoice: InvoiceLike, disputed_cents: int, today: date) -> int:
    """What is asked for on one invoice today."""
    if invoice.status != InvoiceStatus.OPEN or invoice.due_date >= today:
        return 0
    return max(0, invoice.amount_cents - invoice.paid_cents - disputed_cents)


def claimable_by_currency(
    invoices: Iterable[InvoiceLike], disputes: Iterable[DisputeLike], today: date
) -> dict[str, int]:
    """The amount to ask for in each currency (only currencies with something to ask for)."""
    disputed = disputed_by_invoice(disputes)
    totals: dict[str, int] = {}
    for invoice in invoices:
        cents = claimable(invoice, disputed.get(invoice.id or 0, 0), today)
        if cents > 0:
            totals[invoice.currency] = totals.get(invoice.currency, 0) + cents
    return totals


def main_currency(totals: dict[str, int]) -> str | None:
    """The currency of the largest amount; euros win a tie, then the alphabet."""
    if not totals:
        return None
    return min(totals, key=lambda c: (-totals[c], c != HOME_CURRENCY, c))


C = TypeVar("C", bound=ContactLike)


def whom_to_ask(contacts: Sequence[C]) -> C | None:
    """The person who can release the payment; else the main contact; else the first one."""
    for contact in contacts:
        if contact.can_release_payment == Authority.YES:
            return contact
    return next((c for c in contacts if c.is_primary), contacts[0] if contacts else None)
