"""late rule

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 04:53:08.474819
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collectorsettings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("late_rule", sqlmodel.sql.sqltypes.AutoString(), server_default="fr", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("collectorsettings", schema=None) as batch_op:
        batch_op.drop_column("late_rule")
