"""Which late-payment rule applies to a debtor, and the costs of their overdue invoices."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from callcoach.db.tables import Debtor, Invoice
from callcoach.domain.kinds import OrgKind
from callcoach.domain.latecosts import LateCost, RateMissing, RateTable, late_cost
from callcoach.locations import bundled_data

RULES = ("fr", "be", "none")


@cache
def rate_table(rule: str) -> RateTable:
    path = bundled_data("rates") / f"{rule}.toml"
    with path.open("rb") as f:
        data = tomllib.load(f)
    return RateTable(
        rule=rule,
        points=Decimal(str(data["points"])),
        indemnity_cents=int(data["indemnity_cents"]),
        half_years={k: Decimal(str(v)) for k, v in data["half_years"].items()},
    )


@dataclass(frozen=True)
class InvoiceCost:
    invoice: Invoice
    cost: LateCost | None
    problem: str | None = None


def rule_for(debtor: Debtor, default_rule: str) -> str:
    if debtor.kind == OrgKind.INDIVIDUAL:
        return "none"
    return default_rule if default_rule in RULES else "fr"


def costs(debtor: Debtor, invoices: list[Invoice], *, as_of: date, default_rule: str) -> list[InvoiceCost]:
    rule = rule_for(debtor, default_rule)
    table = None if rule == "none" else rate_table(rule)
    result = []
    for invoice in invoices:
        remaining = invoice.amount_cents - invoice.paid_cents
        try:
            result.append(InvoiceCost(invoice, late_cost(remaining, invoice.due_date, as_of, table)))
        except RateMissing as exc:
            result.append(InvoiceCost(invoice, None, str(exc)))
    return result
