"""Errors as data: a code and its values, worded in the collector's language from the
playbook; a database failure recognised by SQLite's error code, never by its English text."""

from __future__ import annotations

import sqlite3

from callcoach.errors import StoreError, UserError
from callcoach.playbook import Labels
from callcoach.playbook.problems import say
from callcoach.services.store import describe_db_error


class _Coded(sqlite3.OperationalError):
    """A driver error whose text says nothing useful: only its code tells what happened."""

    def __init__(self, code: int) -> None:
        super().__init__("something went wrong")
        self.sqlite_errorcode = code


def test_a_database_failure_is_known_by_its_code_and_worded_in_french() -> None:
    error = describe_db_error("ledger.sqlite", _Coded(5))  # SQLITE_BUSY
    assert isinstance(error, StoreError) and error.code == "db_busy" and error.values == {"path": "ledger.sqlite"}
    assert say(error, Labels("fr")) == "ledger.sqlite : la base est occupée (un autre callcoach écrit) ; réessayez"
    assert say(error, Labels("en")) == str(error)
    full = describe_db_error("l.sqlite", _Coded(13 | (1 << 8)))  # an extended code of SQLITE_FULL
    assert (
        full.code == "db_disk_full" and say(full, Labels("fr")) == "l.sqlite : disque plein ; rien n'a été enregistré"
    )


def test_rewording_the_english_keeps_the_translation() -> None:
    error = UserError("ledger.sqlite is being written by someone else", code="db_busy", path="ledger.sqlite")
    assert say(error, Labels("fr")).startswith("ledger.sqlite : la base est occupée")


def test_an_error_without_a_code_or_a_known_one_is_shown_as_it_is() -> None:
    assert say(UserError("a message no table knows"), Labels("fr")) == "a message no table knows"
    # Every message of callcoach's own has a code: one without is another program's, shown as it is.
    assert say(UserError("no debtor matches 'zz'"), Labels("fr")) == "no debtor matches 'zz'"
    coded = UserError("no debtor matches {query!r}", code="no_debtor_match", query="zz")
    assert str(coded) == "no debtor matches 'zz'" and say(coded, Labels("fr")) == "aucun débiteur ne correspond à 'zz'"
    assert say(UserError("odd", code="no_such_code"), Labels("fr")) == "odd"
    assert say(UserError("x", code="db_busy"), Labels("fr")) == "x"  # the value it needs is missing: never lost
