"""The terminal closed under the real app, in each of its states (issue 21).

The app runs in a pseudo-terminal, started directly and through a shell as tmux starts it;
the pty's master side is closed, and the process must be gone within five seconds with the
notes in the ledger. Each state runs once per launcher here and once more in the safety
drill: the hang this guards against was a race, seen one run in two.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from scripts import hangup_drill
from scripts.hangup_drill import LAUNCHERS, STATES, hang_up_in, template_ledgers

from tests.cli.entry import run_entry_point


def callcoach_here(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The drill's ``callcoach`` command, through the same entry point but in this process:
    the ledgers to copy are made by the program's code without four more Pythons starting.
    The app under test is still started as a program for every run."""
    env = {**os.environ, "CALLCOACH_HOME": str(home), "CALLCOACH_LANG": "en", "COLUMNS": "200"}
    ran = run_entry_point(*args, env=env)
    return subprocess.CompletedProcess(["callcoach", *args], ran.returncode, ran.stdout, ran.stderr)


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hangup_drill, "callcoach", callcoach_here)
        patch.setattr(sys.modules["safety_drill"], "callcoach", callcoach_here)  # as hangup_drill imports it
        return template_ledgers(tmp_path_factory.mktemp("templates"))


@pytest.mark.slow
@pytest.mark.parametrize("launcher", LAUNCHERS)
@pytest.mark.parametrize("state", list(STATES))
def test_a_closed_terminal_ends_the_app_and_keeps_the_notes(
    state: str, launcher: str, templates: Path, tmp_path: Path
) -> None:
    # Fails when callcoach is still running five seconds after its terminal closed, exited
    # with a status other than 0, or the ledger lacks the call's notes (or the form's draft).
    hang_up_in(state, launcher, templates, tmp_path)
