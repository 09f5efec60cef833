"""The terminal closed under the real app, in each of its states (issue 21).

The app runs in a pseudo-terminal, started directly and through a shell as tmux starts it;
the pty's master side is closed, and the process must be gone within five seconds with the
notes in the ledger. Each state runs once per launcher here and once more in the safety
drill: the hang this guards against was a race, seen one run in two.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scripts.hangup_drill import LAUNCHERS, STATES, hang_up_in, template_ledgers


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
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
