"""What the commands print reads whole on an 80-column terminal, and an empty part of the
day's agenda is a sentence, not a table with a dash."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from callcoach.cli.main import app
from tests.factories import FR_HEADER, fr_line, write_export

runner = CliRunner()


def cc(db: Path, *args: str, columns: int = 80) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", str(db), "--lang", "fr", *args], env={"COLUMNS": str(columns)})
    return result.exit_code, result.stdout


def test_show_at_80_columns_keeps_invoice_numbers_dates_and_amounts_whole(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    lines = [
        fr_line(
            f"F2026-00{n}",
            "Communauté de communes du Pays Vert",
            date(2026, 5, 1),
            date(2026, 5, 25),
            "14 840,00",
            po=f"BC-5802{n}",
            product="Maintenance du site web (mensuelle), refonte et hébergement",
        )
        for n in (42, 43, 44)
    ]
    assert cc(db, "import", str(write_export(tmp_path / "e.csv", [FR_HEADER, *lines])))[0] == 0
    code, out = cc(db, "show", "Communauté", "--as-of", "2026-12-01")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Contacts : aucun" in out  # no empty table
    for n in (42, 43, 44):
        assert f"F2026-00{n}" in out
    assert "25/05/2026" in out
    assert "14 840,00 €" in out.replace("\xa0", " ").replace("\u202f", " ")
    assert "…" not in out.split("Frais de retard")[0]  # nothing of the invoices cut
    wide = cc(db, "show", "Communauté", "--as-of", "2026-12-01", columns=160)[1]
    assert "BC-580242" in wide and "Maintenance du site web" in wide  # room enough: every column


def test_today_with_nothing_due_says_so_in_a_sentence(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    line = fr_line("F-1", "Atelier Nord", date(2026, 10, 1), date(2026, 10, 31), "500,00")
    assert cc(db, "import", str(write_export(tmp_path / "e.csv", [FR_HEADER, line])))[0] == 0
    code, out = cc(db, "today", "--as-of", "2026-12-01")
    assert code == 0
    assert "Rien à faire maintenant : aucun rappel" in " ".join(out.split())
    assert "│ —" not in out
    assert "Atelier Nord" in out  # the list itself still a table
