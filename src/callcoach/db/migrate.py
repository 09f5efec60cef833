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
HEAD = "0011"


def _stored_revision(engine: Engine) -> str | None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except (OperationalError, ProgrammingError):  # a new file: no version table yet
        return None
    return rows[0][0] if len(rows) == 1 else None


def upgrade(engine: Engine, db_path: Path | None) -> bool:
    """Upgrade to head; return True when a migration ran."""
    if _stored_revision(engine) == HEAD:
        return False
    current = current_revision(engine)
    if current == head_revision():
        return False
    if current is not None and db_path is not None and db_path.exists():
        backup_sqlite(db_path, _backup_name(db_path, current))
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
    """A consistent copy even while another process writes (SQLite online backup API)."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    target.chmod(0o600)
