"""The pieces that bound an exit after a hang-up, each on its own (the whole is drilled in a
pseudo-terminal by tests/test_terminal_closed.py)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap

from callcoach.tui.hangup import DroppingOutput

STUCK = textwrap.dedent(
    """
    import threading
    from callcoach.tui.hangup import arm_watchdog

    arm_watchdog(0.3)
    print("armed", flush=True)
    threading.Event().wait()  # a shutdown that never ends
    """
)


def test_the_watchdog_ends_a_process_whose_shutdown_never_ends() -> None:
    # Without the watchdog the child waits for ever and the run's timeout fails the test.
    result = subprocess.run([sys.executable, "-c", STUCK], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout == "armed\n"
    assert result.returncode == 0  # the notes were saved before it was armed: a clean exit


def test_a_failed_write_marks_the_terminal_gone_once_and_drops_what_follows() -> None:
    read_end, write_end = os.pipe()
    terminal = os.fdopen(write_end, "w")
    told: list[str] = []

    def lost() -> None:  # what HangUpDriver.terminal_lost does with the output
        told.append("terminal gone")
        output.gone = True

    output = DroppingOutput(terminal, lost)
    output.write("frame 1")
    output.flush()
    assert os.read(read_end, 100) == b"frame 1"
    os.close(read_end)  # the terminal's side goes away: the next flush fails (EPIPE)
    output.write("frame 2")
    output.flush()
    output.write("frame 3")
    output.flush()
    assert told == ["terminal gone"]
    with contextlib.suppress(OSError):
        terminal.close()
