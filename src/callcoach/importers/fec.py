"""FEC (Fichier des Écritures Comptables): the open receivables of customer accounts.

What a customer owes is the balance of their 411 account. Lettering (EcritureLet) marks
the entries already matched; debits not lettered are the open invoices, and credits not
lettered (payments, credit notes) settle the oldest of them first. Where that disagrees
with the balance the import says so for the customer rather than inventing a debt. An
FEC has no due dates: they are estimated from a default payment term.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path

from callcoach.domain.kinds import InvoiceStatus
from callcoach.domain.money import Sum
from callcoach.domain.text import clean_field, name_key
from callcoach.domain.worded import Remark, WordedError
from callcoach.importers.reading import decode
from callcoach.importers.rows import InvoiceRow

REQUIRED = ("JournalCode", "EcritureDate", "CompteNum", "CompteLib", "PieceRef", "Debit", "Credit")
TILL_WORDS = re.compile(r"\b(recettes?|caisse|esp[eè]ces|tickets?|ventes? comptoir|cb)\b", re.IGNORECASE)


class FecError(WordedError):
    pass


@dataclass
class FecInvoice:
    piece: str
    issue_date: date
    due_date: date
    amount_cents: int
    remaining_cents: int
    label: str


@dataclass
class FecCustomer:
    account: str
    name: str
    balance_cents: int
    invoices: list[FecInvoice] = field(default_factory=list)


@dataclass
class FecLedger:
    path: Path
    customers: list[FecCustomer] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # customer-by-customer reasons, for the report
    company_id: str = ""


def looks_like_fec(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return first.startswith(b"JournalCode") and (b"\t" in first or b"|" in first)


def _amount(text: str, path: Path, line: int) -> int:
    raw = text.strip().replace(" ", "").replace(",", ".")
    try:
        return int((Decimal(raw or "0") * 100).quantize(Decimal(1)))
    except InvalidOperation:
        raise FecError(
            "{path}:{line}: not an amount: {text!r}", code="fec_not_an_amount", path=path, line=line, text=text
        ) from None


def _day(text: str, path: Path, line: int) -> date:
    raw = text.strip()
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except (ValueError, IndexError):
        raise FecError(
            "{path}:{line}: not a date (YYYYMMDD): {raw!r}", code="fec_not_a_date", path=path, line=line, raw=raw
        ) from None


def _cell(record: list[str], col: dict[str, int], name: str) -> str:
    index = col.get(name)
    return record[index].strip() if index is not None and index < len(record) else ""


def read_fec(path: Path, *, default_term_days: int = 30) -> FecLedger:
    text, _ = decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else "|"
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=csv.QUOTE_NONE)
    header = [h.strip() for h in next(rows)]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FecError(
            "{path}:1: not an FEC: no column {names}", code="fec_missing_columns", path=path, names=", ".join(missing)
        )
    col = {name: i for i, name in enumerate(header)}
    accounts: dict[str, dict[str, object]] = {}
    collective: dict[str, dict[str, object]] = {}
    for number, record in enumerate(rows, start=2):
        if not any(c.strip() for c in record):
            continue
        cell = partial(_cell, record, col)
        account = cell("CompteNum")
        if not account.startswith("411"):
            continue
        key = cell("CompAuxNum") or account
        name = clean_field(cell("CompAuxLib") or cell("CompteLib")) or key
        if not cell("CompAuxNum") and is_collective(account, cell("CompteLib")):
            slot = collective.setdefault(account, {"name": clean_field(cell("CompteLib")) or account, "balance": 0})
            slot["balance"] += _amount(cell("Debit"), path, number) - _amount(cell("Credit"), path, number)  # type: ignore[operator]
            continue
        entry = {
            "debit": _amount(cell("Debit"), path, number),
            "credit": _amount(cell("Credit"), path, number),
            "letter": cell("EcritureLet"),
            "piece": clean_field(cell("PieceRef")) or f"line {number}",
            "date": _day(cell("PieceDate") or cell("EcritureDate"), path, number),
            "label": clean_field(cell("EcritureLib")),
            "journal": cell("JournalCode"),
        }
        slot = accounts.setdefault(key, {"name": name, "entries": []})
        slot["entries"].append(entry)  # type: ignore[attr-defined]
    ledger = FecLedger(path=path, company_id=path.name[:9] if path.name[:9].isdigit() else "")
    for key, slot in accounts.items():
        _customer(ledger, key, str(slot["name"]), slot["entries"], default_term_days)  # type: ignore[arg-type]
    for account, slot in collective.items():
        ledger.skipped.append(
            Remark(
                "{name} ({account}): the collective customer account, with no customer account under it "
                "(balance {balance}): not a debtor, nobody to call",
                code="fec_collective",
                name=slot["name"],
                account=account,
                balance=Sum(int(slot["balance"])),  # type: ignore[call-overload]
            )
        )
    return ledger


def _customer(ledger: FecLedger, key: str, name: str, entries: list[dict], term: int) -> None:  # type: ignore[type-arg]
    balance = sum(e["debit"] - e["credit"] for e in entries)
    labels = " ".join({name, *(e["label"] for e in entries if e["debit"] > 0)})
    if TILL_WORDS.search(labels):
        ledger.skipped.append(
            Remark("{name} ({key}): till receipts, not invoices: no calls", code="fec_till", name=name, key=key)
        )
        return
    if balance <= 0:
        if balance < 0:
            ledger.skipped.append(
                Remark(
                    "{name} ({key}): in credit ({balance}): nothing to call about",
                    code="fec_in_credit",
                    name=name,
                    key=key,
                    balance=Sum(balance),
                )
            )
        return
    open_debits = sorted((e for e in entries if e["debit"] > 0 and not e["letter"]), key=lambda e: e["date"])
    credit_pool = sum(e["credit"] for e in entries if e["credit"] > 0 and not e["letter"])
    lettered_gap = sum(e["debit"] - e["credit"] for e in entries if e["letter"])
    invoices = []
    for entry in open_debits:
        paid = min(credit_pool, entry["debit"])
        credit_pool -= paid
        invoices.append(
            FecInvoice(
                entry["piece"],
                entry["date"],
                entry["date"] + timedelta(days=term),
                entry["debit"],
                entry["debit"] - paid,
                entry["label"],
            )
        )
    open_total = sum(i.remaining_cents for i in invoices)
    if open_total != balance:
        # Partial or missing lettering is normal in real books: what is owed is the balance,
        # and payments are taken to settle the oldest invoices first.
        ledger.skipped.append(
            Remark(
                "{name} ({key}): lettering and balance disagree (open entries {open_total}, balance {balance}, "
                "lettered groups off by {gap}): open invoices taken from the balance, oldest settled first",
                code="fec_lettering",
                name=name,
                key=key,
                open_total=Sum(open_total),
                balance=Sum(balance),
                gap=Sum(lettered_gap),
            )
        )
        invoices = _from_balance(entries, balance, term)
    ledger.customers.append(FecCustomer(key, name, balance, [i for i in invoices if i.remaining_cents > 0]))


def _from_balance(entries: list[dict], balance: int, term: int) -> list[FecInvoice]:  # type: ignore[type-arg]
    """The newest debits that make up the balance: every payment settled an older one."""
    invoices: list[FecInvoice] = []
    left = balance
    for entry in sorted((e for e in entries if e["debit"] > 0), key=lambda e: e["date"], reverse=True):
        if left <= 0:
            break
        owed = min(entry["debit"], left)
        left -= owed
        invoices.append(
            FecInvoice(
                entry["piece"],
                entry["date"],
                entry["date"] + timedelta(days=term),
                entry["debit"],
                owed,
                entry["label"],
            )
        )
    return invoices[::-1]


COLLECTIVE_LABEL = re.compile(
    r"^(?:comptes? )?clients?(?: (?:divers|france|ventes?|collectif|general))?$", re.IGNORECASE
)
COLLECTIVE_NUMBER = re.compile(r"^411\d?0*$")


def is_collective(account: str, label: str) -> bool:
    """The collective 411 account itself ("411000 Clients"), not one customer's account."""
    return bool(COLLECTIVE_NUMBER.match(account)) or bool(COLLECTIVE_LABEL.match(name_key(label)))


def to_rows(ledger: FecLedger) -> list[InvoiceRow]:
    """Each open invoice of each customer account as the row every reader yields."""
    source = f"fec:{ledger.company_id or ledger.path.name}"
    rows: list[InvoiceRow] = []
    for customer in ledger.customers:
        for n, inv in enumerate(customer.invoices, 1):
            number = f"{' '.join(inv.piece.split())}/{customer.account}"
            if any(r.number == number for r in rows):
                number = f"{number}#{n}"
            rows.append(
                InvoiceRow(
                    line=0,
                    number=number,
                    customer=customer.name,
                    amount_cents=inv.amount_cents,
                    issue_date=inv.issue_date,
                    due_date=inv.due_date,
                    payment_term_days=(inv.due_date - inv.issue_date).days,
                    paid_cents=inv.amount_cents - inv.remaining_cents,
                    status=str(InvoiceStatus.OPEN),
                    product=inv.label or None,
                    identifier=f"FEC:{customer.account}",
                    due_basis="estimated",
                    source=source,
                )
            )
    return rows
