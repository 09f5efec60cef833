"""Issue 16, reproductions 4, 5 and 11: a full disk loses nothing and leaves no partial file;
forget leaves nothing of the debtor beside the ledger; every file 0600, every folder 0700."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services.desk import Desk
from callcoach.services.errors import StoreError
from callcoach.services.store import describe_db_error, open_ledger
from tests.conftest import TODAY
from tests.safety.helpers import cli, demo_ledger

NAME = "Groupe Hexagone Distribution"
EMAIL = "compta@groupehexagone.example"


def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file the app writes now meets a full disk (SQLite's own writes aside)."""

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("callcoach.files.os.fsync", no_space)


def every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def promise() -> OutcomeEntry:
    return OutcomeEntry(
        outcome=Outcome.PROMISE, amount_cents=50_000, on=TODAY.date() + timedelta(days=7), method="transfer"
    )


def test_ending_a_call_on_a_full_disk_keeps_the_call_and_leaves_no_email(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = demo_ledger(tmp_path)
    desk = Desk(open_ledger(db), clock=Clock.fixed(TODAY), lang="en")
    call = desk.start_call(1, None)
    desk.save_draft(call.id, notes="paying next week", stage=None, excuses=[])
    disk_full(monkeypatch)
    with pytest.raises(StoreError, match="disk full; nothing was saved"):
        desk.end_call(call.id, promise(), notes="paying next week, by transfer", stage=None, excuses=[])
    outbox = isolated_home / "data" / "outbox"
    assert not outbox.exists() or every_file(outbox) == []  # no 0-byte .eml waiting to be sent
    con = sqlite3.connect(db)
    assert con.execute("select notes, ended_at from call").fetchall() == [("paying next week", None)]
    assert con.execute("select count(*) from promise").fetchone() == (0,)
    con.close()
    monkeypatch.undo()  # space again: the same call ends, once
    ended = desk.end_call(call.id, promise(), notes="paying next week, by transfer", stage=None, excuses=[])
    assert ended.email_path and Path(ended.email_path).stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (("export", "1", "-o", "{out}/export.json"), "export.json"),
        (("agenda", "--ics", "{out}/agenda.ics"), "agenda.ics"),
        (("backup", "{out}/copy.sqlite"), "copy.sqlite"),
    ],
)
def test_commands_on_a_full_disk_say_so_in_one_line_and_leave_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], target: str
) -> None:
    db = demo_ledger(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    disk_full(monkeypatch)
    result = cli(db, *[a.format(out=out) for a in args])
    assert result.exit_code == 1
    assert f"{out / target}: disk full; nothing was saved" in result.output
    assert "Traceback" not in result.output
    assert list(out.iterdir()) == []  # neither the file nor a temporary one


def test_remind_on_a_full_disk_writes_no_reminder(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = demo_ledger(tmp_path)
    disk_full(monkeypatch)
    result = cli(db, "remind", "--as-of", "2026-11-26")
    # Each debtor's reminder is said not written, with why; none is recorded as sent.
    assert "disk full; nothing was saved" in result.output and "Traceback" not in result.output
    outbox = isolated_home / "data" / "outbox"
    assert not outbox.exists() or every_file(outbox) == []
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from reminder").fetchone() == (0,)  # the ledger did not move either
    con.close()


def test_a_full_disk_under_sqlite_is_called_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    assert str(describe_db_error(tmp_path / "l.sqlite", full)).endswith("disk full; nothing was saved")
    io = sqlite3.OperationalError("disk I/O error")
    io.sqlite_errorcode = 778  # SQLITE_IOERR_WRITE  # type: ignore[attr-defined]
    monkeypatch.setattr("callcoach.services.store._disk_nearly_full", lambda path: True)
    assert str(describe_db_error(tmp_path / "l.sqlite", io)).endswith("disk full; nothing was saved")


def test_forget_leaves_nothing_of_the_debtor_beside_the_ledger(tmp_path: Path, isolated_home: Path) -> None:
    db = demo_ledger(tmp_path)
    clock = Clock.fixed(TODAY)
    desk = Desk(open_ledger(db), clock=clock, lang="en")
    call = desk.start_call(1, None)
    ended = desk.end_call(call.id, promise(), notes=f"spoke to {NAME}", stage=None, excuses=[])
    assert ended.email_path is not None  # a recap in the outbox
    assert cli(db, "remind", "--as-of", "2026-11-26").exit_code == 0  # reminders too
    open_one = desk.start_call(2, None)
    from callcoach.services.drafts import save_draft_file

    save_draft_file({"call_id": open_one.id, "notes": "other debtor", "stage": None, "excuses": []})
    second = desk.start_call(1, None)
    save_draft_file({"call_id": second.id, "notes": f"{NAME} again", "stage": None, "excuses": []})
    log = isolated_home / "state" / "crash.log"
    log.write_text(f"a line about {NAME}\nanother line\n")
    before = [p for p in every_file(isolated_home) if p.suffix == ".eml"]
    assert any(EMAIL in p.read_text(errors="replace") for p in before)

    result = cli(db, "forget", "1", "--yes")
    assert result.exit_code == 0, result.output

    for path in every_file(isolated_home):
        text = path.read_bytes()
        assert NAME.encode() not in text and EMAIL.encode() not in text, path
    assert log.read_text() == "another line\n"
    assert (isolated_home / "state" / f"draft-call-{open_one.id}.json").exists()  # another debtor's stays
    others = [p for p in every_file(isolated_home) if p.suffix == ".eml"]
    assert others and all(" 1." not in p.name and " 1-" not in p.name for p in others)
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from emailrecord where debtor_id = 1 and sent_at is null").fetchone() == (0,)
    con.close()


def test_every_file_is_private_and_every_folder_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "a" / "new" / "home"
    monkeypatch.setenv("CALLCOACH_HOME", str(home))
    monkeypatch.setenv("CALLCOACH_CONFIG", str(home / "config.toml"))
    db = home / "data" / "ledger.sqlite"
    from callcoach.services.demo import build_demo

    build_demo(db, reset=True, clock=Clock.fixed(TODAY))
    assert cli(db, "remind", "--as-of", "2026-11-26").exit_code == 0
    assert cli(db, "export", "1", "-o", str(home / "data" / "one.json")).exit_code == 0
    assert cli(db, "agenda", "--ics", str(home / "data" / "agenda.ics")).exit_code == 0
    assert cli(db, "backup").exit_code == 0
    for folder in [home, *[p for p in home.rglob("*") if p.is_dir()]]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    files = every_file(home)
    assert len(files) >= 5
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
