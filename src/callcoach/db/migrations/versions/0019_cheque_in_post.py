"""cheque in the post: a promise paid by cheque keeps the cheque's number and sending day

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 18:30:00

"The cheque is in the post" is answered by asking for the cheque's number, amount and
sending day (domain 4.3); they are kept with the promise so the recap states them and the
cheque can be matched when it arrives. New nullable columns only.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cheque_number", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("sent_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.drop_column("sent_on")
        batch_op.drop_column("cheque_number")
