"""Whether someone else changed the ledger, asked cheaply once a second by an open desk.

SQLite counts commits itself: ``PRAGMA data_version`` on one connection changes when any
other connection (another window, a ``callcoach pay`` in a terminal) commits. PostgreSQL
tells listeners: every write unit of work sends a NOTIFY on commit (``session_scope``), and
the watcher's own connection LISTENs. Neither polls the data: one tiny read a second.

The desk's own commits are not news to it. A NOTIFY carries its writer's tag, so the watch
skips its own engine's exactly. SQLite's counter cannot tell whose commit it counts: the desk
calls ``seen()`` just before it reads everything again after its own write, and only later
commits are reported. A desk write it does not follow with a full re-read (the recap's record,
written while its dialog is open) is reported like any other: one re-read too many, never a
colleague's change missed.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any

from sqlalchemy import Engine

from callcoach.db.engine import CHANGES_CHANNEL, writer_tag


class LedgerWatch:
    """``changed()`` is True once after each change made through another connection."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._raw: Any = None
        self._version: int | None = None

    def _connect(self) -> None:
        if self._engine.dialect.name == "sqlite":
            path = self._engine.url.database or ""
            self._raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self._version = self._data_version()
            return
        import psycopg

        url = self._engine.url.set(drivername="postgresql")
        self._raw = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
        self._raw.execute(f"LISTEN {CHANGES_CHANNEL}")

    def _data_version(self) -> int:
        return int(self._raw.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """Never raises: a ledger that cannot be asked just reports no change this time."""
        try:
            if self._raw is None:
                self._connect()
                return False
            if self._engine.dialect.name == "sqlite":
                version = self._data_version()
                moved, self._version = version != self._version, version
                return moved
            own = writer_tag(self._engine)
            writers = [n.payload for n in self._raw.notifies(timeout=0)]  # every one read, none left for later
            return any(writer != own for writer in writers)
        except Exception:  # busy, gone, a dropped server: try again from scratch next time
            self.close()
            return False

    def seen(self) -> None:
        """SQLite: every commit so far is taken as known, for the caller is about to read the
        ledger again itself, after its own commit (which the counter cannot tell from a
        colleague's). A commit after this call, even before the caller's read, is still
        reported: reading once more is cheaper than missing it. PostgreSQL needs none of
        this: its own commits are recognised by their tag."""
        if self._engine.dialect.name != "sqlite":
            return
        try:
            if self._raw is None:
                self._connect()
            else:
                self._version = self._data_version()
        except Exception:  # as in changed(): the next look starts again from scratch
            self.close()

    def close(self) -> None:
        if self._raw is not None:
            with contextlib.suppress(Exception):
                self._raw.close()
            self._raw = None
