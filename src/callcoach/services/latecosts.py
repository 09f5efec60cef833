"""Which late-payment terms apply to a debtor, and the costs of their late invoices.

The rates come from ``data/rates`` (bundled) with the collector's own file laid over each
table, so a new half-year's rate is added without touching the program.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from sqlmodel import Session

from callcoach.db.tables import Debtor
from callcoach.domain.kinds import InvoiceStatus, OrgKind
from callcoach.domain.latecosts import (
    INDEMNITY_CURRENCY,
    PUBLIC_BODY_POINTS,
    Basis,
    LateCost,
    LateTerms,
    Paid,
    RateTable,
    late_cost,
)
from callcoach.locations import bundled_data
from callcoach.services.debtors import DebtorFile
from callcoach.services.errors import UserError
from callcoach.services.records import DebtorRecord, InvoiceRecord, SettingsRecord

RULES = ("fr", "be", "none")
LEGAL = "legal_fr"
FORMAL_NOTICE = 3  # the reminder level that is a formal notice


def user_rates_file(rule: str) -> Path:
    from callcoach.locations import config_dir

    return config_dir() / "rates" / f"{rule}.toml"


@cache
def _table(rule: str, user_file: Path, _version: int | None) -> tuple[RateTable, Decimal, int]:
    """The bundled history with the collector's file over it; and the table's points and indemnity."""
    with (bundled_data("rates") / f"{rule}.toml").open("rb") as f:
        data = tomllib.load(f)
    half_years = {k: Decimal(str(v)) for k, v in data["half_years"].items()}
    if user_file.is_file():
        try:
            with user_file.open("rb") as f:
                extra = tomllib.load(f)
            half_years |= {str(k): Decimal(str(v)) for k, v in extra.get("half_years", {}).items()}
        except (OSError, tomllib.TOMLDecodeError, ArithmeticError, AttributeError) as exc:
            raise UserError(
                "{user_file}: cannot read the late-payment rates ({exc})",
                code="rates_file_unreadable",
                user_file=user_file,
                exc=exc,
            ) from None
    table = RateTable(rule=rule, half_years=half_years, where=str(user_file))
    return table, Decimal(str(data.get("points", "0"))), int(data.get("indemnity_cents", 4000))


def rate_table(rule: str) -> tuple[RateTable, Decimal, int]:
    """Read again when the collector's file changes, so a rate added while the app runs counts."""
    user_file = user_rates_file(rule)
    try:
        version: int | None = user_file.stat().st_mtime_ns
    except OSError:
        version = None
    return _table(rule, user_file, version)


def indemnity_of(rule: str) -> int:
    """The fixed indemnity per late invoice under ``rule``, in euro cents (0 for none), for the
    texts that name the rule before any debtor is at hand (the setup screen)."""
    if rule not in RULES or rule == "none":
        return 0
    return rate_table(rule)[2]


def parse_rate(text: str) -> Decimal | None:
    """ "9.5", "9,5 %" -> 9.5; empty -> None (no contractual rate)."""
    raw = text.strip().rstrip("%").strip().replace(",", ".")
    if not raw:
        return None
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        raise UserError("not a rate: {text!r} (a percentage, e.g. 12.5)", code="rate_unreadable", text=text) from None
    if not Decimal(0) < rate < Decimal(100):
        raise UserError("a yearly rate between 0 and 100 %, not {text!r}", code="rate_out_of_range", text=text)
    return rate


def terms_for(debtor: DebtorRecord, settings: SettingsRecord) -> LateTerms:
    """The debtor's kind and the collector's rule (and contractual rate, if any) decide."""
    rule = settings.late_rule if settings.late_rule in RULES else "fr"
    if rule == "none":
        return LateTerms(Basis.NONE, indemnity_cents=0)
    legal = rate_table(LEGAL)[0] if rule == "fr" else None
    if debtor.kind == OrgKind.INDIVIDUAL:
        return LateTerms(Basis.INDIVIDUAL, legal=legal, indemnity_cents=0)
    table, points, indemnity = rate_table(rule)
    contract = parse_rate(debtor.contract_rate or "") or parse_rate(settings.contract_rate or "")
    if contract is not None:
        return LateTerms(Basis.CONTRACT, table, contract_rate=contract, legal=legal, indemnity_cents=indemnity)
    if debtor.kind == OrgKind.PUBLIC_BODY and rule == "fr":
        return LateTerms(Basis.PUBLIC_BODY, table, PUBLIC_BODY_POINTS, indemnity_cents=indemnity)
    return LateTerms(Basis.STATUTORY, table, points, indemnity_cents=indemnity)


@dataclass(frozen=True)
class InvoiceCost:
    invoice: InvoiceRecord
    cost: LateCost | None
    problem: str | None = None


def costs(
    file: DebtorFile, *, as_of: date, settings: SettingsRecord, invoices: list[InvoiceRecord] | None = None
) -> list[InvoiceCost]:
    """Each late invoice's costs: the open ones past due, and (unless ``invoices`` says which)
    those paid in full after their due date, whose costs stay claimable."""
    chosen = invoices if invoices is not None else [i for i in file.invoices if i.due_date < as_of]
    try:
        terms = terms_for(file.debtor, settings)
    except UserError as exc:  # a broken rates file is named on each invoice, never a crash
        return [InvoiceCost(invoice, None, str(exc)) for invoice in chosen]
    payments: dict[int, list[Paid]] = {}
    later: dict[int, int] = {}  # received after ``as_of``: not yet paid on that day
    for payment in file.payments:
        if payment.paid_on <= as_of:
            payments.setdefault(payment.invoice_id, []).append(Paid(payment.paid_on, payment.amount_cents))
        else:
            later[payment.invoice_id] = later.get(payment.invoice_id, 0) + payment.amount_cents
    notices = {r.invoice_id: r.created_at.date() for r in file.reminders if r.level == FORMAL_NOTICE}
    result = []
    for invoice in chosen:
        if invoice.status in (InvoiceStatus.CANCELLED, InvoiceStatus.DISPUTED):
            continue
        paid = invoice.paid_cents - later.get(invoice.id or 0, 0)
        cost = late_cost(
            amount_cents=invoice.amount_cents,
            paid_cents=paid,
            due=invoice.due_date,
            payments=payments.get(invoice.id or 0, []),
            as_of=as_of,
            terms=terms,
            notice_on=notices.get(invoice.id or 0),
        )
        open_now = invoice.amount_cents > paid
        if open_now or cost.paid_late:
            result.append(InvoiceCost(invoice, cost))
    return result


@dataclass(frozen=True)
class Totals:
    remaining_cents: int = 0
    interest_cents: int = 0
    indemnity_cents: int = 0

    @property
    def total_cents(self) -> int:
        return self.remaining_cents + self.interest_cents + self.indemnity_cents

    def plus(self, remaining: int = 0, interest: int = 0, indemnity: int = 0) -> Totals:
        return Totals(
            self.remaining_cents + remaining, self.interest_cents + interest, self.indemnity_cents + indemnity
        )


@dataclass(frozen=True)
class LateSummary:
    """One debtor's late costs as the checklist, ``show`` and the reminders state them."""

    terms: LateTerms | None
    open: list[InvoiceCost]  # open invoices past due
    paid_late: list[InvoiceCost]  # paid in full after the due date: claimable, shown apart
    open_totals: dict[str, Totals]  # per currency; the indemnity is in euros whatever the invoice's
    paid_late_totals: dict[str, Totals]
    provisional: tuple[str, ...]  # half-years charged at the last known rate
    where: str  # the file to complete
    problem: str | None = None  # a rates file that cannot be read


def summary(file: DebtorFile, *, as_of: date, settings: SettingsRecord) -> LateSummary:
    entries = costs(file, as_of=as_of, settings=settings)
    problem = next((e.problem for e in entries if e.problem), None)
    try:
        terms: LateTerms | None = terms_for(file.debtor, settings)
    except UserError as exc:
        terms, problem = None, str(exc)
    open_costs = [e for e in entries if e.cost is not None and not e.cost.paid_late]
    paid_late = [e for e in entries if e.cost is not None and e.cost.paid_late and e.cost.owed]
    return _summed(entries, open_costs, paid_late, terms, problem)


def _add(totals: dict[str, Totals], entry: InvoiceCost, remaining: int) -> None:
    assert entry.cost is not None
    currency = entry.invoice.currency
    totals[currency] = totals.get(currency, Totals()).plus(remaining, entry.cost.interest_cents)
    totals[INDEMNITY_CURRENCY] = totals.get(INDEMNITY_CURRENCY, Totals()).plus(indemnity=entry.cost.indemnity_cents)


def _summed(
    entries: list[InvoiceCost],
    open_costs: list[InvoiceCost],
    paid_late: list[InvoiceCost],
    terms: LateTerms | None,
    problem: str | None,
) -> LateSummary:
    open_totals: dict[str, Totals] = {}
    for e in open_costs:
        _add(open_totals, e, e.invoice.amount_cents - e.invoice.paid_cents)
    late_totals: dict[str, Totals] = {}
    for e in paid_late:
        _add(late_totals, e, 0)
    open_totals = {c: t for c, t in open_totals.items() if t.total_cents}
    late_totals = {c: t for c, t in late_totals.items() if t.total_cents}
    provisional = sorted({k for e in entries if e.cost for k in e.cost.provisional})
    where = next((e.cost.where for e in entries if e.cost and e.cost.where), "")
    return LateSummary(terms, open_costs, paid_late, open_totals, late_totals, tuple(provisional), where, problem)


def set_debtor_rate(session: Session, *, debtor_id: int, value: str) -> str:
    """A late-payment rate agreed in this debtor's contract (empty: back to the ledger's rule);
    checked against the legal floor like the ledger's own rate."""
    debtor = session.get(Debtor, debtor_id)
    if debtor is None:
        raise UserError("no debtor with id {debtor_id}", code="no_debtor_id", debtor_id=debtor_id)
    if debtor.kind == OrgKind.INDIVIDUAL and value.strip():
        raise UserError(
            "contract_rate: {name} is a private individual: no B2B late-payment rate applies",
            code="contract_rate_consumer",
            name=debtor.name,
        )
    rate = check_contract_rate(value)
    debtor.contract_rate = rate or None
    session.add(debtor)
    return rate


def check_contract_rate(value: str) -> str:
    """A contractual rate replaces the statutory one, but French law forbids one below three
    times the legal interest rate: refused here, named with the floor."""
    from callcoach.domain.latecosts import CONTRACT_FLOOR_TIMES

    rate = parse_rate(value)
    if rate is None:
        return ""
    legal = rate_table(LEGAL)[0]
    latest = max(legal.half_years, key=lambda k: tuple(int(x) for x in k.split("-")))
    floor = legal.half_years[latest] * CONTRACT_FLOOR_TIMES
    if rate < floor:
        raise UserError(
            "contract_rate: {rate} % is below three times the French legal rate ({floor} % in {latest})",
            code="contract_rate_below_floor",
            rate=rate,
            floor=floor,
            latest=latest,
        )
    return str(rate)
