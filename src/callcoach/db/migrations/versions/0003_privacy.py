"""privacy

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 04:31:25.277957
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collectorsettings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retention_years", sa.Integer(), server_default="5", nullable=False))

    with op.batch_alter_table("debtor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal_hold", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("debtor", schema=None) as batch_op:
        batch_op.drop_column("legal_hold")

    with op.batch_alter_table("collectorsettings", schema=None) as batch_op:
        batch_op.drop_column("retention_years")
