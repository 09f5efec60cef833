"""Opening a ledger: the file, its permissions and its schema."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from callcoach.db.engine import make_engine
from callcoach.db.migrate import upgrade
from callcoach.services.errors import StoreError


def open_ledger(path: Path) -> Engine:
    """An engine on an up-to-date ledger at ``path``, creating it (mode 0600) if needed."""
    path = path.expanduser()
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    if not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot create the folder ({exc.strerror})") from None
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the database ({exc.strerror})") from None
    engine = make_engine(path)
    try:
        upgrade(engine, path)
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise describe_db_error(path, exc) from None
    return engine


def describe_db_error(path: Path | str, exc: BaseException) -> StoreError:
    """One clear line for what went wrong with the database file."""
    text = str(getattr(exc, "orig", exc) or exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: database is busy (another callcoach is writing); try again")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: database is read-only; nothing was saved")
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return StoreError(f"{path}: not a callcoach database (or damaged)")
    if "disk" in text and "full" in text:
        return StoreError(f"{path}: disk full; nothing was saved")
    if "unable to open" in text:
        return StoreError(f"{path}: cannot open the database file")
    return StoreError(f"{path}: database error: {getattr(exc, 'orig', exc)}")
