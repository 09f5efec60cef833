"""e-mail records

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 05:01:04.014602
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "emailrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("debtor_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("saved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["debtor_id"], ["debtor.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("emailrecord", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_emailrecord_debtor_id"), ["debtor_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("emailrecord", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_emailrecord_debtor_id"))

    op.drop_table("emailrecord")
