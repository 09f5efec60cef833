"""the call-list index covers open invoices only

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 06:30:00

Most of a ledger is paid history: indexing only open invoices keeps the index small, the
call-list aggregate as fast, and imports of paid invoices about a third cheaper.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_index("ix_invoice_open_overdue")
        batch_op.create_index(
            "ix_invoice_open",
            ["debtor_id", "currency", "due_date", "amount_cents", "paid_cents"],
            unique=False,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_index("ix_invoice_open")
        batch_op.create_index(
            "ix_invoice_open_overdue",
            ["status", "due_date", "debtor_id", "amount_cents", "paid_cents", "currency"],
            unique=False,
        )
