"""The CLI as a user runs it: exit codes, one-line errors, what is printed."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callcoach.cli.main import app
from tests.factories import FR_HEADER, fr_line, write_export

runner = CliRunner()


def cc(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), "--lang", "fr", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(
        tmp_path / "export.csv",
        [
            FR_HEADER,
            fr_line(
                "F-1",
                "Société Dupont",
                date(2026, 9, 1),
                date(2026, 10, 1),
                "1 200,00",
                "200,00",
                contact="Marc Dupont",
            ),
            fr_line("F-2", "Boulangerie Rémi", date(2026, 6, 1), date(2026, 7, 1), "1 000,00"),
            fr_line("F-3", "[bold]Evil[/] & [@click=app.quit]", date(2026, 5, 1), date(2026, 6, 1), "10,00"),
        ],
        encoding="cp1252",
    )


def test_import_then_list_in_order(tmp_path: Path, export: Path) -> None:
    db = tmp_path / "l.sqlite"
    code, out, _ = cc(db, "import", str(export))
    assert code == 0
    assert "débiteurs 3 créé(s), 0 mis à jour, 0 inchangé(s)" in out
    assert "factures  3 créé(s), 0 mis à jour, 0 inchangé(s)" in out
    code, out, _ = cc(db, "import", str(export))
    assert "factures  0 créé(s), 0 mis à jour, 3 inchangé(s)" in out
    code, out, _ = cc(db, "list", "--as-of", "2026-11-26", "--json")
    rows = json.loads(out)
    # Equal amounts: the oldest overdue first; the smallest amount last whatever its age.
    assert [(r["name"], r["overdue_cents"], r["age_days"]) for r in rows] == [
        ("Boulangerie Rémi", 100000, 148),
        ("Société Dupont", 100000, 56),
        ("[bold]Evil[/] & [@click=app.quit]", 1000, 178),
    ]


def test_equal_amounts_order_by_age(tmp_path: Path, export: Path) -> None:
    db = tmp_path / "l.sqlite"
    cc(db, "import", str(export))
    _, out, _ = cc(db, "list", "--as-of", "2026-11-26", "--json")
    names = [r["name"] for r in json.loads(out)]
    assert names.index("Boulangerie Rémi") < names.index("Société Dupont")


def test_list_prints_french_money_and_markup_literally(tmp_path: Path, export: Path) -> None:
    db = tmp_path / "l.sqlite"
    cc(db, "import", str(export))
    code, out, _ = cc(db, "list", "--as-of", "26/11/2026")
    assert code == 0
    assert "1\u202f000,00\u00a0€" in out
    assert "[bold]Evil[/] & [@click=app.quit]" in out


def test_show_and_pay(tmp_path: Path, export: Path) -> None:
    db = tmp_path / "l.sqlite"
    cc(db, "import", str(export))
    code, out, _ = cc(db, "show", "dupont", "--as-of", "2026-11-26")
    assert code == 0 and "Marc Dupont" in out and "F-1" in out and "1\u202f000,00\u00a0€" in out
    code, out, _ = cc(db, "pay", "F-1", "400", "--date", "25/11/2026", "--as-of", "2026-11-26")
    assert code == 0 and "enregistré ; reste dû 600,00" in out
    code, out, _ = cc(db, "show", "dupont", "--json")
    invoice = json.loads(out)["invoices"][0]
    assert (invoice["paid_cents"], invoice["remaining_cents"]) == (60000, 60000)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pay", "NOPE", "10"], "no invoice numbered 'NOPE'"),
        (["pay", "F-1", "dix"], "amount: not an amount"),
        (["pay", "F-1", "5000"], "has only"),
        (["pay", "F-1", "10", "--date", "32/01/2026"], "--date: no such date"),
        (["show", "zzz"], "no debtor matches 'zzz'"),
        (["list", "--as-of", "tomorrow"], "--as-of: not a date"),
        (["import", "missing.csv"], "missing.csv: no such file"),
        (["import", "export.csv", "--map", "x=y"], "unknown field 'y'"),
    ],
)
def test_user_errors_are_one_line_and_exit_1(
    tmp_path: Path, export: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "l.sqlite"
    cc(db, "import", str(export))
    result = runner.invoke(app, ["--db", str(db), "--lang", "en", *args], env={"COLUMNS": "200"})
    code, out, err = result.exit_code, result.stdout, result.stderr
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err


def test_bad_line_7_is_refused_and_nothing_changes(tmp_path: Path, export: Path) -> None:
    db = tmp_path / "l.sqlite"
    cc(db, "import", str(export))
    lines = [FR_HEADER] + [fr_line(f"G-{n}", "Garage", date(2026, 9, 1), date(2026, 10, 1), "10,00") for n in range(5)]
    lines.append("G-9;Garage;31/09/2026;01/10/2026;10,00;;;;;;")
    bad = write_export(tmp_path / "bad.csv", lines, encoding="cp1252")
    code, out, err = cc(db, "import", str(bad))
    assert code == 1
    assert f"{bad}:7 : Date : cette date n'existe pas : '31/09/2026'" in err
    assert "1 ligne(s) incorrecte(s) ; rien n'a été importé" in err
    _, out, _ = cc(db, "list", "--json")
    assert "Garage" not in out


def test_database_file_is_private(tmp_path: Path, export: Path) -> None:
    db = tmp_path / "l.sqlite"
    cc(db, "import", str(export))
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("these are not the invoices you are looking for\n" * 100)
    code, _, err = cc(db, "list")
    assert code == 1
    assert "ce n'est pas une base callcoach" in err


def test_demo_list_ranks_the_demo_ledger(tmp_path: Path) -> None:
    code, out, err = cc(tmp_path / "demo.sqlite", "demo", "--list", "--as-of", "2026-11-26")
    assert code == 0, err
    assert "Préparation du registre de démonstration" in err  # the first start says what it is doing
    assert "Préparation" not in cc(tmp_path / "demo.sqlite", "demo", "--list", "--as-of", "2026-11-26")[2]
    code, out, _ = cc(tmp_path / "demo.sqlite", "list", "--as-of", "2026-11-26", "--json")
    rows = json.loads(out)
    assert len(rows) > 20
    keys = [(-r["overdue_cents"], -r["age_days"]) for r in rows]
    assert keys == sorted(keys)


def test_settings(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    assert cc(db, "settings", "set", "collector_name", "Camille Martin")[0] == 0
    code, out, _ = cc(db, "settings")
    assert "Camille Martin" in out
    code, _, err = cc(db, "settings", "set", "small_debt_cents", "lots")
    assert code == 1 and "attend un nombre entier" in err


def test_language_from_flag_then_environment_then_ledger_then_system(
    tmp_path: Path, export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "l.sqlite"
    monkeypatch.delenv("CALLCOACH_LANG")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)

    def title(*args: str) -> str:
        result = runner.invoke(app, ["--db", str(db), *args, "list", "--as-of", "2026-11-26"], env={"COLUMNS": "200"})
        return result.stdout.splitlines()[0]

    runner.invoke(app, ["--db", str(db), "import", str(export)])
    assert title().startswith("To call")  # the system locale
    runner.invoke(app, ["--db", str(db), "settings", "set", "language", "fr"])
    assert title().startswith("À appeler")  # the ledger's setting
    monkeypatch.setenv("CALLCOACH_LANG", "en")
    assert title().startswith("To call")  # the environment
    assert title("--lang", "fr").startswith("À appeler")  # the flag


def test_a_locked_database_is_reported_and_nothing_is_lost(
    tmp_path: Path, export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    db = tmp_path / "l.sqlite"
    cc(db, "import", str(export))
    monkeypatch.setenv("CALLCOACH_BUSY_MS", "200")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another callcoach is writing
    try:
        code, _, err = cc(db, "pay", "F-1", "10")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 1
    assert "la base est occupée" in err and len(err.strip().splitlines()) == 1
    assert cc(db, "pay", "F-1", "10")[0] == 0


def test_every_rule_setting_can_be_changed(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    for name in ("promise_grace_days", "plan_max_months", "double_call_hours", "retention_years", "small_debt_cents"):
        assert cc(db, "settings", "set", name, "7")[0] == 0, name
    _, out, _ = cc(db, "settings")
    assert "promise_grace_days           7" in out and "retention_years              7" in out


def test_terminal_control_sequences_in_names_never_reach_the_terminal(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    hostile = [
        "Clip\x1b]52;c;cm0gLXJmIH4=\x07board",
        "Link\x1b]8;;file:///etc/passwd\x1b\\here\x1b]8;;\x1b\\",
        "Bell\x07\x9b31mC1",
        "[link=file:///etc/passwd]x[/link]",
    ]
    export = tmp_path / "h.csv"
    export.write_text(
        "Invoice\tCustomer\tDate\tAmount\n"
        + "".join(f"H-{n}\t{name}\t01/09/2026\t{10 + n}\n" for n, name in enumerate(hostile)),
        encoding="utf-8",
    )
    assert cc(db, "import", "--date-order", "dmy", str(export))[0] == 0
    result = runner.invoke(app, ["--db", str(db), "list", "--as-of", "2026-11-26"], env={"COLUMNS": "200"}, color=True)
    out = result.stdout
    assert "\x1b]" not in out and "\x07" not in out and "\x9b" not in out
    assert "Clip]52;c;cm0gLXJmIH4=board" in out and "[link=file:///etc/passwd]x[/link]" in out


def test_show_as_of_gives_late_costs_per_invoice_and_in_total(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    export = write_export(
        tmp_path / "e.csv",
        [
            FR_HEADER,
            fr_line("L-1", "Lent SA", date(2025, 5, 1), date(2025, 5, 31), "1 000,00"),
            fr_line("L-2", "Lent SA", date(2025, 6, 1), date(2025, 7, 1), "500,00", "500,00"),
        ],
    )
    assert cc(db, "import", str(export))[0] == 0
    code, out, _ = cc(db, "show", "Lent", "--as-of", "2025-07-10", "--json")
    data = json.loads(out)
    assert code == 0 and data["late_payment_basis"] == "statutory" and not data["provisional"]
    l1 = next(i for i in data["invoices"] if i["number"] == "L-1")
    # No IBAN set: the RF reference. By hand: "L1RF00" -> 211271500 mod 97 = 68, check 98 - 68 = 30.
    assert l1["reference"] == "RF30L1"
    # Worked example (see tests/domain/test_latecosts.py): 40 days across 30/06 -> 14,14 € + 40 €.
    assert (
        l1["remaining_cents"],
        l1["claimable_cents"],
        l1["days_late"],
        l1["interest_cents"],
        l1["indemnity_cents"],
        l1["total_due_cents"],
    ) == (100000, 100000, 40, 1414, 4000, 105414)
    assert data["totals"] == {
        "EUR": {"remaining_cents": 100000, "interest_cents": 1414, "indemnity_cents": 4000, "total_due_cents": 105414}
    }
    assert cc(db, "settings", "set", "iban", "BE71 0961 2345 6769")[0] == 0
    data = json.loads(cc(db, "show", "Lent", "--as-of", "2025-07-10", "--json")[1])
    assert data["invoices"][0]["reference"] == "+++000/0000/00101+++"  # Belgian account: +++
    assert cc(db, "settings", "set", "late_rule", "none")[0] == 0
    _, out, _ = cc(db, "show", "Lent", "--as-of", "2025-07-10", "--json")
    assert json.loads(out)["totals"]["EUR"]["total_due_cents"] == 100000


def test_show_json_gives_case_2_interest_on_the_daily_balance(tmp_path: Path) -> None:
    """Issue 15, case 2: 10,000 due 31/05/2025, 5,000 paid 15/07/2025, as of 30/09/2025: 286.17."""
    db = tmp_path / "l.sqlite"
    export = write_export(
        tmp_path / "e.csv", [FR_HEADER, fr_line("P-1", "Partial SA", date(2025, 5, 1), date(2025, 5, 31), "10 000,00")]
    )
    assert cc(db, "import", str(export))[0] == 0
    assert cc(db, "pay", "P-1", "5000", "--date", "2025-07-15", "--as-of", "2025-07-15")[0] == 0
    data = json.loads(cc(db, "show", "Partial", "--as-of", "2025-09-30", "--json")[1])
    [p1] = data["invoices"]
    assert (p1["remaining_cents"], p1["interest_cents"], p1["indemnity_cents"]) == (500000, 28617, 4000)
    assert data["totals"]["EUR"]["total_due_cents"] == 500000 + 28617 + 4000


def test_an_iban_is_checked_when_entered(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    code, _, err = cc(db, "settings", "set", "iban", "FR76 1254 2547 2569 8542 5874 698")
    assert code == 1 and "n'est pas un IBAN valide" in err
    assert cc(db, "settings", "set", "iban", "FR76 3000 6000 0112 3456 7890 189")[0] == 0
    assert "FR7630006000011234567890189" in cc(db, "settings")[1]


def test_a_contract_rate_replaces_the_statutory_one_never_below_the_legal_floor(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    export = write_export(
        tmp_path / "e.csv", [FR_HEADER, fr_line("K-1", "Contract SA", date(2025, 1, 1), date(2025, 1, 1), "1 000,00")]
    )
    assert cc(db, "import", str(export))[0] == 0
    # Three times the latest legal rate, 2026-1 (2.62 %), is 7.86 %: a lower contractual rate is refused.
    code, _, err = cc(db, "settings", "debtor-rate", "Contract", "5")
    assert code == 1 and "est inférieur à trois fois le taux d'intérêt légal (7.86 %" in err
    assert cc(db, "settings", "debtor-rate", "Contract", "15")[0] == 0
    data = json.loads(cc(db, "show", "Contract", "--as-of", "2025-03-15", "--json")[1])
    # 1,000 at 15 % for 73 days: 30.00, plus the 40 € indemnity.
    assert data["late_payment_basis"] == "contract"
    assert (data["invoices"][0]["interest_cents"], data["invoices"][0]["indemnity_cents"]) == (3000, 4000)
    assert cc(db, "settings", "set", "contract_rate", "9")[0] == 0  # the ledger's own rate, under the debtor's
    assert (
        json.loads(cc(db, "show", "Contract", "--as-of", "2025-03-15", "--json")[1])["invoices"][0]["interest_cents"]
        == 3000
    )


def test_show_states_the_late_costs_as_the_checklist_does(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    export = write_export(
        tmp_path / "e.csv", [FR_HEADER, fr_line("P-1", "Partial SA", date(2025, 5, 1), date(2025, 5, 31), "10 000,00")]
    )
    assert cc(db, "import", str(export))[0] == 0
    assert cc(db, "pay", "P-1", "5000", "--date", "2025-07-15", "--as-of", "2025-07-15")[0] == 0
    out = " ".join(cc(db, "show", "Partial", "--as-of", "2025-09-30")[1].replace("\u202f", " ").split(" "))
    out = out.replace("\u00a0", " ")
    assert "Frais de retard" in out
    assert "P-1 : 122 j de retard, intérêts 286,17 €, indemnité 40,00 €" in out
    assert "Total exigible aujourd'hui : 5 326,17 €" in out  # 5,000 left + 286.17 + 40
