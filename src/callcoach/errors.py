"""Errors a user can cause and fix; the CLI prints them as one line, the TUI as a notice.

They live below every layer (the playbook raises them for a user's broken TOML file), so
nothing has to reach up into the services to say what went wrong.
"""


class UserError(Exception):
    """A mistake in what the user asked or gave; the message says what and where."""


class StoreError(UserError):
    """The database file cannot be used (locked, read-only, missing folder, not a database)."""
