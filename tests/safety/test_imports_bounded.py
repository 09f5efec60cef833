"""Issue 16, reproductions 10 and 11: an imported field has a named limit, a message quotes
only the start of what it read, and the rejected lines are written whole and private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.safety.helpers import cli

HEADER = "N° facture;Client;Date;Échéance;Montant TTC\r\n"
GOOD = [f"A-{n};Client {n};01/01/2025;01/02/2025;100,00\r\n" for n in range(1, 10)]


def test_a_ten_megabyte_cell_is_refused_with_its_line_and_column(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(HEADER + "".join(GOOD) + "B-1;" + "x" * 10_000_000 + ";01/01/2025;01/02/2025;50,00\r\n")
    db = tmp_path / "ledger.sqlite"
    result = cli(db, "import", str(export), "--skip-bad")
    assert result.exit_code == 0, result.output[:500]
    assert "export.csv:11: Client: too long: 10,000,000 characters (at most 300)" in result.output
    assert len(result.output) < 2_000
    listed = cli(db, "list", "--json", "--as-of", "2026-11-26")
    assert listed.exit_code == 0 and len(listed.output) < 10_000
    rejected = tmp_path / "export.rejected.csv"
    assert stat.S_IMODE(rejected.stat().st_mode) == 0o600
    assert "too long" in rejected.read_text(encoding="utf-8")[-200:]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_ten_megabyte_header_line_gives_a_short_message(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("N° facture;" + "Client" * 2_000_000 + ";Date\r\nA-1;Alpha;01/01/2025\r\n")
    result = cli(tmp_path / "ledger.sqlite", "import", str(export))
    assert result.exit_code == 1
    assert "the header line is 12,000,017 characters long (at most 20,000)" in result.output
    assert len(result.output) < 500 and "Traceback" not in result.output


def test_rejected_lines_on_a_full_disk_leave_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.safety.test_disk_full_and_erasure import disk_full

    export = tmp_path / "export.csv"
    export.write_text(HEADER + "".join(GOOD) + "B-1;Beta;not a date;01/02/2025;50,00\r\n")
    disk_full(monkeypatch)
    result = cli(tmp_path / "ledger.sqlite", "import", str(export), "--skip-bad")
    assert result.exit_code == 1
    assert "export.rejected.csv: disk full; nothing was saved" in result.output
    assert not (tmp_path / "export.rejected.csv").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
