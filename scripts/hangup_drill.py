"""The terminal closed under the app, in each state it can be in (issue 21).

    python scripts/hangup_drill.py [--repeat N]

For each state (the list, a call with notes, each modal), callcoach is started in a pseudo-
terminal, directly or through a shell the way tmux starts it (`sh -c 'callcoach; sleep 30'`),
brought to that state, and the terminal's master side is closed, as a closed window, a
dropped SSH session or `tmux kill-session` do. The process must be gone within five seconds
and the notes in the ledger, the call still open for the next start. A hang was a race: the
tests and `--repeat` run each state several times. scripts/safety_drill.py runs it once.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from safety_drill import RunningApp, callcoach, ledger

F3, F4, F7, F8, F9 = b"\x1bOR", b"\x1bOS", b"\x1b[18~", b"\x1b[19~", b"\x1b[20~"
CTRL_S, CTRL_O = b"\x13", b"\x0f"
NOTE = "call back at four"
GONE_WITHIN = 5.0
LAUNCHERS = ("direct", "shell")
FIRST_START, READY = "first-start.sqlite", "ready.sqlite"


@dataclass(frozen=True)
class Expect:
    """What the ledger holds once the app is gone."""

    notes: str | None  # the call's notes; None: no call was started
    open: bool = True  # the call is kept for the next start
    form: bool = False  # the outcome form's draft was saved with it


@dataclass(frozen=True)
class HungUp:
    """How one run went."""

    state: str
    launcher: str
    seconds: float  # from the terminal closing to the process gone
    expect: Expect

    def __str__(self) -> str:
        kept = "no call" if self.expect.notes is None else ("call kept open" if self.expect.open else "call saved")
        return f"{self.state} ({self.launcher}): gone in {self.seconds:.1f} s, {kept}"


def template_ledgers(folder: Path) -> Path:
    """Two ledgers to copy for each run, in ``folder``: as on the first start (no collector
    named, so the setup screen asks), and ready, the collector's details given, Alpha with an
    e-mail so that a saved promise has a recap to show."""
    db = ledger(folder, set_up=False)
    copy_ledger(db, folder / FIRST_START)
    ready = copy_ledger(db, folder / READY)
    for name, value in (("collector_name", "Camille Martin"), ("company", "Atelier"), ("email", "me@example.org")):
        result = callcoach("--db", str(ready), "settings", "set", name, value, home=folder / "home")
        assert result.returncode == 0, result.stderr
    return folder


def copy_ledger(template: Path, to: Path) -> Path:
    source, target = sqlite3.connect(template), sqlite3.connect(to)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return to


def press(app: RunningApp, key: bytes, marker: str) -> None:
    """Press a key and wait until ``marker`` is drawn after it."""
    start = len(app.output)
    app.type(key)
    deadline = time.monotonic() + 30
    while marker.encode() not in app.output[start:]:
        if time.monotonic() > deadline:
            raise AssertionError(f"{marker!r} never appeared")
        time.sleep(0.05)


def in_call(app: RunningApp) -> None:
    app.start_call("Alpha", NOTE)


def state_setup(app: RunningApp) -> Expect:
    app.wait_for(b"Your details")
    return Expect(None)


def state_list(app: RunningApp) -> Expect:
    app.wait_for(b"F2 to call Alpha")
    return Expect(None)


def state_call(app: RunningApp) -> Expect:
    in_call(app)
    return Expect(NOTE)


def modal(key: bytes, marker: str, form: bool = False) -> Callable[[RunningApp], Expect]:
    def bring(app: RunningApp) -> Expect:
        in_call(app)
        press(app, key, marker)
        return Expect(NOTE, form=form)

    return bring


def state_recap(app: RunningApp) -> Expect:
    in_call(app)
    press(app, F3, "End of call")
    press(app, CTRL_S, "Recap to send")
    return Expect(NOTE, open=False)


STATES: dict[str, Callable[[RunningApp], Expect]] = {
    "first-start setup": state_setup,
    "list": state_list,
    "call with notes": state_call,
    "outcome form": modal(F3, "End of call", form=True),
    "excuse picker": modal(F4, "Which excuse?"),
    "history": modal(F7, "History —"),
    "plan": modal(F8, "Plan calculator"),
    "payment": modal(F9, "Payment received"),
    "recap": state_recap,
    "overview": modal(CTRL_O, "The money at a glance"),
    # The question asked at the next start about the call the last hang-up kept open.
    "confirm": lambda app: Expect(NOTE),
}


def start(db: Path, home: Path, launcher: str) -> tuple[RunningApp, int]:
    """The app in a fresh pseudo-terminal, and the process id of callcoach itself."""
    if launcher == "direct":
        app = RunningApp(db, home)
        return app, app.pid
    line = f"{shlex.quote(sys.executable)} -m callcoach --db {shlex.quote(str(db))}; sleep 30"
    app = RunningApp(db, home, command=["/bin/sh", "-c", line])
    children = Path(f"/proc/{app.pid}/task/{app.pid}/children")
    deadline = time.monotonic() + 30
    while not children.read_text().split():
        if time.monotonic() > deadline:
            raise AssertionError("the shell never started callcoach")
        time.sleep(0.02)
    return app, int(children.read_text().split()[0])


def running(pid: int) -> bool:
    """Alive, as opposed to gone or a zombie waiting for its parent to read its status."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def close_terminal(app: RunningApp, pid: int) -> float:
    """Close the pty's master side; seconds until callcoach is gone (killed and failed past five).

    Started directly, callcoach is this process's child and must also have exited with 0."""
    closed = time.monotonic()
    app.hang_up()
    while running(pid) and time.monotonic() - closed < GONE_WITHIN:
        time.sleep(0.02)
    took = time.monotonic() - closed
    lingering = running(pid)
    for each in {pid, app.pid}:
        if running(each):
            os.kill(each, signal.SIGKILL)
    status = os.waitpid(app.pid, 0)[1]
    assert not lingering, f"callcoach was still running {GONE_WITHIN:.0f} s after its terminal closed"
    if pid == app.pid:
        assert os.waitstatus_to_exitcode(status) == 0, f"exit status {os.waitstatus_to_exitcode(status)}"
    return took


def check_ledger(db: Path, expect: Expect) -> None:
    con = sqlite3.connect(db)
    try:
        rows = con.execute("select notes, ended_at is null, outcome_draft from call").fetchall()
    finally:
        con.close()
    if expect.notes is None:
        assert rows == [], rows
        return
    assert [(notes, bool(open_)) for notes, open_, _ in rows] == [(expect.notes, expect.open)], rows
    if expect.form:
        assert json.loads(rows[0][2] or "{}").get("amount"), f"no outcome draft: {rows[0][2]!r}"


def hang_up_in(state: str, launcher: str, templates: Path, folder: Path) -> HungUp:
    """Bring the app to ``state``, close its terminal, and say how it went (AssertionError if not)."""
    template = templates / (FIRST_START if state == "first-start setup" else READY)
    db = copy_ledger(template, folder / "ledger.sqlite")
    home = folder / "home"
    if state == "confirm":
        app, pid = start(db, home, launcher)
        state_call(app)
        close_terminal(app, pid)
    app, pid = start(db, home, launcher)
    if state == "confirm":
        app.wait_for(b"A call was in progress")
    expect = STATES[state](app)
    took = close_terminal(app, pid)
    check_ledger(db, expect)
    return HungUp(state, launcher, took, expect)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each state with each launcher.")
    args = parser.parse_args()
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        templates = template_ledgers(Path(tmp))
        for _ in range(args.repeat):
            for state in STATES:
                for launcher in LAUNCHERS:
                    with tempfile.TemporaryDirectory() as run:
                        try:
                            print(f"ok      {hang_up_in(state, launcher, templates, Path(run))}", flush=True)
                        except AssertionError as exc:
                            failed += 1
                            print(f"FAILED  {state} ({launcher}): {exc}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    raise SystemExit(main())
