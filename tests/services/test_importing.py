"""Importing into the ledger: created, updated, unchanged, refused."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from callcoach.db.engine import session_scope
from callcoach.db.tables import Contact, Debtor, Invoice, Payment
from callcoach.domain.clock import Clock
from callcoach.services.importing import ImportRefused
from tests.factories import FR_HEADER, fr_line, import_file, write_export


def _lines(paid_b1: str = "") -> list[str]:
    return [
        FR_HEADER,
        fr_line(
            "F-1",
            "Société Dupont",
            date(2026, 9, 1),
            date(2026, 10, 1),
            "1 200,00",
            contact="Marc Dupont",
            phone="01 99 00 00 01",
        ),
        fr_line("F-2", "SOCIETE  DUPONT", date(2026, 9, 15), date(2026, 10, 15), "300,00"),
        fr_line("B-1", "Boulangerie Rémi", date(2026, 8, 1), date(2026, 9, 1), "80,50", paid_b1),
    ]


def _dump(db_path: Path) -> str:
    con = sqlite3.connect(db_path)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


def test_import_creates_debtors_contacts_and_invoices(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    report = import_file(engine, write_export(tmp_path / "e.csv", _lines(), encoding="cp1252"), clock)
    assert (report.debtors.created, report.invoices.created, report.contacts.created) == (2, 3, 1)
    with session_scope(engine) as s:
        names = sorted(d.name for d in s.exec(select(Debtor)).scalars())
        assert names == ["Boulangerie Rémi", "Société Dupont"]  # one debtor for both spellings
        contact = s.exec(select(Contact)).scalars().one()
        assert (contact.name, contact.phone, contact.is_primary) == ("Marc Dupont", "01 99 00 00 01", True)
        inv = s.exec(select(Invoice).where(Invoice.number == "B-1")).scalars().one()
        assert (inv.amount_cents, inv.paid_cents, inv.status, inv.due_date) == (8050, 0, "open", date(2026, 9, 1))


def test_importing_the_same_file_twice_changes_nothing(
    tmp_path: Path, engine: Engine, db_path: Path, clock: Clock
) -> None:
    path = write_export(tmp_path / "e.csv", _lines(), encoding="cp1252")
    import_file(engine, path, clock)
    before = _dump(db_path)
    report = import_file(engine, path, clock)
    assert (report.debtors.created, report.debtors.updated, report.debtors.unchanged) == (0, 0, 2)
    assert (report.invoices.created, report.invoices.updated, report.invoices.unchanged) == (0, 0, 3)
    assert (report.contacts.created, report.contacts.updated) == (0, 0)
    assert _dump(db_path) == before


def test_newer_export_updates_paid_and_status(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    import_file(engine, write_export(tmp_path / "e.csv", _lines()), clock)
    report = import_file(engine, write_export(tmp_path / "e2.csv", _lines(paid_b1="80,50")), clock)
    assert (report.invoices.updated, report.invoices.unchanged, report.invoices.created) == (1, 2, 0)
    with session_scope(engine) as s:
        inv = s.exec(select(Invoice).where(Invoice.number == "B-1")).scalars().one()
        assert (inv.paid_cents, inv.status) == (8050, "paid")
        payment = s.exec(select(Payment)).scalars().one()
        assert (payment.invoice_id, payment.amount_cents, payment.source) == (inv.id, 8050, "import")


def test_a_bad_line_refuses_the_whole_file(tmp_path: Path, engine: Engine, db_path: Path, clock: Clock) -> None:
    import_file(engine, write_export(tmp_path / "e.csv", _lines()), clock)
    before = _dump(db_path)
    lines = _lines(paid_b1="10,00")
    lines += [fr_line(f"N-{n}", "New Co", date(2026, 9, 1), date(2026, 10, 1), "50,00") for n in range(2)]
    lines.append("N-9;New Co;01/13/2026;01/10/2026;50,00;;;;;;")  # line 7
    with pytest.raises(ImportRefused) as refused:
        import_file(engine, write_export(tmp_path / "bad.csv", lines), clock)
    assert [e.line for e in refused.value.report.errors] == [7]
    assert "nothing imported" in str(refused.value)
    assert _dump(db_path) == before


def test_skip_bad_imports_the_good_lines_and_writes_the_rest(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    lines = [*_lines(), 'N-9;New Co;01/13/2026;01/10/2026;=HYPERLINK("x");;;;;;']
    report = import_file(engine, write_export(tmp_path / "bad.csv", lines), clock, skip_bad=True)
    assert report.invoices.created == 3
    assert report.rejected == 1
    assert report.rejected_file == tmp_path / "bad.rejected.csv"
    side = report.rejected_file.read_text(encoding="utf-8")
    assert "callcoach_error" in side.splitlines()[0]
    assert "line 5: " in side and "Date: no such date: '01/13/2026'" in side
    assert "'=HYPERLINK" in side  # a formula from the file is made inert


def test_dry_run_writes_nothing(tmp_path: Path, engine: Engine, db_path: Path, clock: Clock) -> None:
    before = _dump(db_path)
    with session_scope(engine) as session:
        from callcoach.services.importing import import_csv

        report = import_csv(session, write_export(tmp_path / "e.csv", _lines()), clock=clock, dry_run=True)
        session.rollback()
    assert report.invoices.created == 3 and not report.written
    assert _dump(db_path) == before
