"""The real app in a pseudo-terminal: killed, terminated or hung up while notes are typed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from scripts.safety_drill import RunningApp

from tests.factories import FR_HEADER, fr_line, write_export

LEAVE_ALT_SCREEN = b"\x1b[?1049l"


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
    # Named, as after the first start: the desk opens on the call list, not the setup screen.
    for name, value in (("collector_name", "Camille Martin"), ("company", "Atelier Lumen")):
        assert CliRunner().invoke(app, ["--db", str(db), "settings", "set", name, value]).exit_code == 0
    return db


def start_call(running: RunningApp, text: str) -> None:
    running.start_call("Alpha", text)


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
        running.wait_for(LEAVE_ALT_SCREEN, seconds=5)  # the terminal is handed back


# The drills that sit in a terminal, mostly waiting on the app (typing at a user's pace):
# they run in one `safety_drill.py` while the others, each a few short-lived commands, run
# in a second one beside it (about 20 s each instead of 40 s one after the other).
IN_A_TERMINAL = ("two windows on one call", "nonstop typing, kill -9", "forget under an open desk")


def every_drill() -> list[str]:
    scripts = str(Path(__file__).resolve().parents[1] / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)  # the second round imports the first as a top-level module
    from safety_drill import DRILLS
    from safety_drills_two import DRILLS as ROUND_TWO

    return [name for name, _ in [*DRILLS, *ROUND_TWO]]


@pytest.mark.slow
def test_the_safety_drill_script_passes() -> None:
    """scripts/safety_drill.py runs every drill against the real program (and so never rots)."""
    # The drills with a test of their own in this suite run there, not twice.
    apart = ("kill -9 while typing", "SIGTERM", "SIGHUP (terminal closed)", "terminal closed, each state")
    drills = every_drill()
    assert set(apart) | set(IN_A_TERMINAL) <= set(drills)
    rest = [name for name in drills if name not in IN_A_TERMINAL]
    runs = [
        subprocess.Popen(
            [sys.executable, "scripts/safety_drill.py", *(arg for name in skipped for arg in ("--skip", name))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        for skipped in (rest, [*apart, *IN_A_TERMINAL])
    ]
    said = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, said, strict=True):
        assert run.returncode == 0, out + err
    lines = [line for out, _ in said for line in out.splitlines()]
    # One line per drill, every one ok (other modules add drills: no fixed count here).
    assert lines and all(line.startswith("ok ") for line in lines), "\n".join(lines)
    ran = [line[8:40].strip() for line in lines]
    assert {"two processes writing", "forget erases physically", "two windows on one call"} <= set(ran), ran
    assert not set(ran) & set(apart), ran
    assert sorted(ran) == sorted(name for name in drills if name not in apart), ran  # each drill once
