"""what each balance has overdue, and its total per currency, for the day bar

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 18:30:00

The day bar's overdue total added up every open overdue invoice after each call (200 ms at a
million invoices). Each balance now also holds what is overdue, disputes included
(``owed_cents``), and ``balance_total`` their sum per currency, kept by triggers on
``balance`` itself (whatever inserts, updates or deletes a row, a cascade included), so the
total reads one row per currency and corrects only the debtors whose balance does not
answer for today. A column added in place and a new table: nothing is copied.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

OWED = (
    "UPDATE balance SET owed_cents = (SELECT COALESCE(SUM(i.amount_cents - i.paid_cents), 0) FROM invoice i "
    "WHERE i.debtor_id = balance.debtor_id AND i.currency = balance.currency AND i.status = 'open' "
    "AND i.due_date < balance.horizon AND i.amount_cents > i.paid_cents)"
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("ALTER TABLE balance ADD COLUMN owed_cents BIGINT NOT NULL DEFAULT 0")
    else:
        op.add_column("balance", sa.Column("owed_cents", sa.BigInteger(), nullable=False, server_default="0"))
    op.create_table(
        "balance_total",
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("owed_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("currency"),
    )
    op.execute(OWED)
    op.execute(
        "INSERT INTO balance_total (currency, owed_cents) SELECT currency, SUM(owed_cents) FROM balance GROUP BY currency"
    )
    if sqlite:
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def _sqlite_triggers() -> None:
    add = (
        # Not OR IGNORE: inside a trigger the outer statement's conflict clause (an upsert) wins.
        "INSERT INTO balance_total (currency, owed_cents) SELECT NEW.currency, 0 "
        "WHERE NOT EXISTS (SELECT 1 FROM balance_total WHERE currency = NEW.currency); "
        "UPDATE balance_total SET owed_cents = owed_cents + NEW.owed_cents WHERE currency = NEW.currency;"
    )
    take = "UPDATE balance_total SET owed_cents = owed_cents - OLD.owed_cents WHERE currency = OLD.currency;"
    op.execute(f"CREATE TRIGGER balance_total_added AFTER INSERT ON balance BEGIN {add} END")
    op.execute(f"CREATE TRIGGER balance_total_removed AFTER DELETE ON balance BEGIN {take} END")
    op.execute(
        f"CREATE TRIGGER balance_total_changed AFTER UPDATE OF currency, owed_cents ON balance BEGIN {take} {add} END"
    )


ADD = (
    "INSERT INTO balance_total (currency, owed_cents) SELECT currency, SUM(owed_cents) FROM added GROUP BY currency "
    "ON CONFLICT (currency) DO UPDATE SET owed_cents = balance_total.owed_cents + excluded.owed_cents;"
)
TAKE = (
    "UPDATE balance_total t SET owed_cents = t.owed_cents - r.owed FROM "
    "(SELECT currency, SUM(owed_cents) AS owed FROM removed GROUP BY currency) r WHERE t.currency = r.currency;"
)


def _postgresql_triggers() -> None:
    """Statement triggers: a rebuild of every balance adjusts each total once, not per row."""
    for name, body in (("added", ADD), ("removed", TAKE), ("changed", TAKE + " " + ADD)):
        op.execute(
            f"CREATE FUNCTION balance_total_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{body} RETURN NULL; END $$"
        )
    op.execute(
        "CREATE TRIGGER balance_total_added AFTER INSERT ON balance REFERENCING NEW TABLE AS added "
        "FOR EACH STATEMENT EXECUTE FUNCTION balance_total_added()"
    )
    op.execute(
        "CREATE TRIGGER balance_total_removed AFTER DELETE ON balance REFERENCING OLD TABLE AS removed "
        "FOR EACH STATEMENT EXECUTE FUNCTION balance_total_removed()"
    )
    op.execute(
        "CREATE TRIGGER balance_total_changed AFTER UPDATE ON balance "
        "REFERENCING OLD TABLE AS removed NEW TABLE AS added "
        "FOR EACH STATEMENT EXECUTE FUNCTION balance_total_changed()"
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name in ("added", "removed", "changed"):
        op.execute(f"DROP TRIGGER IF EXISTS balance_total_{name}" + ("" if sqlite else " ON balance"))
        if not sqlite:
            op.execute(f"DROP FUNCTION IF EXISTS balance_total_{name}()")
    op.drop_table("balance_total")
    op.drop_column("balance", "owed_cents")
