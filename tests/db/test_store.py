from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, text

from callcoach.db.migrate import current_revision, head_revision


def test_new_ledger_is_at_the_latest_schema(engine: Engine, db_path: Path) -> None:
    assert current_revision(engine) == head_revision()
    con = sqlite3.connect(db_path)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    con.close()
    assert {
        "debtor",
        "contact",
        "invoice",
        "payment",
        "call",
        "promise",
        "dispute",
        "followup",
        "collectorsettings",
        "alembic_version",
    } <= tables


def test_wal_foreign_keys_and_busy_timeout(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
