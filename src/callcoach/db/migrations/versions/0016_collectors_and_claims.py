"""collectors of a team, who made each call, promise and e-mail, debtors assigned; one open call per debtor

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 15:50:00

A team shares one ledger: each person is a collector, named on what they do; a debtor is
assigned to one of them or left in the shared pool. Starting a call claims the debtor:
the database itself refuses a second open call on one debtor (a partial unique index), so
two collectors pressing F2 at the same instant cannot both get it, on either engine. Older
ledgers could hold two open calls on one debtor (two windows before leases existed): the
older ones are ended where they stand, their notes kept, before the index is built.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

OPEN = sa.text("ended_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "collector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("initials", sa.String(), nullable=False, server_default=""),
        sa.Column("language", sa.String(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", name="uq_collector_name"),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("call", "promise", "emailrecord", "debtor"):
        if sqlite:
            # Never a batch copy here: dropping the old debtor table would cascade to every call.
            op.execute(
                f'ALTER TABLE "{table}" ADD COLUMN collector_id INTEGER REFERENCES collector (id) ON DELETE SET NULL'
            )
        else:
            op.add_column(table, sa.Column("collector_id", sa.Integer(), nullable=True))
            op.create_foreign_key(
                f"fk_{table}_collector", table, "collector", ["collector_id"], ["id"], ondelete="SET NULL"
            )
    op.execute(
        "UPDATE call SET ended_at = started_at WHERE ended_at IS NULL AND EXISTS ("
        "SELECT 1 FROM call newer WHERE newer.debtor_id = call.debtor_id AND newer.ended_at IS NULL "
        "AND (newer.started_at > call.started_at OR (newer.started_at = call.started_at AND newer.id > call.id)))"
    )
    op.create_index(
        "uq_call_open_per_debtor", "call", ["debtor_id"], unique=True, sqlite_where=OPEN, postgresql_where=OPEN
    )


def downgrade() -> None:
    op.drop_index("uq_call_open_per_debtor", table_name="call")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("debtor", "emailrecord", "promise", "call"):
        if sqlite:
            op.execute(f'ALTER TABLE "{table}" DROP COLUMN collector_id')
        else:
            op.drop_constraint(f"fk_{table}_collector", table, type_="foreignkey")
            op.drop_column(table, "collector_id")
    op.drop_table("collector")
