"""Opening a ledger: the file, its permissions and its schema.

A file callcoach cannot use is refused in one line and left untouched, before anything
is written to it: another application's SQLite file, a ledger made by a newer callcoach,
a file that is not a database at all. A ledger the user may not write is opened
read-only (reads work; a write says the file is read-only). A backup copy is taken only
when a migration will really run.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from callcoach.db.engine import is_read_only, make_engine
from callcoach.db.migrate import HEAD, NewerSchema, known_revision, upgrade
from callcoach.services import balances  # noqa: F401  (every write transaction then refreshes the balances it touched)
from callcoach.services.errors import StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"
SHOWN_TABLES = 6  # a foreign file's tables named in the refusal


@dataclass(frozen=True)
class LedgerFile:
    """What is in a file before callcoach touches it."""

    empty: bool
    revision: str | None
    tables: tuple[str, ...]


def open_ledger(path: Path | str) -> Engine:
    """An engine on an up-to-date ledger at ``path``, creating it (mode 0600) if needed;
    a ``postgresql://`` URL opens a team's ledger on a server instead."""
    from callcoach.services.server_store import is_server_location, open_server_ledger

    if is_server_location(path):
        return open_server_ledger(str(path))
    path = Path(path).expanduser()
    if path.is_dir():
        raise StoreError("{path}: is a folder, not a database file", code="db_is_a_folder", path=path)
    if not path.parent.exists():
        from callcoach.files import WriteFailed, private_folder

        try:
            private_folder(path.parent)
        except WriteFailed as exc:
            raise StoreError(str(exc), code=exc.code, **exc.values) from None
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        except OSError as exc:
            raise StoreError(
                "{path}: cannot create the database ({strerror})",
                code="db_cannot_create",
                path=path,
                strerror=exc.strerror,
            ) from None
    found = inspect_file(path)
    read_only = not _writable(path)
    if read_only and found.revision != HEAD:
        raise StoreError(
            "{path}: database is read-only and must be upgraded first; nothing was changed",
            code="db_read_only_needs_upgrade",
            path=path,
        )
    folder_fixed = read_only and not os.access(path.parent, os.W_OK)
    engine = make_engine(path, read_only=read_only, immutable=folder_fixed and not Path(f"{path}-wal").exists())
    if read_only:
        return engine
    try:
        upgrade(engine, path, current=found.revision, empty=found.empty)
    except NewerSchema as exc:
        engine.dispose()
        raise StoreError("{where}: {exc}", code="newer_schema", where=path, exc=exc) from None
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise describe_db_error(path, exc) from None
    return engine


def ledger_is_read_only(engine: Engine) -> bool:
    return is_read_only(engine)


def inspect_file(path: Path) -> LedgerFile:
    """Read what the file holds without writing a byte; refuse a file that is not a ledger."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(
            "{path}: cannot open the database file ({strerror})",
            code="db_cannot_read",
            path=path,
            strerror=exc.strerror,
        ) from None
    if not head:
        return LedgerFile(empty=True, revision=None, tables=())
    if head != SQLITE_MAGIC:
        raise StoreError(
            "{path}: not a callcoach database (not a SQLite file); nothing was changed",
            code="db_not_sqlite",
            path=path,
        )
    try:
        fixed = not os.access(path.parent, os.W_OK) and not Path(f"{path}-wal").exists()
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{'&immutable=1' if fixed else ''}", uri=True)
        try:
            tables = tuple(
                r[0]
                for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"
                )
            )
            revision = None
            if "alembic_version" in tables:
                rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
                revision = str(rows[0][0]) if len(rows) == 1 else None
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise describe_db_error(path, exc) from None
    if not tables:
        return LedgerFile(empty=True, revision=None, tables=())
    if "alembic_version" not in tables or revision is None:
        shown = ", ".join(t for t in tables[:SHOWN_TABLES])
        more = ", …" if len(tables) > SHOWN_TABLES else ""
        raise StoreError(
            "{path}: not a callcoach ledger: it holds tables {shown}{more}; nothing was changed",
            code="file_not_a_ledger",
            path=path,
            shown=shown,
            more=more,
        )
    if revision != HEAD and not known_revision(revision):
        raise StoreError(
            "{where}: made by a newer callcoach (revision {revision}); update callcoach",
            code="server_newer_schema",
            where=path,
            revision=revision,
        )
    return LedgerFile(empty=False, revision=revision, tables=tables)


def _writable(path: Path) -> bool:
    """The file and its folder (where SQLite keeps its journal) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


# SQLite's primary result codes (https://sqlite.org/rescode.html): the error is recognised
# by its code, not by its English text.
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
LOW_SPACE = 1 << 20  # an I/O error with less than this free on the disk is a full disk


def describe_db_error(path: Path | str, exc: BaseException) -> StoreError:
    """One clear line for what went wrong with the database file."""
    orig = getattr(exc, "orig", exc) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary is None:
        primary = _code_from_text(str(orig).lower())
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreError(
            "{path}: database is busy (another callcoach is writing); try again", code="db_busy", path=path
        )
    if primary == SQLITE_READONLY:
        return StoreError("{path}: database is read-only; nothing was saved", code="db_read_only", path=path)
    if primary in (SQLITE_NOTADB, SQLITE_CORRUPT):
        return StoreError("{path}: not a callcoach database (or damaged)", code="db_not_a_ledger", path=path)
    if primary == SQLITE_FULL or (primary == SQLITE_IOERR and _disk_nearly_full(path)):
        return StoreError("{path}: disk full; nothing was saved", code="db_disk_full", path=path)
    if primary == SQLITE_CANTOPEN:
        return StoreError("{path}: cannot open the database file", code="db_cannot_open", path=path)
    return StoreError(
        "{where}: database error: {first_line}", code="db_error", where=path, first_line=orig, path=path, error=orig
    )


def _code_from_text(text: str) -> int | None:
    """For errors raised without a code (older drivers, wrapped errors)."""
    for needle, code in (
        ("locked", SQLITE_BUSY),
        ("busy", SQLITE_BUSY),
        ("readonly", SQLITE_READONLY),
        ("read-only", SQLITE_READONLY),
        ("not a database", SQLITE_NOTADB),
        ("malformed", SQLITE_CORRUPT),
        ("is full", SQLITE_FULL),
        ("disk i/o", SQLITE_IOERR),
        ("unable to open", SQLITE_CANTOPEN),
    ):
        if needle in text:
            return code
    return None


def _disk_nearly_full(path: Path | str) -> bool:
    try:
        return shutil.disk_usage(Path(path).parent).free < LOW_SPACE
    except OSError:
        return False
