"""reason for non-payment on calls; civility and the call a contact was learned in

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("why", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False))
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("civility", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("found_in_call_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_contact_found_in_call_id_call", "call", ["found_in_call_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_constraint("fk_contact_found_in_call_id_call", type_="foreignkey")
        batch_op.drop_column("found_in_call_id")
        batch_op.drop_column("civility")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_column("why")
