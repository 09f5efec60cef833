"""Nothing lost, round two: the drills of issue 16, run by ``scripts/safety_drill.py``.

Two windows on one call, nonstop typing then kill -9, an erasure under an open desk, a
really full disk (a small tmpfs, when this user may mount one), ledgers callcoach must not
touch, a read-only ledger, a 10 MB cell, and what a terminal and a folder are shown.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from safety_drill import F2, RunningApp, callcoach, ledger, notes

ENTER = b"\r"


def until(check: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("never happened")
        time.sleep(0.1)


def stop(*apps: RunningApp) -> None:
    for app in apps:
        with contextlib.suppress(ProcessLookupError):
            os.kill(app.pid, 15)
        with contextlib.suppress(AssertionError, ChildProcessError):
            app.wait_exit()


def all_bytes(db: Path) -> bytes:
    wal = Path(f"{db}-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def drill_two_windows(folder: Path) -> str:
    db = ledger(folder)
    a = RunningApp(db, folder / "home")
    a.start_call("Alpha", "A1")
    until(lambda: notes(db) == [("A1", None)])
    b = RunningApp(db, folder / "home")
    try:
        b.wait_for(b"Open in another window since")
        b.type(F2)
        b.wait_for(b"Take over")
        b.type(ENTER)
        b.wait_for(b"In a call since")
        b.type(b" B1")
        until(lambda: notes(db) == [("A1 B1", None)])
        a.type(b" A2")
        a.wait_for(b"was taken")  # "This call was taken over in another window", wrapped in a notice
        time.sleep(1.5)  # what A would have written by now
        assert notes(db) == [("A1 B1", None)], notes(db)
    finally:
        stop(a, b)
    return "B saw A's call read-only, took it over on confirmation; A was told and wrote nothing more"


def drill_nonstop_typing(folder: Path) -> str:
    db = ledger(folder)
    app = RunningApp(db, folder / "home")
    app.start_call("Alpha", "x")
    typed = "x"
    for key in "abcdefghijklmnopqrstuvwx":  # a key every quarter of a second, six seconds
        app.type(key.encode())
        typed += key
        time.sleep(0.25)
    os.kill(app.pid, 9)
    app.wait_exit()
    saved = str(notes(db)[0][0])
    assert len(saved) >= 16 and typed.startswith(saved), (saved, typed)
    return f"typing nonstop then kill -9: {len(saved)} of {len(typed)} characters in the ledger"


def drill_forget_open_desk(folder: Path) -> str:
    db = ledger(folder)
    app = RunningApp(db, folder / "home")
    try:
        app.start_call("Alpha", "SECRET")
        until(lambda: notes(db) == [("SECRET", None)])
        result = callcoach("--db", str(db), "forget", "Alpha", "--yes", home=folder / "home")
        assert result.returncode == 0, result.stderr
        app.type(b"!")
        app.wait_for(b"data was erased")
        time.sleep(1.0)
    finally:
        stop(app)
    assert b"SECRET" not in all_bytes(db)
    assert not list((folder / "home").rglob("draft-call-*"))
    return "forget under an open desk: its next key was refused, 'SECRET' is nowhere"


def drill_newer_and_foreign_ledgers(folder: Path) -> str:
    db = ledger(folder)
    con = sqlite3.connect(db)
    con.execute("update alembic_version set version_num = '0999'")
    con.commit()
    con.close()

    def files() -> list[str]:  # SQLite's own -wal/-shm companions aside: reading makes them
        return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.endswith(("-wal", "-shm")))

    before = files()
    for _ in range(3):
        result = callcoach("--db", str(db), "list", home=folder / "home")
        assert result.returncode == 1 and "made by a newer callcoach (revision 0999)" in result.stderr
        assert "Traceback" not in result.stderr
    assert files() == before, (before, files())  # no backup copy per run
    foreign = folder / "recipes.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("create table recipes (name text)")
    con.commit()
    con.close()
    data = foreign.read_bytes()
    result = callcoach("--db", str(foreign), "list", home=folder / "home")
    assert result.returncode == 1 and "not a callcoach ledger: it holds tables recipes" in result.stderr
    assert foreign.read_bytes() == data
    return "a newer ledger and another application's file refused in one line, left untouched"


def drill_read_only(folder: Path) -> str:
    """A ledger this user may not write: on a read-only mount when this user may make one
    (root writes any file whatever its mode), else a file of mode 0444."""
    db = ledger(folder)
    data = db.read_bytes()
    with read_only_view(folder) as view:
        target = view / db.name if view else db
        if view is None:
            db.chmod(0o444)
        listed = callcoach("--db", str(target), "list", home=folder / "home")
        assert listed.returncode == 0 and "Alpha" in listed.stdout, listed.stderr
        assert "nothing was saved" not in listed.stderr, listed.stderr
        paid = callcoach("--db", str(target), "pay", "A-1", "10", home=folder / "home")
        assert paid.returncode == 1 and "read-only" in paid.stderr and "Traceback" not in paid.stderr, paid.stderr
    assert db.read_bytes() == data
    how = "a read-only mount" if view else "a 0444 file"
    return f"read-only ledger ({how}): list works, pay says read-only, the file is unchanged"


@contextlib.contextmanager
def read_only_view(folder: Path) -> Iterator[Path | None]:
    view = folder / "read-only"
    view.mkdir()
    bound = subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True).returncode == 0
    if bound and subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(view)], capture_output=True, check=False)
        bound = False
    try:
        yield view if bound else None
    finally:
        if bound:
            subprocess.run(["umount", "-l", str(view)], capture_output=True, check=False)


@contextlib.contextmanager
def small_disk(folder: Path) -> Iterator[Path | None]:
    """A 3 MB tmpfs under ``folder``, or None when this user may not mount one."""
    mount = folder / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def fill(disk: Path) -> None:
    with contextlib.suppress(OSError), open(disk / "filler", "wb") as out:
        while True:
            out.write(b"\0" * 65536)
            out.flush()


def drill_full_disk(folder: Path) -> str:
    with small_disk(folder) as disk:
        if disk is None:
            return "skipped: this user may not mount a small disk"
        db = disk / "ledger.sqlite"
        home = disk / "home"
        (folder / "export.csv").write_text(
            "N° facture;Client;Date;Échéance;Montant TTC;Contact;E-mail\r\n"
            "A-1;Alpha;01/01/2025;01/02/2025;100,00;Ann Alpha;ann@alpha.example\r\n"
            "B-1;Beta;not a date;01/02/2025;50,00;;\r\n" + "".join(
                f"C-{n};Client {n};01/01/2025;01/02/2025;10,00;;\r\n" for n in range(20)
            ),
            encoding="utf-8",
        )
        assert callcoach("--db", str(db), "settings", "set", "email", "me@example.org", home=home).returncode == 0
        fill(disk)
        said = []
        for args in (
            ("import", str(folder / "export.csv"), "--skip-bad", "--rejected", str(disk / "bad.csv")),
            ("export", "Alpha", "-o", str(disk / "alpha.json")),
            ("agenda", "--ics", str(disk / "agenda.ics")),
            ("backup", str(disk / "copy.sqlite")),
            ("remind", "--as-of", "2026-11-26"),
        ):
            result = callcoach("--db", str(db), *args, home=home)
            said_it = result.stdout + result.stderr
            # remind goes on debtor by debtor, each said not written; the others stop at once.
            assert result.returncode == 1 or args[0] == "remind", (args, said_it)
            assert "Traceback" not in said_it and "disk full" in said_it, (args, said_it)
            said.append(args[0])
        partial = [
            p.name
            for p in disk.rglob("*")
            if p.is_file() and p.stat().st_size == 0 and not p.name.endswith(("filler", "-wal", "-shm"))
        ]
        temporary = [p.name for p in disk.rglob("*.tmp")]
        assert not partial and not temporary, (partial, temporary)
        return f"{', '.join(said)} on a full disk: 'disk full' in one line, no partial or 0-byte file"


def drill_terminal_and_folders(folder: Path) -> str:
    home = folder / "new" / "home"
    export = folder / "export.csv"
    export.write_text(
        "N° facture;Client;Date;Échéance;Montant TTC\r\n"
        "A-1;Evil\u202etxt.exe;01/01/2025;01/02/2025;100,00\r\n"
        + "".join(f"C-{n};Client {n};01/01/2025;01/02/2025;10,00\r\n" for n in range(10))
        + "B-1;Beta;01/01/2025;01/02/2025;" + "9" * 10_000_000 + "\r\n",
        encoding="utf-8",
    )
    db = folder / "ledger.sqlite"
    imported = callcoach("--db", str(db), "import", str(export), "--skip-bad", home=home)
    assert imported.returncode in (0, 1) and len(imported.stdout + imported.stderr) < 4000, imported.stderr[:300]
    listed = callcoach("--db", str(db), "list", home=home)
    assert "\u202e" not in listed.stdout and "Evil\\u202etxt.exe" in listed.stdout, listed.stdout
    paid = callcoach("--db", str(db), "pay", "A-1", "-50", home=home)
    assert paid.returncode == 1 and "No such option" not in paid.stderr, paid.stderr
    folders = [home, *[p for p in home.rglob("*") if p.is_dir()]]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in folders), folders
    rejected = folder / "export.rejected.csv"
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in (db, rejected) if p.exists()}
    assert all(m == "0o600" for m in modes.values()), modes
    return f"bidi shown escaped, a 10 MB cell refused briefly, pay -50 plain, home 0700, {modes}"


DRILLS: list[tuple[str, Callable[[Path], str]]] = [
    ("two windows on one call", drill_two_windows),
    ("nonstop typing, kill -9", drill_nonstop_typing),
    ("forget under an open desk", drill_forget_open_desk),
    ("newer and foreign ledgers", drill_newer_and_foreign_ledgers),
    ("read-only ledger", drill_read_only),
    ("full disk", drill_full_disk),
    ("terminal, limits, folders", drill_terminal_and_folders),
]
