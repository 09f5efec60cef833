"""Errors a user can cause and fix; the CLI prints them as one line, the TUI as a notice.

An error carries a ``code`` and the ``values`` it names, beside its English message: each
interface words it in the collector's language from the playbook's ``[errors]`` table
(``callcoach.playbook.problems.say``), so rewording the English never loses a translation.
They live below every layer (the playbook raises them for a user's broken TOML file).
"""

from __future__ import annotations

import contextlib


class UserError(Exception):
    """A mistake in what the user asked or gave; the message says what and where.

    With a ``code``, the message is an English template (``"{path}: no such file"``) filled
    with the values, so the English line and the playbook's wording name the same values."""

    def __init__(self, message: str = "", *, code: str = "", **values: object) -> None:
        if code:
            with contextlib.suppress(KeyError, IndexError, ValueError, AttributeError):
                message = message.format(**values)  # else a message already written out: kept as it is
        super().__init__(message)
        self.code = code
        self.values = values


class StoreError(UserError):
    """The database file cannot be used (locked, read-only, missing folder, not a database)."""
