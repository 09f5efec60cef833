"""Issue 16, reproductions 6, 8 and 9: ledgers callcoach cannot use are refused in one line
and left untouched; a read-only one is read, never written; no backup unless a migration runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from callcoach.db.engine import session_scope
from callcoach.services.errors import StoreError
from callcoach.services.store import open_ledger
from tests.safety.helpers import cli, demo_ledger

pytestmark = pytest.mark.real_migrations  # opening files is what these tests are about


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The files in ``folder`` (SQLite's own -wal/-shm companions aside: reading makes them)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


def test_a_ledger_from_a_newer_callcoach_is_refused_without_a_backup(tmp_path: Path) -> None:
    db = demo_ledger(tmp_path)
    con = sqlite3.connect(db)
    con.execute("update alembic_version set version_num = '0999'")
    con.commit()
    con.close()
    before = _snapshot(tmp_path)
    for _ in range(3):
        result = cli(db, "list")
        assert result.exit_code == 1
        assert "made by a newer callcoach (revision 0999); update callcoach" in result.output
        assert "Traceback" not in result.output
    assert _snapshot(tmp_path) == before  # no backup copy, nothing written


def test_another_applications_sqlite_file_is_not_touched(tmp_path: Path) -> None:
    db = tmp_path / "recipes.sqlite"
    con = sqlite3.connect(db)
    con.execute("create table recipes (name text)")
    con.execute("create table ingredients (name text)")
    con.execute("insert into recipes values ('tarte tatin')")
    con.commit()
    con.close()
    before = _snapshot(tmp_path)
    result = cli(db, "list")
    assert result.exit_code == 1
    assert "not a callcoach ledger: it holds tables ingredients, recipes" in result.output
    assert _snapshot(tmp_path) == before
    con = sqlite3.connect(db)
    assert [r[0] for r in con.execute("select name from sqlite_master where type='table'")] == [
        "recipes",
        "ingredients",
    ]
    assert con.execute("pragma journal_mode").fetchone()[0] == "delete"
    con.close()


def test_an_empty_file_becomes_a_ledger(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    db.touch()
    engine = open_ledger(db)
    engine.dispose()
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from alembic_version").fetchone()[0] == 1
    con.close()


def test_an_up_to_date_ledger_opens_without_a_backup(tmp_path: Path) -> None:
    db = demo_ledger(tmp_path)
    for _ in range(3):
        assert cli(db, "list").exit_code == 0
    assert not list(tmp_path.glob("*.before-*"))


def test_a_read_only_ledger_is_read_and_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = demo_ledger(tmp_path)
    # As a user who may not write the file (root may write anything, so the check is told).
    monkeypatch.setattr("callcoach.services.store._writable", lambda path: False)
    before = db.read_bytes()
    listed = cli(db, "list")
    assert listed.exit_code == 0, listed.output
    assert "nothing was saved" not in listed.output
    shown = cli(db, "show", "1")
    assert shown.exit_code == 0 and "nothing was saved" not in shown.output
    paid = cli(db, "pay", "F2026-0002", "10")
    assert paid.exit_code == 1
    assert "read-only; nothing was saved" in paid.output and "Traceback" not in paid.output
    assert db.read_bytes() == before
    engine = open_ledger(db)
    with pytest.raises(Exception), session_scope(engine) as session:  # noqa: B017
        session.connection().exec_driver_sql("delete from invoice")
    engine.dispose()
    assert db.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("not a ledger\n" * 100)
    with pytest.raises(StoreError, match="not a callcoach database"):
        open_ledger(db)
    assert db.read_text() == "not a ledger\n" * 100
