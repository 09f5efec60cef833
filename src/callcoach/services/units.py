"""Units of work for the interfaces: the CLI and the TUI reach the ledger through here.

They never import the database layer; they hold a ``Ledger`` (an opened engine) and ask for
a unit of work on it, whose database failures (locked, read-only, full disk) come out as
one clear StoreError instead of a driver's exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from callcoach.db.engine import session_scope
from callcoach.services.errors import StoreError

Ledger = Engine
"""An opened ledger, as ``services.store.open_ledger`` returns it."""


@contextmanager
def unit_of_work(ledger: Ledger, *, write: bool = True) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back when it raises.

    ``write=False`` for pure reads, which then never wait for another process's write."""
    from callcoach.files import WriteFailed

    try:
        with session_scope(ledger, write=write) as session:
            yield session
    except DBAPIError as exc:
        raise as_store_error(exc, ledger_name(ledger)) from None
    except WriteFailed as exc:  # a file of the unit (the outbox) on a full disk: the transaction was rolled back
        raise StoreError(str(exc), code=exc.code, **exc.values) from None


def ledger_name(ledger: Ledger) -> str:
    """The ledger as a message names it: its file, or its server URL without the password."""
    if ledger.dialect.name == "sqlite":
        return ledger.url.database or "database"
    return ledger.url.render_as_string(hide_password=True)


def as_store_error(exc: BaseException, where: object) -> StoreError:
    """The database failure ``exc`` as one line naming the file, or a StoreError as it is."""
    from callcoach.services.server_store import describe_server_error, is_server_location
    from callcoach.services.store import describe_db_error

    if isinstance(exc, StoreError):
        return exc
    if is_server_location(where):
        return describe_server_error(str(where), exc)
    return describe_db_error(str(where), exc)


def is_database_failure(exc: BaseException) -> bool:
    """The database refused (locked, read-only, full disk): a user can act upon it, unlike a bug."""
    return isinstance(exc, OperationalError)
