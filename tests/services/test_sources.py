"""Folders of real files into the ledger, and staying in sync with newer exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callcoach.cli.main import app

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
runner = CliRunner()


def cc(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), "--lang", "en", *args], env={"COLUMNS": "300"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def needs_samples() -> None:
    from tests.importers.samples import shared_sample

    shared_sample()  # fails under CI when the samples are missing, skips elsewhere


def test_dry_run_shows_the_sheet_header_columns_and_layout_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    code, out, _ = cc(db, "import", "--dry-run", str(SAMPLES / "exports" / "bz_ar-aging-report.xlsx"))
    assert code == 0
    assert "sheet     Open Invoices" in out and "header    line 1" in out
    assert "column    Open Advance (ILS) -> amount" in out
    assert "layout    invoices" in out and "sheet 'Aging Report' left aside (a summary)" in out
    assert "would import" in out and "26 created" in out
    code, out, _ = cc(db, "import", "--dry-run", str(SAMPLES / "exports" / "in_zoho_invoices.csv"))
    assert "column    Invoice Number -> number (also fitted: Invoice ID)" in out
    assert "layout    invoice lines" in out and "drafts    3 draft" in out
    _, listed, _ = cc(db, "list", "--as-of", "2026-11-26", "--json")
    assert json.loads(listed) == []


def test_a_folder_with_a_refused_file_exits_1_with_a_summary(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.csv").write_bytes((SAMPLES / "exports" / "ak_invoices.csv").read_bytes())
    (folder / "photo.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, out, err = cc(tmp_path / "l.sqlite", "import", str(folder))
    assert code == 1
    assert "import summary" in out and "good.csv" in out and "imported (1 new, 0 updated)" in out
    assert "this is a PNG image, not a text export" in err + out
    assert "\\x89" not in err + out


def test_date_order_option_reads_an_ambiguous_file(tmp_path: Path) -> None:
    export = tmp_path / "us.csv"
    export.write_text("Invoice,Customer,Date,Amount\nA-1,Ann Inc,03/04/2026,10.00\n", encoding="utf-8")
    code, _, err = cc(tmp_path / "l.sqlite", "import", str(export))
    assert code != 0 and "--date-order dmy or --date-order mdy" in err
    code, out, _ = cc(tmp_path / "l.sqlite", "import", "--date-order", "mdy", str(export))
    assert code == 0 and "1 created" in out


def test_every_sample_imports_or_is_refused_with_a_reason(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    code, out, err = cc(db, "import", str(SAMPLES))
    assert code == 1  # some files were refused: said by the exit code and a summary table
    assert "import summary" in out and "README.md" in out
    assert (
        f"refused: {SAMPLES}/cii/cen_CII_business_example_02_due_before_issue.xml: due date 10/05/2013 is before "
        "the issue date 25/08/2013" in err
    )
    assert f"refused: {SAMPLES}/README.md: not an invoice file" in err
    assert "fails its check (mod 97)" in err and "till receipts, not invoices" in err
    assert "lettering and balance disagree" in err
    for name in (
        "akretion_factur-x-minimum.xml",
        "mustang_EN16931_Einfach.pdf",
        "111111111FEC20221231.TXT",
        "cen_ubl-tc434-creditnote1_BE.xml",
    ):
        assert f"{name}: imported" in out, name
    _, out, _ = cc(db, "list", "--as-of", "2026-11-26", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert (
        rows["HIL Heeresinstandsetzungslogistik GmbH"]["overdue_cents"],
        rows["HIL Heeresinstandsetzungslogistik GmbH"]["currency"],
    ) == (8785900, "HUF")
    assert (
        rows["Metallbau Leipzig GmbH & Co. KG"]["overdue_cents"],
        rows["Metallbau Leipzig GmbH & Co. KG"]["currency"],
    ) == (52191, "GBP")
    currencies = [r["currency"] for r in json.loads(out)]
    assert currencies[: currencies.count("EUR")] == ["EUR"] * currencies.count("EUR")  # euros first, never mixed
    assert "My Customer Company S.A." not in rows  # a credit note alone: nothing to call about
    assert rows["LE CLIENT"]["overdue_cents"] == 20490  # F20260023 (XML then its PDF: one invoice) + F20180027
    _, out, _ = cc(db, "show", "LE CLIENT", "--json")
    invoices = {i["number"]: i for i in json.loads(out)["invoices"]}
    assert set(invoices) == {"F20260023", "F20180027"}


def test_a_newer_fec_closes_an_invoice_paid_in_between(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    original = (SAMPLES / "fec" / "111111111FEC20221231.TXT").read_bytes()
    first = tmp_path / "111111111FEC20221231.TXT"
    first.write_bytes(original)
    assert cc(db, "import", str(first))[0] == 0
    _, out, _ = cc(db, "show", "COLRUYT", "--json")
    assert [(i["number"], i["status"]) for i in json.loads(out)["invoices"]] == [("VE 0523/41101050", "open")]
    # The payment arrives and the accountant letters it with the invoice.
    lines = original.decode("latin-1").splitlines()
    newer = []
    for line in lines:
        if "|41101050|" in line and "|VE  0523|" in line:
            line = line.replace("|  |        |", "|ZZ|20231231|")
        newer.append(line)
    newer.append(
        "BQ  |BQ01|00000999|20231215|41100000|CLIENTS A 5.5%              |41101050|COLRUYT RETAIL FRA"
        "               |BQ  1223|20231215|REGLEMENT COLRUYT           |0000000000,00|0000006439,94|ZZ"
        "|20231231|20240331|||"
    )
    second = tmp_path / "later" / "111111111FEC20221231.TXT"
    second.parent.mkdir()
    second.write_bytes("\n".join(newer).encode("latin-1"))
    code, out, _ = cc(db, "import", str(second))
    assert code == 0 and "closed    1 invoice(s) no longer open in this export" in out
    _, out, _ = cc(db, "show", "COLRUYT", "--json")
    assert [(i["number"], i["status"]) for i in json.loads(out)["invoices"]] == [("VE 0523/41101050", "paid")]
    _, out, _ = cc(db, "list", "--as-of", "2026-11-26", "--json")
    assert "COLRUYT RETAIL FRA" not in {r["name"] for r in json.loads(out)}


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    code, out, _ = cc(db, "import", str(SAMPLES / "ubl"), "--dry-run")
    assert code == 0 and "would import" in out
    _, out, _ = cc(db, "list", "--json")
    assert json.loads(out) == []
