"""the balances' rank index covers what the list shows, on a server

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 21:30:00

A typed name walks ``ix_balance_rank`` until a page of debtors matches it; each entry
walked fetched its table row to read the name (600 pages for a page of 100 at a million
invoices on PostgreSQL). The index now carries the row's other shown columns as payload
(PostgreSQL's INCLUDE), so both the list and a typed name are read from the index alone
(where the table's pages are marked all-visible, as autovacuum leaves them). SQLite has no
payload columns, and its list was already flat: its index is left as it is.
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

KEYS = ["home_rank", "currency", "claim_cents DESC", "oldest_due", "name_key", "debtor_id"]
SHOWN = ["name", "overdue_count", "in_difficulty", "last_call", "open_disputes", "disputed_cents", "collector_id"]


def _rank(include: list[str]) -> None:
    payload = f" INCLUDE ({', '.join(include)})" if include else ""
    op.execute("DROP INDEX ix_balance_rank")
    op.execute(f"CREATE INDEX ix_balance_rank ON balance ({', '.join(KEYS)}){payload} WHERE claim_cents > 0")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rank(SHOWN)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rank([])
