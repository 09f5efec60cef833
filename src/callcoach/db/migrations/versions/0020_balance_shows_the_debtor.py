"""what the call list shows of each debtor, kept in its balance row

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 21:00:00

The list's middle part read, for each row of the page, the debtor (name, the difficulty flag,
the collector), its last call and its open disputes: four lookups a row, 700 pages scattered
over a million-invoice ledger for a page of 100, where the balances' own index gives the
rows in order. Each balance row now holds them too, counted by the same refresh; the
triggers also note a debtor when one of its calls is added, moved or removed, and when its
name, flag or collector change (a collector removed sets the debtors' collector to NULL: an
update of the debtor, noted the same way). Columns added in place, triggers replaced: the
``debtor`` table is never copied (its cascades would delete every call).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

SHOWN = ("name", "name_key", "in_difficulty", "collector_id")  # the debtor's columns a balance row holds

FILL = (
    "UPDATE balance SET "
    "name = (SELECT d.name FROM debtor d WHERE d.id = balance.debtor_id), "
    "in_difficulty = (SELECT d.in_difficulty FROM debtor d WHERE d.id = balance.debtor_id), "
    "collector_id = (SELECT d.collector_id FROM debtor d WHERE d.id = balance.debtor_id), "
    "last_call = (SELECT MAX(c.started_at) FROM call c WHERE c.debtor_id = balance.debtor_id), "
    "open_disputes = (SELECT COUNT(*) FROM dispute x WHERE x.debtor_id = balance.debtor_id AND x.status = 'open')"
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    columns = (
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""),
        sa.Column("in_difficulty", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("collector_id", sa.Integer(), nullable=True),
        sa.Column("last_call", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("open_disputes", sa.Integer(), nullable=False, server_default="0"),
    )
    for column in columns:  # ALTER TABLE ... ADD COLUMN on both engines: nothing is copied
        op.add_column("balance", column)
    op.execute(FILL)
    if sqlite:
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def _sqlite_triggers() -> None:
    note = "INSERT INTO balance_change (debtor_id) VALUES"
    op.execute(f"CREATE TRIGGER balance_call_added AFTER INSERT ON call BEGIN {note} (NEW.debtor_id); END")
    op.execute(
        "CREATE TRIGGER balance_call_changed AFTER UPDATE OF debtor_id, started_at ON call "
        "WHEN OLD.debtor_id IS NOT NEW.debtor_id OR OLD.started_at IS NOT NEW.started_at "
        f"BEGIN {note} (OLD.debtor_id); "
        "INSERT INTO balance_change (debtor_id) SELECT NEW.debtor_id WHERE NEW.debtor_id IS NOT OLD.debtor_id; END"
    )
    op.execute(f"CREATE TRIGGER balance_call_removed AFTER DELETE ON call BEGIN {note} (OLD.debtor_id); END")
    op.execute("DROP TRIGGER balance_debtor_renamed")
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in SHOWN)
    op.execute(
        f"CREATE TRIGGER balance_debtor_changed AFTER UPDATE OF {', '.join(SHOWN)} ON debtor WHEN {changed} "
        f"BEGIN {note} (NEW.id); END"
    )


def _postgresql_triggers() -> None:
    """Added and removed calls by statement (a move copies every call in one); a call moved
    by row, and only when its debtor or start changes: calls are updated every few seconds
    while open (the lease's heartbeat, the outcome's draft), and those must cost nothing."""
    op.execute(
        "CREATE TRIGGER balance_call_added AFTER INSERT ON call REFERENCING NEW TABLE AS added "
        "FOR EACH STATEMENT EXECUTE FUNCTION balance_note_added()"
    )
    op.execute(
        "CREATE TRIGGER balance_call_removed AFTER DELETE ON call REFERENCING OLD TABLE AS removed "
        "FOR EACH STATEMENT EXECUTE FUNCTION balance_note_removed()"
    )
    op.execute(
        "CREATE FUNCTION balance_note_call_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO balance_change (debtor_id) VALUES (OLD.debtor_id); "
        "IF NEW.debtor_id IS DISTINCT FROM OLD.debtor_id THEN "
        "INSERT INTO balance_change (debtor_id) VALUES (NEW.debtor_id); END IF; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER balance_call_changed AFTER UPDATE OF debtor_id, started_at ON call FOR EACH ROW "
        "WHEN (OLD.debtor_id IS DISTINCT FROM NEW.debtor_id OR OLD.started_at IS DISTINCT FROM NEW.started_at) "
        "EXECUTE FUNCTION balance_note_call_moved()"
    )
    op.execute("ALTER TRIGGER balance_debtor_renamed ON debtor RENAME TO balance_debtor_changed")
    op.execute("ALTER FUNCTION balance_note_debtor_renamed() RENAME TO balance_note_debtor_changed")
    old = ", ".join(f"o.{c}" for c in SHOWN)
    new = ", ".join(f"n.{c}" for c in SHOWN)
    _debtor_function("balance_note_debtor_changed", f"({old}) IS DISTINCT FROM ({new})")


def _debtor_function(name: str, changed: str) -> None:
    op.execute(
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO balance_change (debtor_id) "
        f"SELECT n.id FROM removed o JOIN added n ON n.id = o.id WHERE {changed}; RETURN NULL; END $$"
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for event in ("added", "changed", "removed"):
        op.execute(f"DROP TRIGGER IF EXISTS balance_call_{event}" + ("" if sqlite else " ON call"))
    if sqlite:
        op.execute("DROP TRIGGER balance_debtor_changed")
        op.execute(
            "CREATE TRIGGER balance_debtor_renamed AFTER UPDATE OF name_key ON debtor "
            "WHEN OLD.name_key IS NOT NEW.name_key "
            "BEGIN INSERT INTO balance_change (debtor_id) VALUES (NEW.id); END"
        )
    else:
        op.execute("DROP FUNCTION IF EXISTS balance_note_call_moved()")
        _debtor_function("balance_note_debtor_changed", "o.name_key IS DISTINCT FROM n.name_key")
        op.execute("ALTER FUNCTION balance_note_debtor_changed() RENAME TO balance_note_debtor_renamed")
        op.execute("ALTER TRIGGER balance_debtor_changed ON debtor RENAME TO balance_debtor_renamed")
    for name in ("open_disputes", "last_call", "collector_id", "in_difficulty", "name"):
        if sqlite:  # SQLite's own DROP COLUMN (3.35): no batch copy of the table
            op.execute(f"ALTER TABLE balance DROP COLUMN {name}")
        else:
            op.drop_column("balance", name)
