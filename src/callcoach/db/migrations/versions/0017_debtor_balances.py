"""debtor balances kept by every write, so the call list ranks from an index

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 18:00:00

The call list added up every open invoice at each read: 1 ms at 1,000 invoices, 131 ms at a
million. ``balance`` holds each debtor's figures per currency, counted over the open
invoices due before the day of its last refresh; the database's own triggers note in
``balance_change`` each debtor an invoice, a dispute or a rename touched, whatever wrote it
(the app, a bulk import, COPY), and the app refreshes those before the write commits. The
balances of an existing ledger are computed here, as of the day the upgrade runs: only a
starting point, since the list checks for each row that no invoice fell due since then.
New tables and indexes only: the ``debtor`` table is never copied (its cascades would
delete every call).
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OPEN_FOLLOW_UP = sa.text("done_at IS NULL")
OWED = sa.text("claim_cents > 0")

# (table, the columns whose change moves a balance, the column naming the debtor)
WATCHED = (
    ("invoice", ("debtor_id", "currency", "due_date", "amount_cents", "paid_cents", "status"), "debtor_id"),
    ("dispute", ("debtor_id", "invoice_id", "amount_cents", "status"), "debtor_id"),
)

FILL = """
INSERT INTO balance (debtor_id, currency, name_key, home_rank, claim_cents, oldest_due, overdue_count,
                     disputed_cents, counted_to, next_due, horizon)
SELECT i.debtor_id, i.currency, d.name_key,
       CASE WHEN i.currency = 'EUR' THEN 0 ELSE 1 END,
       SUM(CASE WHEN i.due_date < :horizon AND i.amount_cents - i.paid_cents - COALESCE(x.amount, 0) > 0
                THEN i.amount_cents - i.paid_cents - COALESCE(x.amount, 0) ELSE 0 END),
       MIN(CASE WHEN i.due_date < :horizon THEN i.due_date END),
       SUM(CASE WHEN i.due_date < :horizon AND i.amount_cents > i.paid_cents THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.due_date < :horizon THEN COALESCE(x.amount, 0) ELSE 0 END),
       MAX(CASE WHEN i.due_date < :horizon THEN i.due_date END),
       MIN(CASE WHEN NOT (i.due_date < :horizon) THEN i.due_date END),
       :horizon
FROM invoice i
JOIN debtor d ON d.id = i.debtor_id
LEFT JOIN (
    SELECT invoice_id, SUM(amount_cents) AS amount FROM dispute
    WHERE status = 'open' AND invoice_id IS NOT NULL GROUP BY invoice_id
) x ON x.invoice_id = i.id
WHERE i.status = 'open'
GROUP BY i.debtor_id, i.currency, d.name_key
"""


def upgrade() -> None:
    op.create_table(
        "balance",
        sa.Column("debtor_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("home_rank", sa.Integer(), nullable=False),
        sa.Column("claim_cents", sa.BigInteger(), nullable=False),
        sa.Column("oldest_due", sa.Date(), nullable=True),
        sa.Column("overdue_count", sa.Integer(), nullable=False),
        sa.Column("disputed_cents", sa.BigInteger(), nullable=False),
        sa.Column("counted_to", sa.Date(), nullable=True),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("horizon", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["debtor_id"], ["debtor.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("debtor_id", "currency"),
    )
    op.create_index(
        "ix_balance_rank",
        "balance",
        ["home_rank", "currency", sa.text("claim_cents DESC"), "oldest_due", "name_key", "debtor_id"],
        sqlite_where=OWED,
        postgresql_where=OWED,
    )
    op.create_index("ix_balance_next_due", "balance", ["next_due"])
    op.create_index("ix_balance_counted_to", "balance", ["counted_to"])
    op.create_table(
        "balance_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("debtor_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_promise_status", "promise", ["status", "debtor_id"])
    op.create_index(
        "ix_followup_open", "followup", ["debtor_id"], sqlite_where=OPEN_FOLLOW_UP, postgresql_where=OPEN_FOLLOW_UP
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()
    horizon = datetime.now(UTC).date()  # a starting point only: each read checks what fell due since
    op.get_bind().execute(sa.text(FILL).bindparams(sa.bindparam("horizon", type_=sa.Date)), {"horizon": horizon})


def _sqlite_triggers() -> None:
    for table, columns, key in WATCHED:
        moved = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        op.execute(
            f"CREATE TRIGGER balance_{table}_added AFTER INSERT ON {table} "
            f"BEGIN INSERT INTO balance_change (debtor_id) VALUES (NEW.{key}); END"
        )
        op.execute(
            f"CREATE TRIGGER balance_{table}_changed AFTER UPDATE OF {', '.join(columns)} ON {table} WHEN {moved} "
            f"BEGIN INSERT INTO balance_change (debtor_id) VALUES (OLD.{key}); "
            f"INSERT INTO balance_change (debtor_id) SELECT NEW.{key} WHERE NEW.{key} IS NOT OLD.{key}; END"
        )
        op.execute(
            f"CREATE TRIGGER balance_{table}_removed AFTER DELETE ON {table} "
            f"BEGIN INSERT INTO balance_change (debtor_id) VALUES (OLD.{key}); END"
        )
    op.execute(
        "CREATE TRIGGER balance_debtor_renamed AFTER UPDATE OF name_key ON debtor WHEN OLD.name_key IS NOT NEW.name_key "
        "BEGIN INSERT INTO balance_change (debtor_id) VALUES (NEW.id); END"
    )


def _postgresql_triggers() -> None:
    """Statement triggers with transition tables: a bulk insert or COPY of a million invoices
    notes its debtors in one statement, not a million."""
    _function("balance_note_added", "SELECT DISTINCT debtor_id FROM added")
    _function("balance_note_removed", "SELECT DISTINCT debtor_id FROM removed")
    for table, columns, key in WATCHED:
        old = ", ".join(f"o.{c}" for c in columns)
        new = ", ".join(f"n.{c}" for c in columns)
        moved = f"FROM removed o JOIN added n ON n.id = o.id WHERE ({old}) IS DISTINCT FROM ({new})"
        _function(f"balance_note_{table}_changed", f"SELECT o.{key} {moved} UNION SELECT n.{key} {moved}")
        op.execute(
            f"CREATE TRIGGER balance_{table}_added AFTER INSERT ON {table} REFERENCING NEW TABLE AS added "
            "FOR EACH STATEMENT EXECUTE FUNCTION balance_note_added()"
        )
        op.execute(
            f"CREATE TRIGGER balance_{table}_changed AFTER UPDATE ON {table} "
            "REFERENCING OLD TABLE AS removed NEW TABLE AS added "
            f"FOR EACH STATEMENT EXECUTE FUNCTION balance_note_{table}_changed()"
        )
        op.execute(
            f"CREATE TRIGGER balance_{table}_removed AFTER DELETE ON {table} REFERENCING OLD TABLE AS removed "
            "FOR EACH STATEMENT EXECUTE FUNCTION balance_note_removed()"
        )
    _function(
        "balance_note_debtor_renamed",
        "SELECT n.id FROM removed o JOIN added n ON n.id = o.id WHERE o.name_key IS DISTINCT FROM n.name_key",
    )
    op.execute(
        "CREATE TRIGGER balance_debtor_renamed AFTER UPDATE ON debtor "
        "REFERENCING OLD TABLE AS removed NEW TABLE AS added "
        "FOR EACH STATEMENT EXECUTE FUNCTION balance_note_debtor_renamed()"
    )


def _function(name: str, select: str) -> None:
    op.execute(
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO balance_change (debtor_id) {select}; RETURN NULL; END $$"
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("invoice", "dispute"):
        for event in ("added", "changed", "removed"):
            op.execute(f"DROP TRIGGER IF EXISTS balance_{table}_{event}" + ("" if sqlite else f" ON {table}"))
    op.execute("DROP TRIGGER IF EXISTS balance_debtor_renamed" + ("" if sqlite else " ON debtor"))
    if not sqlite:
        for name in ("added", "removed", "invoice_changed", "dispute_changed", "debtor_renamed"):
            op.execute(f"DROP FUNCTION IF EXISTS balance_note_{name}()")
    op.drop_index("ix_followup_open", table_name="followup")
    op.drop_index("ix_promise_status", table_name="promise")
    op.drop_table("balance_change")
    op.drop_index("ix_balance_counted_to", table_name="balance")
    op.drop_index("ix_balance_next_due", table_name="balance")
    op.drop_index("ix_balance_rank", table_name="balance")
    op.drop_table("balance")
