"""the balances' rank index covers what the list shows on SQLite too

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 22:00:00

0021 gave the server's ``ix_balance_rank`` the shown columns as payload; SQLite has no
payload columns and was left reading each listed row from the table (a lookup by rowid per
row of the page, about 0.3 µs of the 2.5 µs SQLite spends on each row of a filtered page).
Here SQLite's index gets them after its keys: they are never compared (the keys before them
are unique on ``debtor_id``), only read, and a page is read from the index alone.
"""

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

KEYS = ["home_rank", "currency", "claim_cents DESC", "oldest_due", "name_key", "debtor_id"]
SHOWN = ["name", "overdue_count", "in_difficulty", "last_call", "open_disputes", "disputed_cents", "collector_id"]


def _rank(columns: list[str]) -> None:
    op.execute("DROP INDEX ix_balance_rank")
    op.execute(f"CREATE INDEX ix_balance_rank ON balance ({', '.join(columns)}) WHERE claim_cents > 0")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rank(KEYS + SHOWN)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rank(KEYS)
