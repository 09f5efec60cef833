"""Whether someone else changed the ledger, asked cheaply once a second by an open desk.

SQLite counts commits itself: ``PRAGMA data_version`` on one connection changes when any
other connection (another window, a ``callcoach pay`` in a terminal) commits. PostgreSQL
tells listeners: every write unit of work sends a NOTIFY on commit (``session_scope``), and
the watcher's own connection LISTENs. Neither polls the data: one tiny read a second.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any

from sqlalchemy import Engine

from callcoach.db.engine import CHANGES_CHANNEL


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
            return any(True for _ in self._raw.notifies(timeout=0))
        except Exception:  # busy, gone, a dropped server: try again from scratch next time
            self.close()
            return False

    def close(self) -> None:
        if self._raw is not None:
            with contextlib.suppress(Exception):
                self._raw.close()
            self._raw = None
