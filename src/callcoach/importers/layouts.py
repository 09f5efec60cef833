"""What the rows of a found table mean, turned into one record per invoice for the row rules.

- ``invoices``: one row per invoice (the everyday list, or a detail report with bucket columns);
- ``invoice lines``: one row per invoice line, grouped by invoice number; the invoice total
  when a column gives it, else the sum of the line totals;
- ``ledger``: accounting lines (sales, receivable, payment) of which only the receivable
  ones say what the customer owes: debits are invoiced, credits paid;
- ``aged balance``: one row per customer with amounts by lateness bucket and no invoice
  numbers: one open balance per customer, due date estimated from its oldest bucket;
- ``grouped by customer``: invoice lines under a "Client : 411XXX - Name" heading row.
Total, subtotal and note rows are recognised and set aside, never read as invoices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from callcoach.domain.money import AmountError
from callcoach.domain.text import name_key
from callcoach.domain.worded import Remark, WordedError
from callcoach.importers.rows import RowError
from callcoach.importers.tables import Found, filled, is_total
from callcoach.importers.values import read_amount

RECEIVABLE = re.compile(r"receivable|debtors|\bclients?\b|\b411|a recevoir", re.IGNORECASE)
_GROUP = re.compile(
    r"^(?:client|customer|compte|tiers|account)\s*:?\s*(?:(?:411|C)\w*\s*[-–:]\s*)?(.+)$", re.IGNORECASE
)
_REFERENCE = re.compile(r"^[A-Za-z]{0,8}[-/ ._#]?\d[\w\-/.]*$")


@dataclass
class Shaped:
    layout: str
    header: list[str]
    columns: dict[str, int]
    records: list[tuple[int, list[str]]] = field(default_factory=list)
    set_aside: list[tuple[int, str]] = field(default_factory=list)  # (line, what it was)
    notes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    estimated: bool = False


def shape(found: Found, source: str, *, today: date) -> Shaped:
    """The records of ``found`` in its layout, with the header they are read by."""
    columns = dict(found.matching.columns)
    shaped = Shaped("invoices", list(found.header), columns)
    rows = [(line, list(cells)) for line, cells in found.data()]
    money = any(name in columns for name in ("debit", "credit", "amount"))
    if found.buckets and "number" not in columns:
        if "customer" not in columns and "account" in columns:
            columns["customer"] = columns.pop("account")
        _aged(shaped, rows, found, today)
    elif money and "account" in columns and any(RECEIVABLE.search(_at(r, columns["account"])) for _, r in rows):
        _ledger(shaped, rows, source)
    else:
        for stand_in in ("account", "contact"):  # a customer column under another name
            if "customer" not in columns and stand_in in columns:
                columns["customer"] = columns.pop(stand_in)
        if "customer" not in columns:
            rows = _grouped(shaped, rows)
        if "number" not in columns:
            _number_from_values(shaped, rows)
        rows = _set_aside_totals(shaped, rows)
        if "number" in columns and ("line_amount" in columns or "quantity" in columns) and _repeats(rows, columns):
            _lines(shaped, rows, source)
        else:
            shaped.records = rows
            if found.buckets:
                shaped.layout = "invoices (detail report with lateness buckets)"
    return shaped


def _at(record: list[str], index: int | None) -> str:
    return record[index].strip() if index is not None and index < len(record) else ""


def _column(shaped: Shaped, name: str, label: str) -> int:
    """The column of ``name``, added after the file's own when the layout computes it."""
    if name not in shaped.columns:
        shaped.header.append(label)
        shaped.columns[name] = len(shaped.header) - 1
    return shaped.columns[name]


def _put(record: list[str], index: int, value: str) -> None:
    if len(record) <= index:
        record.extend([""] * (index + 1 - len(record)))
    record[index] = value


def _cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _repeats(rows: list[tuple[int, list[str]]], columns: dict[str, int]) -> bool:
    numbers = [_at(r, columns["number"]) for _, r in rows if _at(r, columns["number"])]
    return len(set(numbers)) < len(numbers)


def _set_aside_totals(shaped: Shaped, rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Rows labelled total, rows with one lone cell (notes), and rows with no invoice number
    and no customer whose amount equals the rows above since the last such row."""
    kept: list[tuple[int, list[str]]] = []
    at_amount = shaped.columns.get("amount", shaped.columns.get("remaining"))
    key_at = [shaped.columns[k] for k in ("number", "customer") if k in shaped.columns]
    running = 0
    for line, record in rows:
        if not filled(record):
            continue
        if is_total(record):
            shaped.set_aside.append((line, "total row"))
            running = 0
            continue
        if filled(record) == 1:  # one lone cell cannot be an invoice: a note or a heading
            shaped.set_aside.append((line, "note"))
            continue
        amount = _money(_at(record, at_amount))
        if not any(_at(record, i) for i in key_at) and amount is not None and amount == running:
            shaped.set_aside.append((line, "subtotal"))
            running = 0
            continue
        running += amount or 0
        kept.append((line, record))
    return kept


def _money(text: str) -> int | None:
    try:
        return read_amount(text) if text else None
    except AmountError:
        return None


def _lines(shaped: Shaped, rows: list[tuple[int, list[str]]], source: str) -> None:
    shaped.layout = "invoice lines"
    columns = shaped.columns
    groups: dict[str, list[tuple[int, list[str]]]] = {}
    for line, record in rows:
        groups.setdefault(_at(record, columns["number"]), []).append((line, record))
    line_at = columns.get("line_amount")
    has_total = "amount" in columns
    at_amount = _column(shaped, "amount", "invoice total (sum of its lines)")
    for number, members in groups.items():
        first_line, first = members[0]
        record = list(first)
        if not number:
            shaped.records.extend(members)  # each says it has no number
            continue
        customers = {name_key(_at(r, columns.get("customer"))) for _, r in members}
        if len(customers) > 1:
            shaped.errors.append(
                RowError(source, first_line, shaped.header[columns["number"]],
                         WordedError("invoice {number} names {count} different customers on its lines",
                                     code="row_several_customers", number=number, count=len(customers)))
            )  # fmt: skip
            continue
        if not has_total and line_at is not None:
            total, bad = 0, None
            for line, r in members:
                cents = _money(_at(r, line_at))
                if cents is None and _at(r, line_at):
                    bad = (line, _at(r, line_at))
                total += cents or 0
            if bad:
                shaped.errors.append(
                    RowError(
                        source,
                        bad[0],
                        shaped.header[line_at],
                        WordedError("not an amount: {raw!r}", code="not_an_amount", raw=bad[1]),
                    )
                )
                continue
            _put(record, at_amount, _cents(total))
        shaped.records.append((first_line, record))
    shaped.notes.append(
        Remark(
            "{lines} lines grouped into {invoices} invoices by invoice number",
            code="lines_grouped",
            lines=len(rows),
            invoices=len(groups),
        )
    )


def _ledger(shaped: Shaped, rows: list[tuple[int, list[str]]], source: str) -> None:
    shaped.layout = "ledger (receivable lines)"
    columns = shaped.columns
    account, number_at = columns["account"], columns.get("number")
    debit_at, credit_at, signed_at = columns.get("debit"), columns.get("credit"), columns.get("amount")
    receivable = [(line, r) for line, r in rows if RECEIVABLE.search(_at(r, account))]
    shaped.notes.append(
        Remark(
            "{read} receivable lines read, {other} other lines left aside",
            code="receivable_lines",
            read=len(receivable),
            other=len(rows) - len(receivable),
        )
    )
    groups: dict[str, list[tuple[int, list[str], int, int]]] = {}
    for line, r in receivable:
        if debit_at is not None or credit_at is not None:
            debit, credit = _money(_at(r, debit_at)) or 0, _money(_at(r, credit_at)) or 0
        else:
            signed = _money(_at(r, signed_at)) or 0
            debit, credit = max(signed, 0), max(-signed, 0)
        groups.setdefault(_at(r, number_at), []).append((line, r, debit, credit))
    at_amount = _column(shaped, "amount", "invoiced (receivable debits)")
    at_paid = _column(shaped, "paid", "paid (receivable credits)")
    for number, members in groups.items():
        debits = [m for m in members if m[2]]
        if not debits:
            shaped.set_aside.append((members[0][0], f"payment with no invoice in this file ({number or 'no number'})"))
            continue
        line, first, _, _ = debits[0]
        record = list(first)
        _put(record, at_amount, _cents(sum(m[2] for m in members)))
        _put(record, at_paid, _cents(sum(m[3] for m in members)))
        shaped.records.append((line, record))


def _column_replace(shaped: Shaped, name: str, label: str) -> int:
    """A computed column in place of the file's own for ``name``."""
    shaped.header.append(label)
    shaped.columns[name] = len(shaped.header) - 1
    return shaped.columns[name]


def _aged(shaped: Shaped, rows: list[tuple[int, list[str]]], found: Found, today: date) -> None:
    shaped.layout = "aged balance (one open balance per customer)"
    shaped.estimated = True
    columns = shaped.columns
    rows = _set_aside_totals(shaped, rows)
    at_number = _column(shaped, "number", "balance reference")
    at_amount = columns.get("amount", columns.get("remaining"))
    if at_amount is None:
        at_amount = _column(shaped, "amount", "balance (sum of buckets)")
    columns.pop("remaining", None)
    columns["amount"] = at_amount
    columns.pop("issue_date", None)
    at_due = _column_replace(shaped, "due_date", "due date (estimated from the bucket)")
    for line, record in rows:
        customer = _at(record, columns["customer"])
        amounts = {days: _money(_at(record, i)) or 0 for i, days in found.buckets.items()}
        late = [days for days, cents in amounts.items() if cents > 0]
        record = list(record)
        if not _at(record, at_amount):
            _put(record, at_amount, _cents(sum(amounts.values())))
        _put(record, at_number, f"BAL-{name_key(customer).replace(' ', '-').upper()}"[:60])
        _put(record, at_due, (today - timedelta(days=max(late, default=0))).isoformat())
        if (_money(_at(record, at_amount)) or 0) > 0:
            shaped.records.append((line, record))
        else:
            shaped.set_aside.append((line, "nothing owed"))
    shaped.notes.append(
        Remark("due dates estimated from the oldest lateness bucket, as of {day}", code="due_estimated", day=today)
    )


def _grouped(shaped: Shaped, rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Lines under "Client : 411DUP - Dupont" headings: the heading names their customer."""
    at_customer = _column(shaped, "customer", "customer (from the heading above)")
    current, kept = "", []
    for line, record in rows:
        first = next((c.strip() for c in record if c.strip()), "")
        m = _GROUP.match(first) if filled(record) <= 2 else None
        if m:
            current = m.group(1).strip()
            shaped.set_aside.append((line, "customer heading"))
            continue
        record = list(record)
        _put(record, at_customer, current)
        kept.append((line, record))
    if any(why == "customer heading" for _, why in shaped.set_aside):
        shaped.layout = "grouped by customer"
    return kept


def _number_from_values(shaped: Shaped, rows: list[tuple[int, list[str]]]) -> None:
    """No column is called an invoice number: one whose every value looks like one
    (letters then digits, all different) is taken, and the report says so."""
    used = set(shaped.columns.values())
    for index, name in enumerate(shaped.header):
        if index in used:
            continue
        values = [_at(r, index) for _, r in rows if filled(r) > 1]
        present = [v for v in values if v]
        unique = present and len(present) == len(values) and len(set(present)) == len(present)
        if unique and all(_REFERENCE.match(v) and any(c.isalpha() for c in v) for v in present):
            shaped.columns["number"] = index
            shaped.notes.append(
                Remark(
                    "invoice number read from column '{column}': its values look like invoice numbers",
                    code="number_column_guessed",
                    column=name,
                )
            )
            return
