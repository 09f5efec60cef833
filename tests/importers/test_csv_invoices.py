"""The CSV reader on exports as small businesses write them, and on every bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callcoach.importers.csv_invoices import ImportFileError, parse_mapping, read_invoice_csv
from tests.factories import FR_HEADER, fr_line, write_export


def test_semicolon_cp1252_with_decimal_commas(tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "export.csv",
        [
            FR_HEADER,
            fr_line(
                "F-001",
                "Société Générale des Eaux",
                date(2026, 9, 1),
                date(2026, 10, 1),
                "1 234,56",
                "234,56",
                "Hélène Mérou",
                "01 99 00 00 01",
                "compta@eaux.example",
                "BC-77",
                "Entretien chaudière",
            ),
        ],
        encoding="cp1252",
    )
    parsed = read_invoice_csv(path)
    assert parsed.errors == []
    assert parsed.encoding == "cp1252"
    assert parsed.delimiter == ";"
    row = parsed.rows[0]
    assert (row.number, row.customer, row.amount_cents, row.paid_cents) == (
        "F-001",
        "Société Générale des Eaux",
        123456,
        23456,
    )
    assert (row.issue_date, row.due_date, row.payment_term_days) == (date(2026, 9, 1), date(2026, 10, 1), 30)
    assert (row.contact, row.po_number, row.product) == ("Hélène Mérou", "BC-77", "Entretien chaudière")


def test_comma_separated_english_with_bom_and_quoted_thousands(tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "export.csv",
        [
            "Invoice number,Customer,Issue date,Due date,Amount,Amount paid,Currency",
            'INV-9,"Acme, Ltd",2026-08-01,2026-08-31,"1,234.56",0,GBP',
        ],
        bom=True,
    )
    parsed = read_invoice_csv(path)
    assert parsed.errors == []
    assert parsed.encoding == "utf-8-sig"
    row = parsed.rows[0]
    assert (row.customer, row.amount_cents, row.currency) == ("Acme, Ltd", 123456, "GBP")


def test_tab_separated_with_dotted_dates_and_nbsp_thousands(tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "export.tsv",
        [
            "N° facture\tClient\tDate facture\tMontant\tRestant dû\tStatut",
            "T-1\tDupont\t15.09.2026\t2\u202f500,00 €\t1\u00a0000,00\timpayée",
        ],
    )
    parsed = read_invoice_csv(path, default_term_days=45)
    assert parsed.errors == []
    row = parsed.rows[0]
    assert row.amount_cents == 250000
    assert row.paid_cents == 150000
    assert row.due_date == date(2026, 10, 30)  # no due date column: issue date + default term
    assert row.status == "open"


def test_header_mapping_for_unknown_columns(tmp_path: Path) -> None:
    path = write_export(tmp_path / "odd.csv", ["Ref;Who;When;Sum", "X1;Zed;01/10/2026;10"])
    with pytest.raises(ImportFileError, match="no column for customer, amount, issue date"):
        read_invoice_csv(path)
    mapping = parse_mapping(["Ref=number", "Who=customer", "When=issue_date", "Sum=amount"])
    parsed = read_invoice_csv(path, mapping=mapping)
    assert parsed.rows[0].number == "X1"
    assert parsed.rows[0].amount_cents == 1000


def test_bad_mapping_is_refused() -> None:
    with pytest.raises(ImportFileError, match="unknown field 'nombre'"):
        parse_mapping(["Ref=nombre"])
    with pytest.raises(ImportFileError, match="expected HEADER=field"):
        parse_mapping(["Ref"])


def test_bad_date_on_line_7_is_named(tmp_path: Path) -> None:
    lines = [FR_HEADER] + [fr_line(f"F-{n}", "Client", date(2026, 9, 1), date(2026, 10, 1), "100,00") for n in range(5)]
    lines.append("F-9;Client;31/02/2026;01/04/2026;100,00;;;;;;")
    path = write_export(tmp_path / "bad.csv", lines)
    parsed = read_invoice_csv(path)
    assert [str(e) for e in parsed.errors] == [f"{path}:7: Date: no such date: '31/02/2026'"]
    assert len(parsed.rows) == 5


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        (";Client;01/09/2026;01/10/2026;100,00;;;;;;", "N° facture", "missing invoice number"),
        ("F-1;;01/09/2026;01/10/2026;100,00;;;;;;", "Client", "missing customer name"),
        ("F-1;Client;01/09/2026;01/10/2026;;;;;;;", "Montant TTC", "missing amount"),
        ("F-1;Client;01/09/2026;01/10/2026;cent euros;;;;;;", "Montant TTC", "not an amount"),
        ("F-1;Client;01/09/2026;01/10/2026;12,345;;;;;;", "Montant TTC", None),
        ("F-1;Client;2026/09/01;01/10/2026;100,00;;;;;;", "Date", "not a date"),
        ("F-1;Client;01/09/2026;01/10/2026;100,00;150,00;;;;;", "Réglé", "outside 0 and the invoice amount"),
        ("F-1;Client;01/09/2026;01/10/2026;100,00;;;;pas-un-mail;;", "E-mail", "not an e-mail"),
        ("F-1;Client;;;100,00;;;;;;", "Date", "missing date"),
        ("F-1;Client;01/09/2026;01/10/2026;100,00;;;;;;;extra", "N° facture", "cells for 11 columns"),
    ],
)
def test_every_bad_row_names_line_column_and_reason(tmp_path: Path, line: str, column: str, reason: str | None) -> None:
    path = write_export(tmp_path / "bad.csv", [FR_HEADER, line])
    parsed = read_invoice_csv(path)
    if reason is None:  # 12,345 groups thousands: a valid 12 345,00
        assert parsed.rows[0].amount_cents == 1234500
        return
    assert parsed.rows == []
    assert any(e.line == 2 and e.column == column and reason in str(e.reason) for e in parsed.errors), parsed.errors


def test_a_due_date_before_the_issue_date_is_a_warning_and_the_invoice_is_kept(tmp_path: Path) -> None:
    path = write_export(tmp_path / "late.csv", [FR_HEADER, "F-1;Client;01/09/2026;01/08/2026;100,00;;;;;;"])
    parsed = read_invoice_csv(path)
    assert parsed.errors == []
    assert [(r.number, r.due_date) for r in parsed.rows] == [("F-1", date(2026, 8, 1))]
    assert [(w.line, w.column) for w in parsed.warnings] == [(2, "Échéance")]
    assert "before the issue date" in str(parsed.warnings[0].reason)


def test_unknown_status_and_duplicate_number(tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "bad.csv",
        [
            "Invoice;Customer;Date;Amount;Status",
            "A;X;01/09/2026;10;open",
            "A;X;01/09/2026;10;open",
            "B;X;01/09/2026;10;lost in space",
        ],
    )
    parsed = read_invoice_csv(path)
    assert [(e.line, e.column, str(e.reason)) for e in parsed.errors] == [
        (3, "Invoice", "invoice A already on line 2"),
        (4, "Status", "unknown status 'lost in space' (open, sent, partial, paid, draft, disputed, cancelled)"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b"   \n\n", "the file is empty"), (b"justonecolumn\nvalue\n", "no column separator")],
)
def test_unusable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        read_invoice_csv(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        read_invoice_csv(tmp_path / "nope.csv")


def test_control_characters_are_stripped_from_fields(tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "x.csv",
        [
            "Invoice;Customer;Date;Amount",
            'A;"Evil\x1b]52;c;aGk=\x07 Corp";01/09/2026;10',
        ],
    )
    row = read_invoice_csv(path).rows[0]
    assert row.customer == "Evil]52;c;aGk= Corp"


def test_the_fast_path_reads_every_line_as_the_careful_path_does(tmp_path: Path) -> None:
    """Lines the quick path takes give the very rows the careful path gives; the others fall through."""
    import csv
    import io

    from callcoach.importers.headers import match_columns
    from callcoach.importers.rows import RowReader
    from callcoach.locations import bundled_data

    demo = (bundled_data("demo") / "invoices.csv").read_text(encoding="utf-8")
    extra = [
        "X-1;Café  du\u00a0Port;01/02/2026;03/03/2026;1 234,50;;Zoé;;z@p.example;;",  # double and odd spaces
        "X-2;Bad\x1b]52;c;x\x07 Co;01/02/2026;03/03/2026;10,00;;;;;;",  # control characters
        "X-3;Neg SA;01/02/2026;03/03/2026;-10,00;;;;;;",  # a credit note
        "X-4;Over SA;01/02/2026;03/03/2026;10,00;20,00;;;;;",  # paid above the amount
        "X-5;Late SA;01/04/2026;03/03/2026;10,00;;;;;;",  # due before issued
        "X-6;Odd SA;31/02/2026;03/03/2026;10,00;;;;;;",  # no such date
        "X-7;Odd SA;01/02/2026;03/03/2026;1.234,5;;;;;;",  # another convention
        "X-8;Mail SA;01/02/2026;03/03/2026;10,00;;;;not-an-address;;",
        "X-9;Short SA;01/02/2026;03/03/2026;10,00",
        " X-10 ;Padded SA ;01/02/2026; 03/03/2026;10,00 ;;;;;;",  # spaces around cells
        "X-11;Bar | Co;01/02/2026;03/03/2026;10,00;;;;;;",
        "X-12;Fine SA;01/02/2026;03/03/2026;1\u202f234,00;;Ann;;a@f.example;;",
    ]
    header = demo.splitlines()[0]
    path = tmp_path / "lines.csv"
    checked = fast_taken = 0
    for text in (demo, "\n".join([FR_HEADER, *extra])):
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        head = records[0]
        reader = RowReader(path, head, match_columns(head, {}).columns, 30)
        for line, record in enumerate(records[1:], start=2):
            careful = reader.careful(line, record, [])
            quick = reader.quick(line, record)
            if quick is not None:
                fast_taken += 1
                assert quick == careful, (line, record)
            checked += 1
    assert header and checked > 100 and fast_taken > 100  # the demo lines take the fast path


@given(st.text(alphabet=st.sampled_from(list("ab ;,\t\r\n\u00e9\u2028\x0b€1")), max_size=60))
def test_splitting_lines_reads_what_the_csv_module_reads(text: str) -> None:
    """The quick reader is used only where it gives exactly the csv module's records."""
    import csv
    import io

    from callcoach.importers.reading import SplitLines

    if not SplitLines.suits(text):
        return
    for delimiter in (";", ",", "\t"):
        expected_reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        quick = SplitLines(text, delimiter)
        expected, got = [], []
        for record in expected_reader:
            expected.append((expected_reader.line_num, record))
        # As the import reads it: the header, then the rest in one pass, numbered from there.
        header = next(quick, None)
        if header is not None:
            got.append((quick.line_num, header))
            got += list(enumerate(quick.rest(), start=quick.line_num + 1))
        assert got == expected
