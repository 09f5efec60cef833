from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text

from callcoach.db.migrate import current_revision, head_revision

pytestmark = pytest.mark.both_engines


def test_new_ledger_is_at_the_latest_schema(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
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


@pytest.mark.sqlite_only
def test_wal_foreign_keys_and_busy_timeout(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
