"""The real exports in ../shared/samples/exports, imported as a user would, and the debtors
and balances they hold, read by hand from each file."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.importers.csv_invoices import read_invoice_csv
from callcoach.services.sources import FileOutcome, import_path
from tests.importers.samples import shared_sample


def exports(name: str) -> Path:
    return shared_sample("exports", name)


def import_sample(engine: Engine, path: Path, clock: Clock) -> FileOutcome:
    with session_scope(engine) as session:
        (outcome,) = import_path(session, path, clock=clock)
    assert outcome.refused is None, outcome.refused
    return outcome


def owed(db: Path) -> dict[str, tuple[int, str]]:
    """Per debtor: what its open invoices still ask for, and their currency."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT d.name, SUM(i.amount_cents - i.paid_cents), i.currency FROM debtor d "
            "JOIN invoice i ON i.debtor_id = d.id WHERE i.status = 'open' GROUP BY d.id, i.currency"
        ).fetchall()
    return {name: (cents, currency) for name, cents, currency in rows}


def debtors(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {name for (name,) in conn.execute("SELECT name FROM debtor")}


def test_freshbooks_lines_make_one_invoice_of_their_total(engine: Engine, db_path: Path, clock: Clock) -> None:
    # 650.00 + 490.00 + 6,750.00 on three lines of invoice 0000001, status "sent", USD.
    outcome = import_sample(engine, exports("in_freshbooks_invoices.csv"), clock)
    assert owed(db_path) == {"X-Men": (789000, "USD")}
    assert outcome.report is not None and outcome.report.parsed is not None
    assert outcome.report.parsed.layout == "invoice lines"


def test_wave_ledger_is_read_from_its_receivable_lines(engine: Engine, db_path: Path, clock: Clock) -> None:
    # Receivable debits: Mark Walberg 4,974.00 (invoice 2), Lucas Cage 590.50 then paid 590.50
    # (invoice 3), Jessica Jones 3,500.41 (invoice 4). "Sales" and "Services" are accounts.
    import_sample(engine, exports("in_wave_invoices.csv"), clock)
    assert owed(db_path) == {"Mark Walberg": (497400, "EUR"), "Jessica Jones": (350041, "EUR")}
    assert debtors(db_path) == {"Mark Walberg", "Lucas Cage", "Jessica Jones"}


def test_zoho_drafts_are_counted_and_never_called(engine: Engine, db_path: Path, clock: Clock) -> None:
    # Three invoices (INV-000001..3) over 13 lines, every one "Draft".
    outcome = import_sample(engine, exports("in_zoho_invoices.csv"), clock)
    assert outcome.report is not None and outcome.report.drafts == 3
    assert debtors(db_path) == set()


def test_invoicely_month_name_dates_and_number_column_found_by_its_values(
    engine: Engine, db_path: Path, clock: Clock
) -> None:
    import_sample(engine, exports("in_invoicely_invoices.csv"), clock)
    assert owed(db_path) == {"Bruce Wayne": (102000, "EUR")}
    row = read_invoice_csv(exports("in_invoicely_invoices.csv")).rows[0]
    assert (row.number, row.issue_date, row.due_date) == ("INV-1", date(2021, 1, 28), date(2021, 1, 28))


def test_akaunting_snake_case_four_decimals_and_currency(engine: Engine, db_path: Path, clock: Clock) -> None:
    import_sample(engine, exports("ak_invoices.csv"), clock)
    assert owed(db_path) == {"Test Customer": (1000, "USD")}
    row = read_invoice_csv(exports("ak_invoices.csv")).rows[0]
    assert (row.number, row.po_number, row.email, row.due_date) == (
        "INV-00001",
        None,
        "test@customer.com",
        date(2017, 12, 7),
    )


def test_excel_open_invoice_list_takes_the_gross_amounts(engine: Engine, db_path: Path, clock: Clock) -> None:
    # Company A: the gross amounts of its 18 invoices add up to 23,854,275.90 EUR.
    import_sample(engine, exports("accountR_Test_File_1.xlsx"), clock)
    balances = owed(db_path)
    assert balances["Company A"] == (2385427590, "EUR")
    assert set(balances) == {"Company A", "Company B", "Company C", "Company D", "Company E"}
    parsed = read_invoice_csv(exports("accountR_Test_File_1.xlsx"))
    assert parsed.sheet == "Sheet1" and len(parsed.rows) == 123
    assert parsed.rows[0].issue_date == date(2021, 8, 30)  # a date serial, read as a date


def test_excel_aging_report_reads_the_open_invoices_sheet(engine: Engine, db_path: Path, clock: Clock) -> None:
    # Yizrael Import Ltd: INV-2025-0089 1,411,020 + INV-2026-0177 88,200 = 1,499,220 ILS, as the
    # summary sheet's "Total" column also says. The summary's total row is no debtor.
    import_sample(engine, exports("bz_ar-aging-report.xlsx"), clock)
    balances = owed(db_path)
    assert balances["Yizrael Import Ltd"] == (149922000, "ILS")
    assert len(balances) == 20 and not any(name.lower().startswith("total") for name in balances)
    parsed = read_invoice_csv(exports("bz_ar-aging-report.xlsx"))
    assert parsed.sheet == "Open Invoices"
    assert "sheet 'Aging Report' left aside (a summary)" in parsed.notes
    assert parsed.set_aside == [(29, "note")]


def test_the_aging_summary_alone_gives_one_estimated_balance_per_customer(tmp_path: Path) -> None:
    from callcoach.importers.tables import Table
    from callcoach.importers.workbook import read_tables

    (summary, _) = read_tables(exports("bz_ar-aging-report.xlsx"))
    assert isinstance(summary, Table) and summary.name == "Aging Report"
    path = tmp_path / "aging.csv"
    path.write_text(
        "\n".join(";".join(c.replace(";", ",") for c in cells) for _, cells in summary.rows), encoding="utf-8"
    )
    parsed = read_invoice_csv(path, today=date(2026, 12, 1))
    assert parsed.layout.startswith("aged balance")
    totals = {row.customer: (row.amount_cents, row.currency, row.due_basis) for row in parsed.rows}
    assert totals["Yizrael Import Ltd"] == (149922000, "ILS", "estimated")  # "All figures in ILS."
    assert len(totals) == 20
    yizrael = next(row for row in parsed.rows if row.customer == "Yizrael Import Ltd")
    assert yizrael.due_date == date(2026, 4, 16)  # 91 days before "As of: 2026-07-16": its "90+" bucket
    assert (parsed.header_line, len(parsed.above)) == (5, 4)


def test_the_collective_fec_account_never_becomes_a_debtor(engine: Engine, db_path: Path, clock: Clock) -> None:
    outcome = import_sample(engine, exports("neo_123456789FEC20500930.txt"), clock)
    assert "CLIENTS" not in debtors(db_path)
    assert any("collective customer account" in str(w) for w in outcome.warnings)


def test_the_shared_fec_lists_its_customers_balances(engine: Engine, db_path: Path, clock: Clock) -> None:
    import_sample(engine, shared_sample("fec", "0000000001FEC20220831.txt"), clock)
    balances = owed(db_path)
    assert balances["PROSOL GESTION"] == (2712329, "EUR")
    assert balances["P MONTARNAL TRANSPORT PMT"] == (1807004, "EUR")
    assert balances["LAURENT PRIMEURS"] == (666127, "EUR")


@pytest.mark.parametrize(
    "name", ["accountR_Test_File_1.xlsx", "bz_ar-aging-report.xlsx", "in_wave_invoices.csv", "ak_invoices.csv"]
)
def test_reading_a_sample_twice_gives_the_same_rows(name: str) -> None:
    first, second = read_invoice_csv(exports(name)), read_invoice_csv(exports(name))
    assert [(r.number, r.amount_cents) for r in first.rows] == [(r.number, r.amount_cents) for r in second.rows]
