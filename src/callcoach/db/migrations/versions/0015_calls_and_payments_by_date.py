"""calls by when they started, payments by the day they were received

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 15:40:00

The overview's call results count the calls of each week and the money received after
them; DSO places each payment on its day. Both read a range of dates: with these indexes,
only that range, however long the history.
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.create_index("ix_call_started", ["started_at", "outcome", "debtor_id"], unique=False)
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index("ix_payment_paid_on", ["paid_on", "invoice_id", "amount_cents"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_paid_on")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_index("ix_call_started")
