"""contract_rate: a late-payment rate agreed with a debtor (debtor) or for the whole ledger (settings)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 15:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("debtor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contract_rate", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table("collectorsettings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("contract_rate", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("collectorsettings", schema=None) as batch_op:
        batch_op.drop_column("contract_rate")
    with op.batch_alter_table("debtor", schema=None) as batch_op:
        batch_op.drop_column("contract_rate")
