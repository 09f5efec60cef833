"""indexes for the overview's figures: invoices by issue date and by due date, disputed ones

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 15:20:00

DSO adds up what was invoiced each day and what was settled by each due date over the
last months: two covering indexes let those sums walk a range of small index entries in
date order instead of the whole table. Invoices wholly in dispute leave the open-invoice
index; a partial index keeps them at hand for what is owed today.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

DISPUTED = sa.text("status = 'disputed'")


def upgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.create_index("ix_invoice_issued", ["issue_date", "currency", "status", "amount_cents"], unique=False)
        batch_op.create_index(
            "ix_invoice_due", ["due_date", "currency", "status", "amount_cents", "paid_cents"], unique=False
        )
        batch_op.create_index(
            "ix_invoice_disputed",
            ["debtor_id", "currency", "due_date", "amount_cents", "paid_cents"],
            unique=False,
            sqlite_where=DISPUTED,
            postgresql_where=DISPUTED,
        )


def downgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_index("ix_invoice_disputed")
        batch_op.drop_index("ix_invoice_due")
        batch_op.drop_index("ix_invoice_issued")
