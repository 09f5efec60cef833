"""Which late-payment rule applies to a debtor, and the costs of their overdue invoices."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from callcoach.db.tables import Debtor, Invoice
from callcoach.domain.kinds import OrgKind
from callcoach.domain.latecosts import LateCost, RateMissing, RateTable, late_cost
from callcoach.locations import bundled_data
from callcoach.services.errors import UserError

RULES = ("fr", "be", "none")


def user_rates_file(rule: str) -> Path:
    from callcoach.locations import config_dir

    return config_dir() / "rates" / f"{rule}.toml"


@cache
def _table(rule: str, user_file: Path, _version: int | None) -> RateTable:
    """The bundled history, with the collector's own file laid over it: a new half-year's
    rate is added there (``[half_years] "2026-2" = "..."``) without touching the program."""
    with (bundled_data("rates") / f"{rule}.toml").open("rb") as f:
        data = tomllib.load(f)
    half_years = {k: Decimal(str(v)) for k, v in data["half_years"].items()}
    if user_file.is_file():
        try:
            with user_file.open("rb") as f:
                extra = tomllib.load(f)
            half_years |= {str(k): Decimal(str(v)) for k, v in extra.get("half_years", {}).items()}
        except (OSError, tomllib.TOMLDecodeError, ArithmeticError, AttributeError) as exc:
            raise UserError(f"{user_file}: cannot read the late-payment rates ({exc})") from None
    return RateTable(
        rule=rule,
        points=Decimal(str(data["points"])),
        indemnity_cents=int(data["indemnity_cents"]),
        half_years=half_years,
        where=f"rates/{rule}.toml in your config folder",
    )


def rate_table(rule: str) -> RateTable:
    """Read again when the collector's file changes, so a rate added while the app runs counts."""
    user_file = user_rates_file(rule)
    try:
        version: int | None = user_file.stat().st_mtime_ns
    except OSError:
        version = None
    return _table(rule, user_file, version)


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
    try:
        table = None if rule == "none" else rate_table(rule)
    except UserError as exc:  # a broken rates file is named on each invoice, never a crash
        return [InvoiceCost(invoice, None, str(exc)) for invoice in invoices]
    result = []
    for invoice in invoices:
        remaining = invoice.amount_cents - invoice.paid_cents
        try:
            result.append(InvoiceCost(invoice, late_cost(remaining, invoice.due_date, as_of, table)))
        except RateMissing as exc:
            result.append(InvoiceCost(invoice, None, str(exc)))
    return result
