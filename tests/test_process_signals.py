"""The real app in a pseudo-terminal: killed, terminated or hung up while notes are typed."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import sqlite3
import struct
import sys
import termios
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from tests.factories import FR_HEADER, fr_line, write_export

F2 = b"\x1bOQ"
LEAVE_ALT_SCREEN = b"\x1b[?1049l"


class RunningApp:
    def __init__(self, db: Path, home: Path) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: callcoach, as a user starts it
            os.environ.update({"CALLCOACH_HOME": str(home), "TERM": "xterm-256color", "CALLCOACH_LANG": "en"})
            os.execv(sys.executable, [sys.executable, "-m", "callcoach", "--db", str(db)])
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, text: bytes, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.output:
            assert time.monotonic() < deadline, f"{text!r} never appeared"
            time.sleep(0.05)

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


def notes(db: Path) -> list[tuple[str, object]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("select notes, ended_at from call").fetchall()
    finally:
        con.close()


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    from typer.testing import CliRunner

    from callcoach.cli.main import app

    db = tmp_path / "ledger.sqlite"
    export = write_export(
        tmp_path / "e.csv", [FR_HEADER, fr_line("A-1", "Alpha", date(2025, 1, 1), date(2025, 2, 1), "100,00")]
    )
    assert CliRunner().invoke(app, ["--db", str(db), "import", str(export)]).exit_code == 0
    return db


def start_call(running: RunningApp, text: str) -> None:
    running.wait_for(b"F2 to call Alpha")
    running.type(F2)
    running.wait_for(b"In a call since")
    running.type(text.encode())
    running.wait_for(text.encode()[-6:])


def test_kill_9_while_typing_keeps_the_notes(ledger_file: Path, isolated_home: Path) -> None:
    running = RunningApp(ledger_file, isolated_home)
    start_call(running, "promised on Friday")
    deadline = time.monotonic() + 5  # written within a second of the last keystroke
    while notes(ledger_file) != [("promised on Friday", None)] and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(running.pid, signal.SIGKILL)
    running.wait_exit()
    assert notes(ledger_file) == [("promised on Friday", None)]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_term_and_hangup_save_at_once_and_restore_the_terminal(
    ledger_file: Path, isolated_home: Path, sig: signal.Signals
) -> None:
    running = RunningApp(ledger_file, isolated_home)
    start_call(running, "typed a moment ago")
    os.kill(running.pid, sig)  # sooner than the draft delay: only the handler can have saved it
    status = running.wait_exit()
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert notes(ledger_file) == [("typed a moment ago", None)]
    if sig == signal.SIGTERM:
        time.sleep(0.2)
        assert LEAVE_ALT_SCREEN in running.output  # the terminal is handed back
