"""outcome draft

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 04:48:53.999910
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome_draft", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_column("outcome_draft")
