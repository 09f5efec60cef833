"""The invoice row every reader yields, and the one set of rules a row is checked by.

Every format (CSV, workbook, report layouts, e-invoice, FEC) ends as ``InvoiceRow``; one
service writes rows to the ledger. The CSV and workbook rows are checked by ``RowReader``:
``quick`` takes the everyday clean line in one pass and gives up at the first problem,
``careful`` cleans every cell and names every problem. Both run the same ``_read``, so they
cannot disagree; a property test over generated rows proves it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from pathlib import Path

from callcoach.domain.dates import DateError
from callcoach.domain.kinds import InvoiceStatus
from callcoach.domain.limits import FIELD_LIMITS, over_limits
from callcoach.domain.money import AmountError, parse_amount
from callcoach.domain.text import clean_field, clean_multiline, name_key
from callcoach.domain.worded import WordedError
from callcoach.importers import vocab
from callcoach.importers.headers import LABELS
from callcoach.importers.values import DateReader, read_amount
from callcoach.importers.values import currency as read_currency

LANGUAGES = ("fr", "en", "nl", "de")
DRAFT = "draft"  # a status the file may give: the invoice was never sent, so nobody owes it yet
CELLS = (
    "number", "customer", "amount", "paid", "remaining", "issue_date", "due_date", "currency", "po_number",
    "product", "copy_path", "contact", "contact_role", "phone", "email", "address", "identifier", "status",
    "kind", "can_release_payment", "language", "payment_term_days",
)  # fmt: skip
_MONEY = ("amount", "paid", "remaining")
_OPEN, _PAID = InvoiceStatus.OPEN.value, InvoiceStatus.PAID.value  # looked up once: enum access costs

SHORTEST_LIMIT = min(FIELD_LIMITS.values())  # a line with no longer cell needs no closer look


@dataclass(frozen=True)
class RowError:
    path: str
    line: int
    column: str
    reason: str | Exception  # a WordedError says it by code in each language

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column}: {self.reason}"


@dataclass(slots=True)
class InvoiceRow:
    """One invoice, checked and converted; what the ledger will hold."""

    line: int
    number: str
    customer: str
    amount_cents: int
    issue_date: date
    due_date: date
    payment_term_days: int | None = None
    paid_cents: int = 0
    status: str = InvoiceStatus.OPEN
    currency: str = "EUR"
    po_number: str | None = None
    product: str | None = None
    copy_path: str | None = None
    contact: str | None = None
    contact_role: str | None = None
    phone: str | None = None
    email: str | None = None
    can_release_payment: str | None = None
    address: str | None = None
    kind: str | None = None
    language: str | None = None
    identifier: str | None = None
    doc_type: str = "invoice"
    due_basis: str = "stated"
    buyer_reference: str | None = None
    payment_reference: str | None = None
    source: str | None = None
    import_digest: str | None = None
    customer_key: str = ""

    def __post_init__(self) -> None:
        self.customer_key = name_key(self.customer)


class _Bad(Exception):
    """The quick path's way out at the first problem."""


def _give_up(name: str, reason: str | Exception) -> None:
    raise _Bad


@dataclass
class RowReader:
    """Checks the rows of one table: its header, which column holds which field, the default
    payment term and the file's date reader."""

    path: Path
    header: list[str]
    columns: dict[str, int]
    default_term_days: int = 30
    dates: DateReader = field(default_factory=DateReader)
    currency: str = "EUR"  # the file's, when no column says it (a header such as "Amount (USD)")
    warnings: list[RowError] = field(default_factory=list)

    def __post_init__(self) -> None:
        width = self.width = len(self.header)
        # The cells by name, a missing column reading as the empty cell appended after the line.
        self.pick = itemgetter(*[self.columns.get(name, width) for name in CELLS])
        money = {self.columns.get(name) for name in _MONEY}
        text_at = [i for i in range(width) if i not in money]
        # Number, customer and a date are required columns: always two text cells or more, so
        # the getter gives a tuple.
        self.text_cells = itemgetter(*text_at) if len(text_at) > 1 else lambda record: tuple(record[i] for i in text_at)
        self.source = f"csv:{self.path.name}"

    def label(self, name: str) -> str:
        index = self.columns.get(name)
        return self.header[index] if index is not None and index < self.width else LABELS.get(name, name)

    def quick(self, line: int, record: list[str]) -> InvoiceRow | None:
        """The row of an everyday clean line, or None for ``careful`` to read."""
        if len(record) != self.width:
            return None
        # Printable, single-spaced and no space at either end of a cell means cleaning changes
        # nothing: "|" between cells, so "| " or " |" is a cell with an outer space (or a bar
        # inside a cell, which merely takes the careful path).
        joined = "|" + "|".join(self.text_cells(record)) + "|"
        if not joined.isprintable() or "  " in joined or "| " in joined or " |" in joined:
            return None
        try:
            return self._read(line, self.pick([*record, ""]), _give_up)
        except _Bad:
            return None

    def careful(self, line: int, record: list[str], errors: list[RowError]) -> InvoiceRow | None:
        """Every cell cleaned, every problem named in ``errors``; None when there is one."""
        problems: list[RowError] = []

        def fail(name: str, reason: str | Exception) -> None:
            problems.append(RowError(str(self.path), line, self.label(name), reason))

        if len(record) > self.width:
            fail(
                "number",
                WordedError(
                    "{cells} cells for {columns} columns (a separator inside an unquoted value?)",
                    code="row_too_many_cells",
                    cells=len(record),
                    columns=self.width,
                ),
            )
        width = self.width
        padded = [*record[:width], *[""] * (width + 1 - min(len(record), width))]
        cells = [c.strip() for c in self.pick(padded)]
        at_address = CELLS.index("address")
        cells = [clean_multiline(c).strip() if i == at_address else clean_field(c) for i, c in enumerate(cells)]
        row = self._read(line, tuple(cells), fail)
        if problems:
            errors.extend(problems)
            return None
        return row

    @staticmethod
    def _too_long(cells: tuple[str, ...], fail: Callable[[str, str | Exception], None]) -> bool:
        """Each value over its field's named limit (domain/limits.py), said with its column."""
        found = over_limits(zip(CELLS, cells, strict=True))
        for name, reason in found:
            fail(name, reason)
        return bool(found)

    def _read(
        self, line: int, cells: tuple[str, ...], fail: Callable[[str, str | Exception], None]
    ) -> InvoiceRow | None:
        """The rules, once: ``fail`` either records a problem and lets the check go on, or
        stops it. Cells come cleaned."""
        (number, customer, amount_text, paid_text, remaining_text, issued, due_text, currency_text, po, product,
         copy, contact, role, phone, email, address, identifier, status_text, kind_text, authority_text,
         language_text, term_text) = cells  # fmt: skip
        if max(map(len, cells)) > SHORTEST_LIMIT and self._too_long(cells, fail):
            return None  # one 10 MB cell is refused by its length, never quoted whole
        if not number:
            fail("number", WordedError("missing invoice number", code="row_missing_number"))
        if not customer:
            fail("customer", WordedError("missing customer name", code="row_missing_customer"))
        amount = paid = remaining = None
        if amount_text:
            try:
                amount = parse_amount(amount_text)  # the everyday form, at once
            except AmountError:
                amount = self._money(amount_text, "amount", fail)
        else:
            fail("amount", WordedError("missing amount", code="row_missing_amount"))
        if paid_text:
            try:
                paid = parse_amount(paid_text)
            except AmountError:
                paid = self._money(paid_text, "paid", fail)
        if remaining_text:
            remaining = self._money(remaining_text, "remaining", fail)
        term = None
        if term_text:
            term = vocab.term_days(term_text)
            if term is None or term > 3650:
                fail(
                    "payment_term_days",
                    WordedError("not a payment term in days: {text!r}", code="row_bad_term", text=term_text),
                )
                term = None
        issue = due = None
        dates = self.dates
        if issued:
            try:
                issue = dates(issued)
            except DateError as exc:
                fail("issue_date", exc)
        if due_text:
            try:
                due = dates(due_text)
            except DateError as exc:
                fail("due_date", exc)
        if not issued and not due_text:
            fail(
                "issue_date" if "issue_date" in self.columns else "due_date",
                WordedError("missing date", code="row_missing_date"),
            )
        status = kind = authority = None
        if status_text and (status := vocab.status(status_text)) is None:
            fail(
                "status",
                WordedError(
                    "unknown status {text!r} (open, sent, partial, paid, draft, disputed, cancelled)",
                    code="row_unknown_status",
                    text=status_text,
                ),
            )
        if kind_text and (kind := vocab.kind(kind_text)) is None:
            fail("kind", WordedError("unknown organisation kind {text!r}", code="row_unknown_kind", text=kind_text))
        if authority_text and (authority := vocab.authority(authority_text)) is None:
            fail(
                "can_release_payment",
                WordedError("expected yes, no or unknown, not {text!r}", code="row_bad_authority", text=authority_text),
            )
        code = read_currency(currency_text) if currency_text else self.currency
        if code is None:
            fail("currency", WordedError("not a currency code: {text!r}", code="row_bad_currency", text=currency_text))
        language = language_text.lower()[:2]
        if language and language not in LANGUAGES:
            fail("language", WordedError("unknown language {text!r}", code="row_unknown_language", text=language_text))
        if email and "@" not in email:
            fail("email", WordedError("not an e-mail address: {address!r}", code="email_unreadable", address=email))
        if amount is None or (issue is None and due is None):
            return None
        if issue is not None and due is not None and term is None:  # the everyday case
            basis, days = "stated", (due - issue).days
            term = days if days > 0 else 0
        else:
            issue, due, term, basis = self._dates(issue, due, term)
        if paid is None and remaining is not None:
            paid = amount - remaining
        paid = paid or 0
        if amount >= 0 and (paid < 0 or paid > amount):
            fail(
                "paid" if paid_text else "remaining",
                WordedError("amount paid is outside 0 and the invoice amount", code="row_paid_out_of_range"),
            )
            return None
        if due < issue:  # a typo in one date, not a reason to lose the invoice: said, and kept
            self.warnings.append(
                RowError(str(self.path), line, self.label("due_date"),
                         WordedError("due date {due:%d/%m/%Y} is before the issue date {issue:%d/%m/%Y}",
                                     code="row_due_before_issue", due=due, issue=issue))
            )  # fmt: skip
        if status is None:
            status = _PAID if amount > 0 and paid >= amount else _OPEN
        return InvoiceRow(
            line=line,
            number=number,
            customer=customer,
            amount_cents=amount,
            issue_date=issue,
            due_date=due,
            payment_term_days=term,
            paid_cents=paid,
            status=status,
            currency=code or "EUR",
            po_number=po or None,
            product=product or None,
            copy_path=copy or None,
            contact=contact or None,
            contact_role=role or None,
            phone=phone or None,
            email=email or None,
            can_release_payment=authority,
            address=address or None,
            kind=kind,
            language=language or None,
            identifier=identifier or None,
            doc_type="credit_note" if amount < 0 else "invoice",
            due_basis=basis,
            source=self.source,
        )

    def _dates(self, issue: date | None, due: date | None, term: int | None) -> tuple[date, date, int, str]:
        """Issue and due dates, the term and how the due date is known, from what is given."""
        default = self.default_term_days
        if issue is None:
            assert due is not None
            issue = due - timedelta(days=term if term is not None else default)
        if due is None:
            due = issue + timedelta(days=term if term is not None else default)
            return issue, due, term if term is not None else default, "terms" if term is not None else "estimated"
        return issue, due, term if term is not None else max(0, (due - issue).days), "stated"

    @staticmethod
    def _money(text: str, name: str, fail: Callable[[str, str | Exception], None]) -> int | None:
        try:
            return read_amount(text)
        except AmountError as exc:
            fail(name, exc)
            return None
