"""Every figure the collector states about one debtor, per invoice and in total, as plain data
(``callcoach show --json``): what remains, what is asked for, the late costs and the payment
reference, each from its one rule in ``domain``."""

from __future__ import annotations

from datetime import date
from typing import Any

from callcoach.domain.claims import claimable, disputed_by_invoice, main_currency
from callcoach.domain.latecosts import INDEMNITY_CURRENCY
from callcoach.domain.references import payment_reference
from callcoach.services.debtors import DebtorFile
from callcoach.services.latecosts import InvoiceCost, LateSummary, Totals, summary
from callcoach.services.records import SettingsRecord


def _cost(entry: InvoiceCost | None) -> dict[str, Any]:
    """The interest is in the invoice's currency; the indemnity in euros, whatever it is."""
    if entry is None or entry.cost is None:
        return {"interest_cents": 0, "indemnity_cents": 0, "indemnity_currency": INDEMNITY_CURRENCY}
    cost = entry.cost
    return {
        "interest_cents": cost.interest_cents,
        "indemnity_cents": cost.indemnity_cents,
        "indemnity_currency": INDEMNITY_CURRENCY,
        "late_basis": str(cost.basis),
        "paid_late": cost.paid_late,
        "provisional": bool(cost.provisional),
        "awaiting_formal_notice": cost.awaiting_notice,
    }


def _totals(totals: dict[str, Totals]) -> dict[str, dict[str, int]]:
    return {
        currency: {
            "remaining_cents": t.remaining_cents,
            "interest_cents": t.interest_cents,
            "indemnity_cents": t.indemnity_cents,
            "total_due_cents": t.total_cents,
        }
        for currency, t in totals.items()
    }


def invoice_figures(file: DebtorFile, settings: SettingsRecord, as_of: date) -> dict[str, dict[str, Any]]:
    """Per invoice number: remaining, claimable, late costs, provisional flag, reference.

    ``total_due_cents`` is in the invoice's currency: what remains plus the interest, plus
    the indemnity only for an invoice in euros (in another currency the indemnity stays
    apart, in euros: sums in two currencies are never added)."""
    late = summary(file, as_of=as_of, settings=settings)
    by_id = {e.invoice.id: e for e in late.open + late.paid_late}
    disputed = disputed_by_invoice(file.disputes)
    result = {}
    for invoice in file.invoices:
        entry = by_id.get(invoice.id)
        remaining = invoice.amount_cents - invoice.paid_cents
        late_cents = 0
        if entry and entry.cost and not entry.cost.paid_late:
            late_cents = entry.cost.interest_cents
            if invoice.currency == INDEMNITY_CURRENCY:
                late_cents += entry.cost.indemnity_cents
        result[invoice.number] = {
            "remaining_cents": remaining,
            "claimable_cents": claimable(invoice, disputed.get(invoice.id or 0, 0), as_of),
            **_cost(entry),
            "total_due_cents": (remaining if invoice.status == "open" else 0) + late_cents,
            "reference": payment_reference(settings.iban, invoice.payment_reference or invoice.number),
        }
    return result


def debtor_totals(file: DebtorFile, settings: SettingsRecord, as_of: date) -> dict[str, Any]:
    late: LateSummary = summary(file, as_of=as_of, settings=settings)
    asked = file.claimable_by_currency(as_of)
    return {
        "late_payment_basis": str(late.terms.basis) if late.terms else None,
        "claimable": asked,
        "main_currency": main_currency(asked),
        "totals": _totals(late.open_totals),
        "paid_late_totals": _totals(late.paid_late_totals),
        "provisional": bool(late.provisional),
        "provisional_half_years": list(late.provisional),
        "rates_file_to_complete": late.where or None,
        "late_cost_problem": late.problem,
    }
