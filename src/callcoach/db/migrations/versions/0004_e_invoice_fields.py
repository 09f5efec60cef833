"""e-invoice fields

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 04:36:44.302646
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("doc_type", sqlmodel.sql.sqltypes.AutoString(), server_default="invoice", nullable=False)
        )
        batch_op.add_column(
            sa.Column("due_basis", sqlmodel.sql.sqltypes.AutoString(), server_default="stated", nullable=False)
        )
        batch_op.add_column(sa.Column("buyer_reference", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("payment_reference", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_column("source")
        batch_op.drop_column("payment_reference")
        batch_op.drop_column("buyer_reference")
        batch_op.drop_column("due_basis")
        batch_op.drop_column("doc_type")
