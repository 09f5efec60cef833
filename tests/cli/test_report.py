"""`callcoach report aging|dso|forecast|results` as a user runs them, on ledgers built by hand."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from callcoach.cli.main import app
from tests.factories import HandLedger

runner = CliRunner()
D = date


def cc(db: Path, *args: str, lang: str = "en") -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), "--lang", lang, *args], env={"COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


def test_forecast_json_gives_the_weekly_amounts_computed_by_hand(engine: Engine, db_path: Path) -> None:
    hand = HandLedger(engine)
    alpha, beta, gamma, delta = (hand.debtor(n) for n in ("Alpha", "Beta", "Gamma", "Delta"))
    # Alpha kept one promise of two (the broken one counts against the next); Gamma kept both.
    hand.promise(alpha, 10_000, D(2026, 10, 1), status="kept")
    hand.promise(alpha, 10_000, D(2026, 10, 15), status="broken")
    hand.promise(gamma, 10_000, D(2026, 10, 1), status="kept")
    hand.promise(gamma, 10_000, D(2026, 10, 15), status="kept")
    # The ledger: 3 kept of 4 settled, 75 % for a debtor with no history (Beta, Delta).
    hand.promise(beta, 40_000, D(2026, 11, 24))  # passed, still within its 3 grace days: this week
    hand.promise(alpha, 20_001, D(2026, 12, 2), received_cents=5_000)  # 150,01 left at 50 %: 75,005
    for due in (D(2026, 12, 15), D(2027, 1, 15), D(2027, 2, 15)):  # a plan's instalments
        hand.promise(alpha, 10_000, due)
    hand.promise(delta, 10_000, D(2026, 12, 1), currency="USD")
    hand.promise(beta, 99_900, D(2027, 3, 5))  # beyond the 13 weeks
    hand.promise(beta, 99_900, D(2026, 12, 9), status="cancelled")
    hand.promise(gamma, 99_900, D(2026, 11, 20))  # past its grace days: broken, not expected

    code, out, err = cc(db_path, "report", "forecast", "--as-of", "2026-11-26", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["as_of"] == "2026-11-26"
    # Gamma's late promise is broken now: 3 kept of 5 settled.
    assert report["ledger"] == {"kept": 3, "broken": 2} and report["ledger_rate"] == 0.6
    eur, usd = report["currencies"]
    weeks = {w["start"]: (w["promised_cents"], w["expected_cents"]) for w in eur["weeks"] if w["promises"]}
    assert weeks == {
        "2026-11-23": (40_000, 24_000),  # Beta, no history: 60 % of 400,00
        "2026-11-30": (15_001, 7_501),  # Alpha: 1 of 2 kept, 75,005 rounded half up
        "2026-12-14": (10_000, 5_000),
        "2027-01-11": (10_000, 5_000),
        "2027-02-15": (10_000, 5_000),
    }
    assert len(eur["weeks"]) == 13 and eur["weeks"][-1]["start"] == "2027-02-15"
    assert (eur["promised_cents"], eur["expected_cents"]) == (85_001, 46_501)
    assert usd["currency"] == "USD"
    assert [(w["start"], w["expected_cents"]) for w in usd["weeks"] if w["promises"]] == [("2026-11-30", 6_000)]


def test_aging_table_and_csv(engine: Engine, db_path: Path, tmp_path: Path) -> None:
    hand = HandLedger(engine)
    a = hand.debtor("Alpha")
    hand.invoice(a, 120_000, issued=D(2026, 5, 1), due=D(2026, 6, 1), paid_cents=20_000)
    hand.invoice(a, -5_000, issued=D(2026, 6, 1), due=D(2026, 6, 1))
    target = tmp_path / "aging.csv"
    code, out, err = cc(db_path, "report", "aging", "--as-of", "2026-11-26", "--csv", str(target))
    assert code == 0, err
    assert "91+ days" in out and "€950.00" in out and "1 row" not in out
    assert f"6 row(s) written to {target}" in out
    assert target.stat().st_mode & 0o777 == 0o600
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0] == ["Currency", "Late by", "Amount", "Invoices", "Debtors", "Credit notes"]
    # A credit note's negative amount stays a number; the amounts are plain decimals.
    assert rows[5] == ["EUR", "91+ days", "950.00", "1", "1", "-50.00"]


def test_csv_cells_never_become_formulas(engine: Engine, db_path: Path, tmp_path: Path, isolated_home: Path) -> None:
    """Texts a user can change (their own playbook) are made inert, as in every CSV the app writes."""
    own = isolated_home / "config" / "playbook" / "fr"
    own.mkdir(parents=True)
    (own / "overview.toml").write_text('bucket_late_91 = "=HYPERLINK(\\"http://x\\")"\n', encoding="utf-8")
    hand = HandLedger(engine)
    hand.invoice(hand.debtor("Alpha"), 10_000, issued=D(2026, 1, 1), due=D(2026, 2, 1))
    target = tmp_path / "aging.csv"
    code, _out, err = cc(db_path, "report", "aging", "--as-of", "2026-11-26", "--csv", str(target), lang="fr")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[5][:3] == ["EUR", '\'=HYPERLINK("http://x")', "100,00"]


def test_dso_and_results_print_their_definitions(engine: Engine, db_path: Path) -> None:
    hand = HandLedger(engine)
    hand.invoice(hand.debtor("Alpha"), 3_000, issued=D(2026, 9, 10), due=D(2026, 10, 10))
    code, out, err = cc(db_path, "report", "dso", "--as-of", "2026-11-26")
    assert code == 0, err
    # Nothing invoiced in November (26 days) nor October (31): September's 3 000 explains it all (30).
    assert "EUR DSO today: 87 days" in out and "countback" in out
    code, out, err = cc(db_path, "report", "results", "--as-of", "2026-11-26", "--json")
    assert code == 0, err
    assert len(json.loads(out)["weeks"]) == 12


def test_a_bad_date_is_named(db_path: Path) -> None:
    code, _out, err = cc(db_path, "report", "aging", "--as-of", "31/02/2026")
    assert code == 1 and "--as-of" in err
