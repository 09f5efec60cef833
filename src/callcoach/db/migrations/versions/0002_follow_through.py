"""follow-through

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 03:55:32.547898
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("faults", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False))

    with op.batch_alter_table("collectorsettings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promise_grace_days", sa.Integer(), server_default="3", nullable=False))
        batch_op.add_column(sa.Column("plan_max_months", sa.Integer(), server_default="12", nullable=False))
        batch_op.add_column(sa.Column("double_call_hours", sa.Integer(), server_default="4", nullable=False))

    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolution", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False))

    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("made_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("received_cents", sa.BigInteger(), server_default=sa.text("0"), nullable=False))

    # Promises made before this revision: made on the day of their call (else their due date).
    op.execute(
        "UPDATE promise SET made_on = COALESCE("
        "(SELECT date(call.started_at) FROM call WHERE call.id = promise.call_id), due_date) "
        "WHERE made_on IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.drop_column("received_cents")
        batch_op.drop_column("made_on")

    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_column("reason")
        batch_op.drop_column("resolution")

    with op.batch_alter_table("collectorsettings", schema=None) as batch_op:
        batch_op.drop_column("double_call_hours")
        batch_op.drop_column("plan_max_months")
        batch_op.drop_column("promise_grace_days")

    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_column("faults")
