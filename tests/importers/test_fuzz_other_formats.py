"""Mutated e-invoices and FEC files: a clean read or a reason naming the file, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from callcoach.importers.einvoice import EInvoiceError, read_einvoice
from callcoach.importers.fec import FecError, read_fec

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
EDITS = st.lists(st.tuples(st.integers(0, 1_000_000), st.integers(0, 255)), min_size=1, max_size=6)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def mutated(original: bytes, edits: list[tuple[int, int]]) -> bytes:
    data = bytearray(original)
    for position, value in edits:
        data[position % len(data)] = value
    return bytes(data)


def source(relative: str) -> bytes:
    path = SAMPLES / relative
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path.read_bytes()


@FUZZ
@given(EDITS)
@example(edits=[(30, 65)])  # found by hypothesis: the declaration's encoding becomes "Atf-8"
def test_mutated_cii(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(mutated(source("cii/cen_CII_example2_NOK.xml"), edits))
    try:
        read_einvoice(path)
    except EInvoiceError as exc:
        assert str(path) in str(exc)


@FUZZ
@given(EDITS)
def test_mutated_ubl(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(mutated(source("ubl/akretion_ubl-21-en16931.xml"), edits))
    try:
        read_einvoice(path)
    except EInvoiceError as exc:
        assert str(path) in str(exc)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_mutated_facturx_pdf(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(mutated(source("facturx/mustang_EN16931_Einfach.pdf"), edits))
    try:
        read_einvoice(path)
    except EInvoiceError as exc:
        assert str(path) in str(exc)


@FUZZ
@given(EDITS)
def test_mutated_fec(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    path = tmp_path / "111111111FEC20221231.TXT"
    path.write_bytes(mutated(source("fec/111111111FEC20221231.TXT")[:20000], edits))
    try:
        read_fec(path)
    except FecError as exc:
        assert str(path) in str(exc)
