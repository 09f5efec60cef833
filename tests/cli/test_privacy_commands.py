"""Storage and personal data, as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callcoach.cli.main import app
from tests.factories import FR_HEADER, fr_line, write_export
from tests.waiting import until_sync

runner = CliRunner()
SECRET = "Hortense Vasseur-Quintal"


def cc(db: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), "--lang", "en", *args], input=stdin, env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.sqlite"
    export = write_export(
        tmp_path / "e.csv",
        [
            FR_HEADER,
            fr_line(
                "S-1",
                SECRET,
                date(2026, 9, 1),
                date(2026, 10, 1),
                "1 200,00",
                contact=SECRET,
                phone="01 99 00 00 07",
                email="hortense@example.org",
            ),
            fr_line("S-2", SECRET, date(2026, 9, 5), date(2026, 10, 5), "300,00", "300,00"),
            fr_line("K-1", "Keeper SA", date(2026, 9, 1), date(2026, 10, 1), "50,00"),
        ],
    )
    assert cc(path, "import", str(export))[0] == 0
    con = sqlite3.connect(path)
    con.execute(
        "insert into call (debtor_id, started_at, ended_at, excuses, notes, outcome, faults) "
        f"values (1, '2026-11-20 09:00:00', '2026-11-20 09:05:00', '', 'Spoke with {SECRET} herself', "
        "'promise', '')"
    )
    con.commit()
    con.close()
    return path


def bytes_of(db: Path) -> bytes:
    data = db.read_bytes()
    wal = Path(f"{db}-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_export_holds_everything_about_the_debtor(db: Path, tmp_path: Path) -> None:
    code, out, _ = cc(db, "export", "Hortense")
    data = json.loads(out)
    assert code == 0
    assert data["debtor"]["name"] == SECRET
    assert data["contacts"][0]["email"] == "hortense@example.org"
    assert [i["number"] for i in data["invoices"]] == ["S-1", "S-2"]
    assert data["calls"][0]["notes"] == f"Spoke with {SECRET} herself"
    code, _, _ = cc(db, "export", "Hortense", "-o", str(tmp_path / "access.json"))
    assert code == 0 and stat.S_IMODE((tmp_path / "access.json").stat().st_mode) == 0o600


def test_forget_erases_the_person_and_keeps_the_accounts(db: Path, isolated_home: Path) -> None:
    assert SECRET.encode() in bytes_of(db)
    code, _, err = cc(db, "forget", "Hortense", stdin="999\n")
    assert code == 1 and "not confirmed" in err
    code, out, _ = cc(db, "forget", "Hortense", "--yes")
    assert code == 0 and "personal data erased (1 contact(s), notes of 1 call(s), 0 e-mail(s)" in out
    raw = bytes_of(db)
    for fragment in (SECRET, "Vasseur", "hortense@example.org", "01 99 00 00 07", "vasseur quintal"):
        assert fragment.encode() not in raw, fragment
    con = sqlite3.connect(db)
    assert con.execute("select number, amount_cents, paid_cents, due_date from invoice order by number").fetchall() == [
        ("K-1", 5000, 0, "2026-10-01"),
        ("S-1", 120000, 0, "2026-10-01"),
        ("S-2", 30000, 30000, "2026-10-05"),
    ]
    assert con.execute("select name from debtor order by id").fetchall() == [("forgotten-1",), ("Keeper SA",)]
    con.close()
    log = (isolated_home / "state" / "erasures.log").read_text()
    assert "debtor #1 personal data erased" in log and "Hortense" not in log


def test_legal_hold_is_respected_with_its_reason(db: Path) -> None:
    assert cc(db, "hold", "Hortense", "--reason", "court case 2026-118")[0] == 0
    code, _, err = cc(db, "forget", "Hortense", "--yes")
    assert code == 1 and "on legal hold (court case 2026-118)" in err
    assert SECRET.encode() in bytes_of(db)
    assert cc(db, "hold", "Hortense", "--release")[0] == 0
    assert cc(db, "forget", "Hortense", "--yes")[0] == 0


def test_retention_flags_closed_files_older_than_the_limit(db: Path) -> None:
    cc(db, "pay", "S-1", "1200")
    cc(db, "pay", "K-1", "50")
    _, out, _ = cc(db, "report", "retention", "--as-of", "2027-01-01")
    assert "closed files with no activity for 5 year(s): 0" in out
    _, out, _ = cc(db, "report", "retention", "--as-of", "2032-01-01")
    assert "closed files with no activity for 5 year(s): 2" in out and SECRET in out


def test_check_and_a_damaged_file(db: Path, tmp_path: Path) -> None:
    code, out, _ = cc(db, "check")
    assert code == 0 and out.strip().endswith(": ok")
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
    con.close()
    data = db.read_bytes()
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(data[:4096] + bytes((n * 37) % 251 for n in range(len(data) - 4096)))
    code, _, err = cc(damaged, "check")
    assert code == 1 and ("problem(s) found" in err or "not a callcoach database" in err)


def test_check_reports_a_drifted_balance_and_repairs_it(db: Path) -> None:
    # Keeper SA: Hortense's balance waits for a refresh (the fixture's call, added by another
    # program, noted her), and the list already recomputes a balance waiting: not drift.
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE balance SET claim_cents = claim_cents + 1234 WHERE debtor_id = 2")
    con.close()
    code, _, err = cc(db, "check", "--as-of", "2026-11-26")
    assert code == 1 and "1 problem(s) found" in err
    assert "balance: debtor #2 EUR: claim_cents stored" in err and "check --repair" in err
    code, out, _ = cc(db, "check", "--repair", "--as-of", "2026-11-26")
    assert code == 0 and "1 debtor(s): balance recomputed from the invoices" in out
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE balance_total SET owed_cents = 5")
    con.close()
    code, _, err = cc(db, "check")
    assert code == 1 and "overdue total EUR: stored 5, recomputed" in err
    code, out, _ = cc(db, "check", "--repair")
    assert code == 0 and "1 overdue total(s) recomputed from the balances" in out
    code, out, _ = cc(db, "check")
    assert code == 0 and out.strip().endswith(": ok")


def test_backup_while_another_process_writes_is_consistent(db: Path, tmp_path: Path) -> None:
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("update invoice set paid_cents = 100 where number = 'K-1'")  # not committed yet
    try:
        code, _out, _ = cc(db, "backup", str(tmp_path / "copy.sqlite"))
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert code == 0
    copy = sqlite3.connect(tmp_path / "copy.sqlite")
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert copy.execute("select paid_cents from invoice where number = 'K-1'").fetchall() == [(0,)]
    copy.close()
    assert stat.S_IMODE((tmp_path / "copy.sqlite").stat().st_mode) == 0o600
    code, _, err = cc(db, "backup", str(tmp_path / "copy.sqlite"))
    assert code == 1 and "already exists" in err


def test_two_processes_writing_at_once_both_land(db: Path) -> None:
    other = sqlite3.connect(db, isolation_level=None, timeout=10, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("update debtor set notes = 'written by the other process' where name = 'Keeper SA'")
    release = threading.Timer(1.0, lambda: (other.execute("COMMIT"), other.close()))
    release.start()
    code, _out, err = cc(db, "pay", "K-1", "20")  # waits for the other writer, then writes
    release.join()
    assert code == 0, err
    con = sqlite3.connect(db)
    assert con.execute("select notes from debtor where name = 'Keeper SA'").fetchall() == [
        ("written by the other process",)
    ]
    assert con.execute("select paid_cents from invoice where number = 'K-1'").fetchall() == [(2000,)]
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()


def test_an_import_killed_half_way_leaves_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite"
    lines = [FR_HEADER] + [
        fr_line(f"N-{n}", f"Client {n % 500}", date(2025, 1, 1), date(2025, 2, 1), "10,00") for n in range(30000)
    ]
    export = write_export(tmp_path / "big.csv", lines)
    proc = subprocess.Popen(
        [sys.executable, "-m", "callcoach", "--db", str(db), "import", str(export)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    # Killed once the ledger exists (the import has started), and certainly before it ends.
    until_sync(lambda: db.exists() or proc.poll() is not None, seconds=60, what="the ledger file")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import ended before the kill: the test proved nothing"
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    count = con.execute("select count(*) from invoice").fetchone()[0] if "invoice" in tables else 0
    assert count in (0, 30000)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()


def test_ledger_files_are_private(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db}{suffix}")
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
