"""call lease: which window owns an open call (token, process, host, since, heartbeat), and
when its draft last reached the ledger

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 14:50:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_token", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("lease_pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lease_host", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("lease_since", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("lease_heartbeat", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("draft_saved_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        for name in ("draft_saved_at", "lease_heartbeat", "lease_since", "lease_host", "lease_pid", "lease_token"):
            batch_op.drop_column(name)
