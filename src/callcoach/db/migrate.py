"""Bring a database to the current schema with Alembic, backing it up first.

The migration scripts live inside the package so an installed callcoach can upgrade a
user's file without the source tree. A database that already holds data is copied
(SQLite online backup) before any migration runs, so an upgrade never costs a user data.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# The newest migration's revision. Opening an up-to-date ledger then costs one SQL read, not
# loading Alembic and every migration script (a tenth of a second at each start); a test
# checks it is the migrations' real head.
HEAD = "0022"


def _stored_revision(engine: Engine) -> str | None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except (OperationalError, ProgrammingError):  # a new file: no version table yet
        return None
    return rows[0][0] if len(rows) == 1 else None


def known_revision(revision: str) -> bool:
    """True when this callcoach has a migration with that revision (an older or the current
    schema); a ledger at an unknown one was made by a newer callcoach."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(_alembic_config()).get_revision(revision) is not None
    except (CommandError, KeyError, ValueError):
        return False


class NewerSchema(Exception):
    """The ledger's schema revision is unknown here: a newer callcoach made it."""

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(f"made by a newer callcoach (revision {revision}); update callcoach")


_READ = object()


def upgrade(engine: Engine, db_path: Path | None, *, current: object = _READ, empty: bool = False) -> bool:
    """Upgrade to head; return True when a migration ran.

    ``current`` is the revision already read from the file (None for a new one). A ledger
    holding data is copied first, and only when a migration will really run; one from a
    newer callcoach is refused (:class:`NewerSchema`) before anything is written."""
    stored = _stored_revision(engine) if current is _READ else current
    if stored == HEAD:
        return False
    if stored is not None and not known_revision(str(stored)):
        raise NewerSchema(str(stored))
    if stored is None and current is _READ:
        stored = current_revision(engine)
    if stored == head_revision():
        return False
    if stored is not None and not empty and db_path is not None and db_path.exists():
        backup_sqlite(db_path, _backup_name(db_path, str(stored)))
    from alembic import command

    config = _alembic_config()
    with engine.execution_options(sqlite_immediate=True).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return True


def _backup_name(db_path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return db_path.with_name(f"{db_path.stem}.before-{revision}.{stamp}{db_path.suffix}")


def backup_sqlite(source: Path, target: Path) -> None:
    """A consistent copy even while another process writes (SQLite online backup API),
    written whole or not at all, mode 0600."""
    from callcoach.files import write_with

    def copy(into: Path) -> None:
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(into)
            try:
                src.backup(dst)
            finally:
                dst.close()
        except sqlite3.OperationalError as exc:
            import errno

            if "full" in str(exc).lower() or getattr(exc, "sqlite_errorcode", 0) == sqlite3.SQLITE_FULL:
                raise OSError(errno.ENOSPC, "disk full") from None
            raise
        finally:
            src.close()

    write_with(target, copy)
