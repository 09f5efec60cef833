"""Importing into the ledger: created, updated, unchanged, refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from callcoach.db.engine import session_scope
from callcoach.db.tables import Contact, Debtor, Invoice, Payment
from callcoach.domain.clock import Clock
from callcoach.services.importing import ImportRefused
from tests.factories import FR_HEADER, fr_line, import_file, ledger_rows, write_export


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


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    path = write_export(tmp_path / "e.csv", _lines(), encoding="cp1252")
    import_file(engine, path, clock)
    before = ledger_rows(engine)
    report = import_file(engine, path, clock)
    assert (report.debtors.created, report.debtors.updated, report.debtors.unchanged) == (0, 0, 2)
    assert (report.invoices.created, report.invoices.updated, report.invoices.unchanged) == (0, 0, 3)
    assert (report.contacts.created, report.contacts.updated) == (0, 0)
    assert ledger_rows(engine) == before


def test_newer_export_updates_paid_and_status(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    import_file(engine, write_export(tmp_path / "e.csv", _lines()), clock)
    report = import_file(engine, write_export(tmp_path / "e2.csv", _lines(paid_b1="80,50")), clock)
    assert (report.invoices.updated, report.invoices.unchanged, report.invoices.created) == (1, 2, 0)
    with session_scope(engine) as s:
        inv = s.exec(select(Invoice).where(Invoice.number == "B-1")).scalars().one()
        assert (inv.paid_cents, inv.status) == (8050, "paid")
        payment = s.exec(select(Payment)).scalars().one()
        assert (payment.invoice_id, payment.amount_cents, payment.source) == (inv.id, 8050, "import")


def test_a_bad_line_refuses_the_whole_file(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    import_file(engine, write_export(tmp_path / "e.csv", _lines()), clock)
    before = ledger_rows(engine)
    lines = _lines(paid_b1="10,00")
    lines += [fr_line(f"N-{n}", "New Co", date(2026, 9, 1), date(2026, 10, 1), "50,00") for n in range(2)]
    lines.append("N-9;New Co;01/13/2026;01/10/2026;50,00;;;;;;")  # line 7
    with pytest.raises(ImportRefused) as refused:
        import_file(engine, write_export(tmp_path / "bad.csv", lines), clock)
    assert [e.line for e in refused.value.report.errors] == [7]
    assert "nothing imported" in str(refused.value)
    assert ledger_rows(engine) == before


def test_skip_bad_imports_the_good_lines_and_writes_the_rest(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    good = [fr_line(f"G-{n}", "Good Co", date(2026, 9, 1), date(2026, 10, 1), "10,00") for n in range(2)]
    lines = [*_lines(), *good, 'N-9;New Co;01/13/2026;01/10/2026;=HYPERLINK("x");;;;;;']
    report = import_file(engine, write_export(tmp_path / "bad.csv", lines), clock, skip_bad=True)
    assert report.invoices.created == 5
    assert report.rejected == 1
    assert report.rejected_file == tmp_path / "bad.rejected.csv"
    side = report.rejected_file.read_text(encoding="utf-8")
    assert "callcoach_error" in side.splitlines()[0]
    assert "line 7: " in side and "Date: no such date: '01/13/2026'" in side
    assert "'=HYPERLINK" in side  # a formula from the file is made inert


def test_skip_bad_refuses_a_file_where_more_than_a_fifth_of_the_lines_are_bad(
    tmp_path: Path, engine: Engine, clock: Clock
) -> None:
    before = ledger_rows(engine)
    lines = [*_lines(), "N-8;New Co;pas de date;01/10/2026;50,00;;;;;;", "N-9;New Co;01/09/2026;01/10/2026;?;;;;;;"]
    with pytest.raises(ImportRefused) as refused:
        import_file(engine, write_export(tmp_path / "bad.csv", lines), clock, skip_bad=True)
    assert "2 of 5 lines are bad, more than one in 5" in str(refused.value)
    assert "misread" in str(refused.value)
    assert ledger_rows(engine) == before
    assert not (tmp_path / "bad.rejected.csv").exists()


def test_dry_run_writes_nothing(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    before = ledger_rows(engine)
    with session_scope(engine) as session:
        from callcoach.services.importing import import_csv

        report = import_csv(session, write_export(tmp_path / "e.csv", _lines()), clock=clock, dry_run=True)
        session.rollback()
    assert report.invoices.created == 3 and not report.written
    assert ledger_rows(engine) == before


def test_unchanged_lines_are_recognised_and_counted_without_being_read(
    tmp_path: Path, engine: Engine, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callcoach.importers.rows import RowReader

    path = write_export(tmp_path / "e.csv", _lines())
    import_file(engine, path, clock)
    read: list[int] = []
    careful = RowReader.careful
    monkeypatch.setattr(RowReader, "quick", lambda self, line, record: read.append(line))
    monkeypatch.setattr(RowReader, "careful", lambda self, line, *a: read.append(line) or careful(self, line, *a))
    report = import_file(engine, path, clock)
    assert read == []  # not one line read again
    assert (report.debtors.unchanged, report.contacts.unchanged, report.invoices.unchanged) == (2, 1, 3)


def test_a_changed_line_reads_its_customers_other_lines_so_the_last_details_still_win(
    tmp_path: Path, engine: Engine, clock: Clock
) -> None:
    lines = [
        FR_HEADER,
        fr_line("R-1", "Rossi SA", date(2026, 9, 1), date(2026, 10, 1), "100,00", email="old@rossi.example"),
        fr_line("R-2", "Rossi SA", date(2026, 9, 2), date(2026, 10, 2), "200,00", email="new@rossi.example"),
    ]
    import_file(engine, write_export(tmp_path / "a.csv", lines), clock)
    lines[1] = lines[1].replace("100,00", "150,00")  # the first line changes, the second does not
    report = import_file(engine, write_export(tmp_path / "b.csv", lines), clock)
    assert (report.invoices.updated, report.invoices.unchanged) == (1, 1)
    with session_scope(engine) as s:
        debtor = s.exec(select(Debtor)).scalars().one()
        assert debtor.email == "new@rossi.example"  # still the last line's, though that line was unchanged


def test_a_payment_recorded_by_hand_survives_reimporting_the_same_export(
    tmp_path: Path, engine: Engine, clock: Clock
) -> None:
    from callcoach.services.payments import record_payment

    path = write_export(tmp_path / "e.csv", _lines())
    import_file(engine, path, clock)
    with session_scope(engine) as s:
        record_payment(s, invoice_number="B-1", amount_cents=2000, paid_on=date(2026, 11, 20), clock=clock)
    import_file(engine, path, clock)
    with session_scope(engine) as s:
        inv = s.exec(select(Invoice).where(Invoice.number == "B-1")).scalars().one()
        assert inv.paid_cents == 2000  # the old export says nothing new about B-1


def test_the_same_invoices_under_a_new_header_are_unchanged(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    import_file(engine, write_export(tmp_path / "a.csv", _lines()), clock)
    reordered = [";".join(reversed(line.split(";"))) for line in _lines()]
    report = import_file(engine, write_export(tmp_path / "b.csv", reordered), clock)
    assert (report.invoices.updated, report.invoices.unchanged) == (0, 3)
    # The fingerprints now follow the new layout: the next import skips every line.
    again = import_file(engine, write_export(tmp_path / "c.csv", reordered), clock)
    assert again.invoices.unchanged == 3


def test_every_invoice_column_is_written_by_an_import() -> None:
    """New invoices go straight to the driver on SQLite, where no column default applies:
    a column added to Invoice must be added to what the import writes."""
    from callcoach.services.importing import INVOICE_FIELDS

    columns = {c.name for c in Invoice.__table__.columns} - {"id"}  # type: ignore[attr-defined]
    assert columns == {"number", *INVOICE_FIELDS}


def test_a_newer_aged_balance_closes_the_customers_it_no_longer_lists(
    tmp_path: Path, engine: Engine, clock: Clock
) -> None:
    def aged(name: str, as_of: str, rows: list[str]) -> Path:
        text = f"Balance âgée clients au {as_of}\nClient;Non échu;0 à 30 j;31 à 60 j;+ de 60 j;Solde\n" + "\n".join(
            rows
        )
        path = tmp_path / name
        path.write_text(text + "\nTotal général;;;;;\n", encoding="utf-8")
        return path

    first = aged(
        "octobre.csv",
        "31/10/2026",
        ["Dupont SARL;0,00;100,00;0,00;0,00;100,00", "Martin SA;0,00;0,00;0,00;500,00;500,00"],
    )
    report = import_file(engine, first, clock)
    assert (report.invoices.created, report.closed) == (2, 0)
    newer = aged("novembre.csv", "30/11/2026", ["Martin SA;0,00;0,00;0,00;300,00;300,00"])
    report = import_file(engine, newer, clock)
    assert (report.invoices.updated, report.closed) == (1, 1)
    with session_scope(engine) as s:
        invoices = {i.number: (i.amount_cents, i.paid_cents, i.status) for i in s.exec(select(Invoice)).scalars()}
    assert invoices == {"BAL-DUPONT-SARL": (10000, 10000, "paid"), "BAL-MARTIN-SA": (30000, 0, "open")}
