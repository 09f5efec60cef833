"""Nothing lost, nobody in: run each safety drill against the real program and say what happened.

    python scripts/safety_drill.py

Each drill works in a temporary folder and prints one line: the drill, ok or FAILED, and
what was seen. Exit code 1 if any drill failed.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import pty
import select
import shutil
import signal
import sqlite3
import stat
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

F2 = b"\x1bOQ"
EXPORT = (
    "N° facture;Client;Date;Échéance;Montant TTC;Contact;E-mail\r\n"
    "A-1;Alpha;01/01/2025;01/02/2025;100,00;Ann Alpha;ann@alpha.example\r\n"
    'H-1;"Clip\x1b]52;c;aGk=\x07 [bold]Evil[/] [@click=app.quit]";01/01/2025;01/02/2025;50,00;;\r\n'
)


class RunningApp:
    """callcoach in a pseudo-terminal, as a user runs it, with its screen output collected."""

    def __init__(
        self,
        db: Path,
        home: Path,
        size: tuple[int, int] = (120, 40),
        args: tuple[str, ...] = (),
        command: list[str] | None = None,
    ) -> None:
        argv = command or [sys.executable, "-m", "callcoach", "--db", str(db), *args]
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.environ.update({"CALLCOACH_HOME": str(home), "TERM": "xterm-256color", "CALLCOACH_LANG": "en"})
            os.execv(argv[0], argv)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.output = bytearray()
        self._hanging_up = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._hanging_up:
            # A read blocked in another thread would keep the master open after close().
            if not select.select([self.fd], [], [], 0.05)[0]:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def hang_up(self) -> None:
        """Close the terminal's master side, as a closed window or a killed tmux session does."""
        self._hanging_up = True
        self._reader.join()
        os.close(self.fd)

    def wait_for(self, text: bytes, seconds: float = 30, poll: float = 0.05) -> float:
        """Seconds from the process start until ``text`` is on the screen."""
        deadline = time.monotonic() + seconds
        while text not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared")
            time.sleep(poll)
        return time.perf_counter() - self.started

    def type(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait_exit(self, seconds: float = 15) -> int:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("the app did not exit")

    def start_call(self, name: str, text: str) -> None:
        self.wait_for(f"F2 to call {name}".encode())
        self.type(F2)
        self.wait_for(b"In a call since")
        self.type(text.encode())
        self.wait_for(text.encode()[-6:])


def callcoach(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CALLCOACH_HOME": str(home), "CALLCOACH_LANG": "en", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "callcoach", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def ledger(folder: Path, *, set_up: bool = True) -> Path:
    """The export imported; ``set_up``: the collector's name and company given, as after the
    first start (without them the desk opens on the setup screen).

    The real program builds it once per run (three commands, a few seconds); each drill then
    gets a copy of that folder, ledger, export and home, with their modes."""
    if set_up not in _TEMPLATES:
        template = Path(tempfile.mkdtemp(prefix="callcoach-drill-"))
        atexit.register(shutil.rmtree, template, True)
        _build_ledger(template, set_up=set_up)
        _TEMPLATES[set_up] = template
    shutil.copytree(_TEMPLATES[set_up], folder, dirs_exist_ok=True)
    return folder / "ledger.sqlite"


_TEMPLATES: dict[bool, Path] = {}  # set_up -> the folder built once by the program


def _build_ledger(folder: Path, *, set_up: bool) -> Path:
    db = folder / "ledger.sqlite"
    (folder / "export.csv").write_text(EXPORT, encoding="utf-8")
    result = callcoach("--db", str(db), "import", str(folder / "export.csv"), home=folder / "home")
    assert result.returncode == 0, result.stderr
    for name, value in (("collector_name", "Camille Martin"), ("company", "Atelier Lumen")) if set_up else ():
        result = callcoach("--db", str(db), "settings", "set", name, value, home=folder / "home")
        assert result.returncode == 0, result.stderr
    return db


def notes(db: Path) -> list[tuple[str, object]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("select notes, ended_at from call").fetchall()
    finally:
        con.close()


def drill_kill_9(folder: Path) -> str:
    db = ledger(folder)
    app = RunningApp(db, folder / "home")
    app.start_call("Alpha", "promised on Friday")
    deadline = time.monotonic() + 5
    while notes(db) != [("promised on Friday", None)] and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(app.pid, signal.SIGKILL)
    app.wait_exit()
    again = RunningApp(db, folder / "home")
    again.wait_for(b"A call was in progress")
    os.kill(again.pid, signal.SIGTERM)
    again.wait_exit()
    assert notes(db) == [("promised on Friday", None)]
    return "killed while typing; after restart the call was resumed with 'promised on Friday'"


def drill_signal(sig: signal.Signals) -> Callable[[Path], str]:
    def drill(folder: Path) -> str:
        db = ledger(folder)
        app = RunningApp(db, folder / "home")
        app.start_call("Alpha", "typed a moment ago")
        os.kill(app.pid, sig)
        status = app.wait_exit()
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
        assert notes(db) == [("typed a moment ago", None)]
        restored = b"\x1b[?1049l" in app.output
        return f"{sig.name} within the draft delay: notes saved, exit 0, terminal restored: {restored}"

    return drill


def drill_two_writers(folder: Path) -> str:
    db = ledger(folder)
    other = sqlite3.connect(db, isolation_level=None, timeout=10, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("update debtor set notes = 'other process' where name = 'Alpha'")
    timer = threading.Timer(1.0, lambda: (other.execute("COMMIT"), other.close()))
    timer.start()
    started = time.monotonic()
    result = callcoach("--db", str(db), "pay", "A-1", "20", home=folder / "home")
    timer.join()
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(db)
    both = con.execute(
        "select (select notes from debtor where name='Alpha'), (select paid_cents from invoice where number='A-1')"
    ).fetchone()
    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    assert both == ("other process", 2000) and ok == "ok"
    return f"pay waited {time.monotonic() - started:.1f} s for the other writer; both writes present; integrity {ok}"


def drill_backup_during_write(folder: Path) -> str:
    db = ledger(folder)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("update invoice set paid_cents = 100 where number = 'A-1'")
    result = callcoach("--db", str(db), "backup", str(folder / "copy.sqlite"), home=folder / "home")
    writer.execute("COMMIT")
    writer.close()
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(folder / "copy.sqlite")
    ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
    paid = copy.execute("select paid_cents from invoice where number='A-1'").fetchone()[0]
    copy.close()
    assert ok == "ok" and paid == 0
    return f"backup taken while a write was open: integrity {ok}, the unfinished write not in it"


def drill_hostile_list(folder: Path) -> str:
    db = ledger(folder)
    out = callcoach("--db", str(db), "list", "--as-of", "2026-11-26", home=folder / "home").stdout
    assert "\x1b]" not in out and "\x07" not in out and "[bold]Evil[/] [@click=app.quit]" in out
    return "names with OSC 52, BEL and markup printed literally, no escape sequence in the output"


def drill_hostile_files(folder: Path) -> str:
    laughs = folder / "laughs.xml"
    laughs.write_text(
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><x>&b;</x>'
    )
    xxe = folder / "xxe.xml"
    xxe.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
    fake = folder / "fake.pdf"
    fake.write_bytes(b"not a pdf at all")
    cut = folder / "cut.pdf"
    cut.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    seen = []
    for path in (laughs, xxe, fake, cut):
        started = time.monotonic()
        result = callcoach("--db", str(folder / "l.sqlite"), "import", str(path), home=folder / "home")
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        seen.append(f"{path.name} refused in {time.monotonic() - started:.1f} s")
    return "; ".join(seen)


def drill_email_headers(folder: Path) -> str:
    from datetime import UTC, datetime
    from email import message_from_bytes
    from email.policy import default

    from callcoach.services.emails import build_message, mailbox

    msg = build_message(
        sender=mailbox("Me", "me@example.org"),
        to=mailbox("Dupont\r\nBcc: all@x.org", "d@x.org"),
        subject="Recap",
        body="Body",
        sent_at=datetime.now(UTC),
    )
    parsed = message_from_bytes(msg.as_bytes(), policy=default)
    assert parsed["Bcc"] is None
    return "a CR/LF in a name stayed inside the To header; no Bcc was added"


def drill_forget(folder: Path) -> str:
    db = ledger(folder)
    result = callcoach("--db", str(db), "forget", "Alpha", "--yes", home=folder / "home")
    assert result.returncode == 0, result.stderr
    raw = db.read_bytes() + (Path(f"{db}-wal").read_bytes() if Path(f"{db}-wal").exists() else b"")
    assert b"Ann Alpha" not in raw and b"ann@alpha.example" not in raw
    return "after forget, 'Ann Alpha' and her e-mail are in neither the database nor its WAL"


def drill_permissions(folder: Path) -> str:
    ledger(folder)
    db = _TEMPLATES[True] / "ledger.sqlite"  # the files as the program wrote them, not a copy
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in db.parent.glob(f"{db.name}*")}
    assert all(m == "0o600" for m in modes.values()), modes
    return ", ".join(f"{name} {mode}" for name, mode in sorted(modes.items()))


def drill_closed_terminal(folder: Path) -> str:
    """Each state of the app, the terminal closed under it through a shell, as tmux does."""
    from hangup_drill import STATES, hang_up_in, template_ledgers

    templates = template_ledgers(folder)
    slowest = 0.0
    for number, state in enumerate(STATES):
        (folder / str(number)).mkdir()
        slowest = max(slowest, hang_up_in(state, "shell", templates, folder / str(number)).seconds)
    return f"{len(STATES)} states: the app gone {slowest:.1f} s at most after its terminal closed, notes kept"


DRILLS: list[tuple[str, Callable[[Path], str]]] = [
    ("kill -9 while typing", drill_kill_9),
    ("SIGTERM", drill_signal(signal.SIGTERM)),
    ("SIGHUP (terminal closed)", drill_signal(signal.SIGHUP)),
    ("terminal closed, each state", drill_closed_terminal),
    ("two processes writing", drill_two_writers),
    ("backup during a write", drill_backup_during_write),
    ("hostile names in `list`", drill_hostile_list),
    ("billion laughs, XXE, bad PDFs", drill_hostile_files),
    ("CRLF in an e-mail name", drill_email_headers),
    ("forget erases physically", drill_forget),
    ("file permissions", drill_permissions),
]


def main() -> int:
    """``--skip NAME`` (repeatable) leaves out a drill, for the suite: it runs those that have
    their own test apart (the signals, each terminal-closed state) only there."""
    from safety_drills_two import DRILLS as ROUND_TWO  # issue 16's drills, in their own module

    args = sys.argv[1:]
    skipped = {args[i + 1] for i, arg in enumerate(args[:-1]) if arg == "--skip"}
    failed = 0
    for name, drill in [*DRILLS, *ROUND_TWO]:
        if name in skipped:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            try:
                seen = drill(Path(tmp))
                print(f"ok      {name:32} {seen}")
            except Exception as exc:
                failed += 1
                print(f"FAILED  {name:32} {type(exc).__name__}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    raise SystemExit(main())
