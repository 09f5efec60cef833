"""Engine factory for the ledger.

SQLite is opened in WAL mode with foreign keys on and a busy timeout. Every transaction
starts with ``BEGIN IMMEDIATE``: a deferred transaction that reads and then writes fails
at once with "database is locked" when another process writes, whatever the timeout.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

BUSY_TIMEOUT_MS = 10_000


def busy_timeout_ms() -> int:
    """How long a writer waits for another one; ``CALLCOACH_BUSY_MS`` overrides (tests)."""
    value = os.environ.get("CALLCOACH_BUSY_MS", "")
    return int(value) if value.isdigit() else BUSY_TIMEOUT_MS


def make_engine(url_or_path: str | Path) -> Engine:
    """An engine for a SQLite file path or any SQLAlchemy URL."""
    url = str(url_or_path)
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser()}"
    engine = create_engine(url, connect_args=_connect_args(url))
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine)
    return engine


def _connect_args(url: str) -> dict[str, object]:
    if url.startswith("sqlite"):
        return {"timeout": busy_timeout_ms() / 1000, "check_same_thread": False}
    return {}


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE below is ours.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        # Writers take the write lock up front; readers never wait for a writer (WAL).
        immediate = conn.get_execution_options().get("sqlite_immediate", False)  # type: ignore[attr-defined]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")  # type: ignore[attr-defined]


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back when it raises.

    ``write=False`` for pure reads, which then never wait for another process's write."""
    bind = engine.execution_options(sqlite_immediate=write)
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
