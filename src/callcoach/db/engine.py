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
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlmodel import Session

BUSY_TIMEOUT_MS = 10_000
CHANGES_CHANNEL = "callcoach_ledger"  # PostgreSQL's LISTEN/NOTIFY channel for "the ledger changed"


def writer_tag(engine: Engine) -> str:
    """Who wrote, as a PostgreSQL NOTIFY says it: this process and engine (its pool, shared by
    ``execution_options`` copies). A desk's watch skips its own commits by this tag."""
    return f"{os.getpid()}.{id(engine.pool)}"


def busy_timeout_ms() -> int:
    """How long a writer waits for another one; ``CALLCOACH_BUSY_MS`` overrides (tests)."""
    value = os.environ.get("CALLCOACH_BUSY_MS", "")
    return int(value) if value.isdigit() else BUSY_TIMEOUT_MS


def make_engine(url_or_path: str | Path, *, read_only: bool = False, immutable: bool = False) -> Engine:
    """An engine for a SQLite file path or any SQLAlchemy URL.

    ``read_only`` opens a SQLite file so that nothing can be written to it (a file or
    folder the user may not write): reads work, a write fails with SQLite's read-only
    error, and the journal mode is left as it is."""
    url = str(url_or_path)
    if "://" not in url:
        path = Path(url).expanduser()
        # ``immutable``: a folder SQLite cannot write either (read-only media), where it could
        # not create the shared-memory file a WAL reader needs; nothing can change it meanwhile.
        extra = "&immutable=1" if immutable else ""
        url = f"sqlite:///file:{quote(str(path))}?mode=ro{extra}&uri=true" if read_only else f"sqlite:///{path}"
    engine = create_engine(url, connect_args=_connect_args(url))
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine, read_only=is_read_only(engine))
    else:
        _note_writes(engine)
    return engine


WROTE = "callcoach_wrote"
LOOK_ONLY = "callcoach_look_only"  # session.info: a what-if unit, rolled back instead of committed


def look_only(session: Session) -> None:
    """Make this unit of work a look: whatever it wrote so that its reads see it is rolled
    back at its end instead of committed (see ``Clock.what_if``)."""
    session.info[LOOK_ONLY] = True


WRITES = ("INSERT", "UPDATE", "DELETE")


def _note_writes(engine: Engine) -> None:
    """Mark a connection that changed rows, so its commit tells the other desks (and only then:
    a refresh that changed nothing must not set every desk refreshing in turn)."""

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: str, parameters: object, context: object, many: bool) -> None:
        if statement.lstrip()[:6].upper() in WRITES and cursor.rowcount != 0:
            conn.info[WROTE] = True


def is_read_only(bind: Engine | Connection) -> bool:
    """True for a ledger opened read-only (see :func:`make_engine`); a session's bind may be
    either an engine or a connection."""
    engine = bind.engine
    return engine.dialect.name == "sqlite" and engine.url.query.get("mode") == "ro"


def _connect_args(url: str) -> dict[str, object]:
    if url.startswith("sqlite"):
        return {"timeout": busy_timeout_ms() / 1000, "check_same_thread": False}
    return {}


def _tune_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE below is ours.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        # Writers take the write lock up front; readers never wait for a writer (WAL).
        # A read-only file cannot take the write lock: its transactions read, and a write in
        # one fails with SQLite's read-only error.
        immediate = conn.get_execution_options().get("sqlite_immediate", False) and not read_only  # type: ignore[attr-defined]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")  # type: ignore[attr-defined]


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back when it raises.

    ``write=False`` for pure reads, which then never wait for another process's write."""
    bind = engine.execution_options(sqlite_immediate=write)
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            if session.info.get(LOOK_ONLY):
                # A look at another day: its answer was read, nothing of it is kept. The rows
                # read keep the values they were read with (a rollback would expire them).
                session.expunge_all()
                if session.in_transaction():
                    session.connection().info.pop(WROTE, None)  # nothing written stays: nobody to tell
                session.rollback()
                return
            if write and engine.dialect.name == "postgresql" and session.in_transaction():
                session.flush()  # changes still pending are written now, so they count as written
                connection = session.connection()
                if connection.info.pop(WROTE, False):
                    # Delivered at commit, dropped on rollback: the team's other desks refresh their list.
                    connection.exec_driver_sql(f"NOTIFY {CHANGES_CHANNEL}, '{writer_tag(engine)}'")
            session.commit()
        except BaseException:
            session.rollback()
            raise
