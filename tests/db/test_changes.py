"""An open desk asks once a second whether the ledger changed: a colleague's commit is always
news, the desk's own commit is not once it has read the ledger again (issue 17: Ctrl+S must
not be followed by a second reload of the list it has just redrawn)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callcoach.db.changes import LedgerWatch
from callcoach.db.engine import session_scope
from callcoach.services.settings import set_setting
from callcoach.services.store import open_ledger

pytestmark = pytest.mark.both_engines


def _write(engine: Engine, company: str) -> None:
    with session_scope(engine) as session:
        set_setting(session, "company", company)


def _reported(watch: LedgerWatch, seconds: float = 5.0) -> bool:
    """A NOTIFY reaches the listener a moment after the commit: asked until it does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if watch.changed():
            return True
        time.sleep(0.02)
    return False


def test_a_colleagues_commit_is_reported_and_the_desks_own_re_read_one_is_not(
    engine: Engine, ledger_location: Path | str
) -> None:
    colleague = open_ledger(ledger_location)  # another desk: its own engine, as another process has
    watch = LedgerWatch(engine)
    try:
        assert watch.changed() is False  # the first look only connects
        _write(colleague, "Atelier Lumen")
        assert _reported(watch)
        assert watch.changed() is False  # once per change

        _write(engine, "Atelier Lumen SARL")  # the desk's own write...
        watch.seen()  # ...followed by its own re-read of the ledger
        time.sleep(0.2)  # what a late NOTIFY of its own would take to arrive
        assert watch.changed() is False

        watch.seen()
        _write(colleague, "Atelier Lumen SAS")  # after the desk's re-read: news again
        assert _reported(watch)
    finally:
        watch.close()
        colleague.dispose()
