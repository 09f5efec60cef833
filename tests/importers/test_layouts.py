"""Exports written here in the styles of the same tools, with other column names, orders and
shapes: the reading rules are general, not written for the sample files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from callcoach.importers.csv_invoices import ImportFileError, read_invoice_csv
from tests.importers.workbooks import write_xlsx

TODAY = date(2026, 11, 30)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def owed(path: Path, **options: object) -> dict[str, tuple[int, int, str]]:
    parsed = read_invoice_csv(path, today=TODAY, **options)  # type: ignore[arg-type]
    assert parsed.errors == [], parsed.errors
    found: dict[str, tuple[int, int, str]] = {}
    for row in parsed.rows:
        amount, paid, _ = found.get(row.customer, (0, 0, ""))
        found[row.customer] = (amount + row.amount_cents, paid + row.paid_cents, row.currency)
    return found


def test_invoice_lines_with_an_invoice_total_and_a_balance_in_another_order(tmp_path: Path) -> None:
    path = write(
        tmp_path / "lines.csv",
        "Status,Invoice Total,Item Name,Qty,Line Amount,Client,Invoice Number,"
        "Invoice Date,Due Date,Balance Due,Currency\n"
        "sent,1200.00,Design,2,500.00,Acme Ltd,A-7,2026-09-01,2026-10-01,1200.00,GBP\n"
        "sent,1200.00,Hosting,1,200.00,Acme Ltd,A-7,2026-09-01,2026-10-01,1200.00,GBP\n"
        "partial,300.00,Audit,1,300.00,Bolt plc,A-8,2026-09-05,2026-10-05,100.00,GBP\n"
        "draft,80.00,Audit,1,80.00,Zed plc,A-9,2026-09-05,2026-10-05,80.00,GBP\n",
    )
    parsed = read_invoice_csv(path, today=TODAY)
    assert parsed.layout == "invoice lines" and parsed.drafts == 1
    # The invoice total is the debt (not the sum of the lines shown: a tax may sit in it).
    assert owed(path) == {"Acme Ltd": (120000, 0, "GBP"), "Bolt plc": (30000, 20000, "GBP")}


def test_ledger_export_with_one_signed_amount_column(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ledger.csv",
        "Date;Compte;Client;N° facture;Montant\n"
        "03/09/2026;Ventes;Dupont SARL;F-10;-1000,00\n"
        "03/09/2026;TVA collectée;Dupont SARL;F-10;-200,00\n"
        "03/09/2026;Clients;Dupont SARL;F-10;1200,00\n"
        "20/09/2026;Clients;Dupont SARL;F-10;-700,00\n"
        "20/09/2026;Banque;Dupont SARL;F-10;700,00\n",
    )
    parsed = read_invoice_csv(path, today=TODAY)
    assert parsed.layout == "ledger (receivable lines)"
    assert owed(path) == {"Dupont SARL": (120000, 70000, "EUR")}
    assert {r.customer for r in parsed.rows} == {"Dupont SARL"}


def test_xero_style_pascal_case_headers_and_statuses(tmp_path: Path) -> None:
    path = write(
        tmp_path / "xero.csv",
        "ContactName,InvoiceNumber,InvoiceDate,DueDate,Total,AmountPaid,CurrencyCode,Status\n"
        "Kite Ltd,INV-0001,2026-08-01,2026-08-31,100.0000,0.0000,NZD,AUTHORISED\n"
        "Kite Ltd,INV-0002,2026-08-02,2026-09-01,50.0000,20.0000,NZD,AWAITING PAYMENT\n"
        "Reed Ltd,INV-0003,2026-08-03,2026-09-02,75.0000,0.0000,NZD,VOIDED\n"
        "Moss Ltd,INV-0004,2026-08-04,2026-09-03,60.0000,0.0000,NZD,DRAFT\n",
    )
    parsed = read_invoice_csv(path, today=TODAY)
    assert [(r.number, r.status) for r in parsed.rows] == [
        ("INV-0001", "open"),
        ("INV-0002", "open"),
        ("INV-0003", "cancelled"),
    ]
    assert parsed.drafts == 1
    assert parsed.rows[1].paid_cents == 2000 and parsed.rows[0].currency == "NZD"


def test_the_most_specific_column_wins_and_the_report_says_which(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ids.csv",
        "Invoice ID,Account Name,State,Invoice Number,Customer,Status,Date,Amount\n"
        "9001,Sales,CA,N-1,Ann Co,sent,2026-09-01,10.00\n",
    )
    parsed = read_invoice_csv(path, today=TODAY)
    row = parsed.rows[0]
    assert (row.number, row.customer, row.status) == ("N-1", "Ann Co", "open")
    assert parsed.others["number"] == ["Invoice ID"]
    assert "State" in parsed.others["status"]


def test_title_lines_above_the_header_are_skipped_and_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ninja.csv",
        "Invoice Ninja v4.5.17 - December 19, 2020\n"
        "\n"
        "Client,Invoice Number,Amount,Balance,Invoice Date,Due Date,Status\n"
        'Wayne Ltd,0001,"1,500.00",500.00,2020-11-01,2020-12-01,Partial\n',
    )
    parsed = read_invoice_csv(path, today=TODAY)
    assert parsed.header_line == 3 and parsed.above == ["Invoice Ninja v4.5.17 - December 19, 2020"]
    assert owed(path) == {"Wayne Ltd": (150000, 100000, "EUR")}


def test_french_aged_balance_with_titles_buckets_and_a_grand_total(tmp_path: Path) -> None:
    path = write(
        tmp_path / "balance.csv",
        "BALANCE AGEE CLIENTS;;;;;;;\n"
        "Arrêtée au 31/10/2026;;;;;;;\n"
        "Compte;Client;Non échu;0 à 30 j;31 à 60 j;61 à 90 j;+ de 90 j;Solde\n"
        "411DUP;Dupont SARL;100,00;0,00;250,50;0,00;0,00;350,50\n"
        "411MAR;Martin SA;0,00;0,00;0,00;0,00;1 000,00;1 000,00\n"
        "411NUL;Soldé SA;0,00;0,00;0,00;0,00;0,00;0,00\n"
        ";Total général;100,00;0,00;250,50;0,00;1 000,00;1 350,50\n",
        encoding="cp1252",
    )
    parsed = read_invoice_csv(path, today=TODAY)
    assert parsed.layout.startswith("aged balance")
    rows = {r.customer: r for r in parsed.rows}
    assert set(rows) == {"Dupont SARL", "Martin SA"}
    assert rows["Dupont SARL"].amount_cents == 35050
    # "Arrêtée au 31/10/2026": Dupont's oldest amount is 31 to 60 days late, so due on 30/09 at
    # the latest; Martin's is over 90 days late, so due 91 days before, on 01/08.
    assert rows["Dupont SARL"].due_date == date(2026, 9, 30)
    assert rows["Martin SA"].due_date == date(2026, 8, 1)
    assert all(r.due_basis == "estimated" for r in parsed.rows)


def test_customer_ledger_grouped_under_headings_with_subtotals(tmp_path: Path) -> None:
    path = write(
        tmp_path / "echeancier.csv",
        "Echéancier clients au 30/11/2026;;;;\n"
        "N° pièce;Date;Echéance;Libellé;Montant TTC\n"
        "Client : 411DUP - Dupont SARL;;;;\n"
        "FA-1;01/09/2026;01/10/2026;Maintenance;120,00\n"
        "FA-2;15/09/2026;15/10/2026;Pièces;80,00\n"
        "Total client;;;;200,00\n"
        "Client : 411MAR - Martin SA;;;;\n"
        "FA-3;02/09/2026;02/10/2026;Audit;1 000,00\n"
        "Total client;;;;1 000,00\n"
        "Total général;;;;1 200,00\n",
        encoding="cp1252",
    )
    parsed = read_invoice_csv(path, today=TODAY)
    assert parsed.layout == "grouped by customer"
    assert owed(path) == {"Dupont SARL": (20000, 0, "EUR"), "Martin SA": (100000, 0, "EUR")}


def test_us_dates_are_inferred_from_the_ones_that_cannot_be_day_first(tmp_path: Path) -> None:
    path = write(
        tmp_path / "us.csv",
        "Invoice,Customer,Date,Due,Amount\nU-1,Ann Inc,2/21/2013,3/23/2013,10.00\nU-2,Ann Inc,3/4/2013,4/3/2013,5.00\n",
    )
    parsed = read_invoice_csv(path, today=TODAY)
    assert [(r.issue_date, r.due_date) for r in parsed.rows] == [
        (date(2013, 2, 21), date(2013, 3, 23)),
        (date(2013, 3, 4), date(2013, 4, 3)),  # ambiguous alone, month-first like its file
    ]
    assert parsed.date_order == "mdy"


def test_a_file_whose_every_date_is_ambiguous_is_refused_unless_told(tmp_path: Path) -> None:
    path = write(tmp_path / "amb.csv", "Invoice,Customer,Date,Amount\nA-1,Ann Inc,03/04/2026,10.00\n")
    with pytest.raises(ImportFileError, match="--date-order dmy or --date-order mdy"):
        read_invoice_csv(path, today=TODAY)
    assert read_invoice_csv(path, date_order="mdy").rows[0].issue_date == date(2026, 3, 4)
    assert read_invoice_csv(path, date_order="dmy").rows[0].issue_date == date(2026, 4, 3)


def test_amounts_with_non_zero_extra_decimals_are_refused_with_the_reason(tmp_path: Path) -> None:
    path = write(tmp_path / "dec.csv", "invoice_number,customer_name,invoiced_at,amount\nI-1,Ann,2026-09-01,10.1250\n")
    parsed = read_invoice_csv(path, today=TODAY)
    assert parsed.rows == []
    assert "more than two decimals" in str(parsed.errors[0].reason)


def test_a_workbook_with_a_title_a_notes_sheet_date_serials_and_a_total_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "relance.xlsx",
        {
            "Notes": [["Exporté depuis la gestion commerciale"]],
            "Créances": [
                ["Relevé des créances"],
                [],
                ["Réf.", "Raison sociale", "Date facture", "Échéance", "Montant TTC", "Montant HT", "Réglé"],
                ["F-1", "Dupont SARL", date(2026, 9, 1), date(2026, 10, 1), 1234.5, 1028.75, 0],
                ["F-2", "Martin SA", date(2026, 9, 3), date(2026, 10, 3), 99.99, 83.33, 50],
                ["Total", "", None, None, 1334.49, 1112.08, 50],
            ],
        },
    )
    parsed = read_invoice_csv(path, today=TODAY)
    assert (parsed.sheet, parsed.header_line, parsed.layout) == ("Créances", 3, "invoices")
    assert parsed.set_aside == [(6, "total row")]
    assert [(r.number, r.amount_cents, r.paid_cents, r.due_date) for r in parsed.rows] == [
        ("F-1", 123450, 0, date(2026, 10, 1)),
        ("F-2", 9999, 5000, date(2026, 10, 3)),
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        ("Invoice;Customer\n".encode("utf-16"), "UTF-16 text"),
        (b"%PDF-1.7\n%\xe2\xe3", "a PDF document"),
    ],
)
def test_files_that_are_not_exports_are_named_never_dumped(tmp_path: Path, data: bytes, words: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    try:
        parsed = read_invoice_csv(path, today=TODAY)
    except ImportFileError as exc:
        message = str(exc)
    else:
        message = " ".join(str(e) for e in parsed.errors) or "read"
    assert "\\x" not in message and "\x00" not in message and "b'" not in message
    if words != "UTF-16 text":
        assert words in message


def test_a_broken_workbook_is_named_not_dumped(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00garbage\xff\xfe")
    with pytest.raises(ImportFileError) as refused:
        read_invoice_csv(path, today=TODAY)
    assert "not a readable workbook" in str(refused.value) and "\\x" not in str(refused.value)
