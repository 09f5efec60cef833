"""Opening a ledger on a PostgreSQL server, for a team sharing one list.

The password never lives in a file: it comes from ``CALLCOACH_DB_PASSWORD`` (or libpq's
``PGPASSWORD``) or from the system keyring, and a URL that carries one is accepted but
never echoed. ``sslmode`` and the other libpq options ride in the URL's query and reach
psycopg as they are. A database holding another application's tables is refused before
anything is written, like a foreign SQLite file; one made by a newer callcoach too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from callcoach.services.errors import StoreError

SERVER_SCHEMES = ("postgresql", "postgres")
KEYRING_SERVICE = "callcoach-db"
SHOWN_TABLES = 6


def is_server_location(location: object) -> bool:
    """A ``postgresql://…`` URL rather than a file path."""
    text = str(location)
    return "://" in text and text.split("://", 1)[0].split("+", 1)[0].lower() in SERVER_SCHEMES


def server_url(location: str) -> URL:
    """The SQLAlchemy URL for ``location``, with the psycopg 3 driver and the password
    from the environment or the keyring when the URL has none."""
    try:
        url = make_url(location)
    except ArgumentError:
        raise StoreError(
            "{shown}: not a database URL (postgresql://user@host:port/database)",
            code="not_a_database_url",
            shown=shown(location),
        ) from None
    url = url.set(drivername="postgresql+psycopg")
    if not url.database:
        raise StoreError(
            "{shown}: name the database (postgresql://user@host:port/database)",
            code="server_url_without_database",
            shown=shown(location),
        )
    if url.password is None:
        password = os.environ.get("CALLCOACH_DB_PASSWORD") or os.environ.get("PGPASSWORD") or _keyring_password(url)
        if password:
            url = url.set(password=password)
    return url


def keyring_account(url: URL) -> str:
    """The keyring entry's account for a server ledger: user@host:port/database."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def _keyring_password(url: URL) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, keyring_account(url))
        except KeyringError:
            return None
    except Exception:  # no usable keyring backend on this machine: the environment is the way
        return None


def shown(location: object) -> str:
    """The location as it may be printed: a password in the URL is masked."""
    text = str(location)
    if not is_server_location(text):
        return text
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return text.split("@", 1)[-1] if "@" in text else text


@dataclass(frozen=True)
class ServerLedger:
    """What a server database holds before callcoach touches it."""

    revision: str | None
    tables: tuple[str, ...]


def open_server_ledger(location: str) -> Engine:
    """An engine on an up-to-date ledger in a PostgreSQL database (created empty by its
    administrator; callcoach makes its tables on first use)."""
    from callcoach.db.engine import make_engine
    from callcoach.db.migrate import NewerSchema, upgrade

    url = server_url(location)
    engine = make_engine(url.render_as_string(hide_password=False))
    where = shown(location)
    try:
        found = inspect_server(engine, where)
        upgrade(engine, None, current=found.revision, empty=not found.tables)
    except NewerSchema as exc:
        engine.dispose()
        raise StoreError("{where}: {exc}", code="newer_schema", where=where, exc=exc) from None
    except DBAPIError as exc:
        engine.dispose()
        raise describe_server_error(where, exc) from None
    except StoreError:
        engine.dispose()
        raise
    return engine


def inspect_server(engine: Engine, where: str) -> ServerLedger:
    from sqlalchemy import inspect, text

    from callcoach.db.migrate import HEAD, known_revision

    with engine.connect() as conn:
        tables = tuple(sorted(inspect(conn).get_table_names()))
        revision = None
        if "alembic_version" in tables:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            revision = str(rows[0][0]) if len(rows) == 1 else None
    if tables and ("alembic_version" not in tables or revision is None):
        listed = ", ".join(tables[:SHOWN_TABLES]) + (", …" if len(tables) > SHOWN_TABLES else "")
        raise StoreError(
            "{where}: not a callcoach ledger: it holds tables {listed}; nothing was changed",
            code="server_not_a_ledger",
            where=where,
            listed=listed,
        )
    if revision is not None and revision != HEAD and not known_revision(revision):
        raise StoreError(
            "{where}: made by a newer callcoach (revision {revision}); update callcoach",
            code="server_newer_schema",
            where=where,
            revision=revision,
        )
    return ServerLedger(revision=revision, tables=tables)


# SQLSTATE classes (https://www.postgresql.org/docs/current/errcodes-appendix.html): the error
# is recognised by its code, never by its English text.
CONNECTION_CLASS = "08"
AUTH_FAILED = "28P01"
INVALID_AUTH = "28000"
UNKNOWN_DATABASE = "3D000"
READ_ONLY = "25006"
DISK_FULL = "53100"
LOCK_TIMEOUT = "55P03"
SERIALIZATION = ("40001", "40P01")


def describe_server_error(where: str, exc: BaseException) -> StoreError:
    """One clear line for what the server refused."""
    orig = getattr(exc, "orig", exc) or exc
    state = getattr(orig, "sqlstate", None) or ""
    if state in (AUTH_FAILED, INVALID_AUTH):
        return StoreError(
            "{where}: the server refused the login; set CALLCOACH_DB_PASSWORD or store it in "
            "the keyring (service callcoach-db)",
            code="server_login_refused",
            where=where,
        )
    if state == UNKNOWN_DATABASE:
        return StoreError(
            "{where}: no such database on the server (ask its administrator to create it)",
            code="server_no_database",
            where=where,
        )
    if state == READ_ONLY:
        return StoreError("{where}: the server is read-only; nothing was saved", code="server_read_only", where=where)
    if state == DISK_FULL:
        return StoreError("{where}: the server's disk is full; nothing was saved", code="server_disk_full", where=where)
    if state == LOCK_TIMEOUT or state in SERIALIZATION:
        return StoreError(
            "{where}: database is busy (another collector is writing); try again",
            code="server_busy",
            where=where,
        )
    if state.startswith(CONNECTION_CLASS) or not state:
        return StoreError(
            "{where}: cannot reach the database server ({first_line})",
            code="server_unreachable",
            where=where,
            first_line=_first_line(orig),
        )
    return StoreError(
        "{where}: database error: {first_line}", code="server_error", where=where, first_line=_first_line(orig)
    )


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def dump_server(location: str, target: Path) -> None:
    """A consistent copy of a server ledger with ``pg_dump`` (custom format, restored with
    ``pg_restore``), written whole or not at all, mode 0600. Without ``pg_dump`` on this
    machine, say how to get one instead of pretending."""
    import shutil
    import subprocess

    from callcoach.files import write_with
    from callcoach.services.errors import UserError

    program = shutil.which("pg_dump")
    if program is None:
        raise UserError(
            "{shown}: pg_dump is not installed here; install PostgreSQL's client tools "
            "(Debian: postgresql-client) or ask the server's administrator for a backup",
            code="pg_dump_missing",
            shown=shown(location),
        )
    if target.exists():
        raise UserError(
            "{target_path}: already exists; choose a new file name",
            code="target_exists",
            target_path=target,
        )
    url = server_url(location)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = url.password
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)

    def fill(into: Path) -> None:
        done = subprocess.run(
            [program, "--format=custom", "--no-owner", f"--file={into}", libpq],
            env=environment,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if done.returncode != 0:
            detail = (done.stderr.strip().splitlines() or ["failed"])[-1]
            raise UserError(
                "{shown}: pg_dump failed: {detail}", code="pg_dump_failed", shown=shown(location), detail=detail
            )

    write_with(target, fill)
