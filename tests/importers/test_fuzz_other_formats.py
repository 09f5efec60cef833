"""Mutated e-invoices and FEC files: a clean read or a reason naming the file, never a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from callcoach.importers.einvoice import EInvoice, EInvoiceError, read_einvoice
from callcoach.importers.fec import FecError, FecLedger, read_fec
from tests.importers.samples import shared_sample

EDITS = st.lists(st.tuples(st.integers(0, 1_000_000), st.integers(0, 255)), min_size=1, max_size=6)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def mutated(original: bytes, edits: list[tuple[int, int]]) -> bytes:
    data = bytearray(original)
    for position, value in edits:
        data[position % len(data)] = value
    return bytes(data)


def source(relative: str) -> bytes:
    return shared_sample(relative).read_bytes()


def clean_einvoice(invoice: EInvoice, path: Path) -> None:
    """A read that succeeded gave an invoice a ledger can take: named, in a currency, in cents."""
    assert invoice.path == path
    assert invoice.number.strip() and invoice.format in ("cii", "ubl", "facturx")
    assert len(invoice.currency) == 3 and invoice.currency.isalpha()
    assert all(isinstance(v, int) for v in (invoice.total_cents, invoice.prepaid_cents, invoice.due_cents))


def clean_fec(ledger: FecLedger, path: Path) -> None:
    """A read that succeeded gave customers with amounts in cents and invoices with a piece number."""
    assert ledger.path == path
    for customer in ledger.customers:
        assert customer.account and isinstance(customer.balance_cents, int)
        for invoice in customer.invoices:
            assert invoice.piece and isinstance(invoice.amount_cents, int) and isinstance(invoice.remaining_cents, int)


@FUZZ
@given(EDITS)
@example(edits=[(30, 65)])  # found by hypothesis: the declaration's encoding becomes "Atf-8"
def test_mutated_cii(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(mutated(source("cii/cen_CII_example2_NOK.xml"), edits))
    try:
        invoice = read_einvoice(path)
    except EInvoiceError as exc:
        assert str(path) in str(exc)
    else:
        clean_einvoice(invoice, path)


@FUZZ
@given(EDITS)
def test_mutated_ubl(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(mutated(source("ubl/akretion_ubl-21-en16931.xml"), edits))
    try:
        invoice = read_einvoice(path)
    except EInvoiceError as exc:
        assert str(path) in str(exc)
    else:
        clean_einvoice(invoice, path)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_mutated_facturx_pdf(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(mutated(source("facturx/mustang_EN16931_Einfach.pdf"), edits))
    try:
        invoice = read_einvoice(path)
    except EInvoiceError as exc:
        assert str(path) in str(exc)
    else:
        clean_einvoice(invoice, path)


@FUZZ
@given(EDITS)
def test_mutated_fec(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    path = tmp_path / "111111111FEC20221231.TXT"
    path.write_bytes(mutated(source("fec/111111111FEC20221231.TXT")[:20000], edits))
    try:
        ledger = read_fec(path)
    except FecError as exc:
        assert str(path) in str(exc)
    else:
        clean_fec(ledger, path)
