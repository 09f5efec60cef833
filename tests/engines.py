"""The ledger under test on both engines: SQLite (a file per test) and PostgreSQL.

The PostgreSQL server is ``CALLCOACH_TEST_PG`` (a URL without database) when set; else a
throwaway cluster is started for the session with ``scripts/pg_cluster.sh`` (which also
installs the server from the system's packages when it is missing and we are root). Each
test gets its own database, copied from a migrated template so a test costs a copy rather
than a migration. Under CI a missing server fails the tests instead of skipping them.

A new SQLite ledger opened in the test process is likewise a copy of one migrated once per
session (``new_ledgers_from_template``): the same bytes Alembic would write, without running
nineteen migrations for each test. The tests of migrations and of opening files
(``tests/db``, and those marked ``real_migrations``) run the real thing, and so does every
test that starts callcoach as a separate program.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("sqlite", "postgresql")
TEMPLATE = "callcoach_template"
BOTH_ENGINE_FOLDERS = ("services",)  # every service test runs on both engines
REAL_MIGRATION_FOLDERS = ("db",)  # migrations and opening files: never the template


class PgServer:
    """A running server and the template database every test's database is copied from."""

    def __init__(self, base: str) -> None:
        from sqlalchemy import create_engine

        self.base = base.rstrip("/")
        self.template = f"{TEMPLATE}_{uuid.uuid4().hex[:8]}"  # one per test run: two runs may share a server
        self.admin = create_engine(f"{self.base}/postgres", isolation_level="AUTOCOMMIT")
        self._make_template()

    def _make_template(self) -> None:
        from sqlalchemy import text

        from callcoach.services.store import open_ledger

        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {self.template}"))
        open_ledger(f"{self.base}/{self.template}").dispose()

    def new_database(self) -> str:
        from sqlalchemy import text

        name = f"t_{uuid.uuid4().hex[:16]}"
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {self.template}"))
        return f"{self.base}/{name}"

    def drop(self, url: str) -> None:
        from sqlalchemy import text

        name = url.rsplit("/", 1)[1]
        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def close(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)"))
        self.admin.dispose()


def _start_cluster() -> tuple[str, Path] | None:
    script = ROOT / "scripts" / "pg_cluster.sh"
    folder = Path(tempfile.mkdtemp(prefix="callcoach-pg."))
    done = subprocess.run(["bash", str(script), "start", str(folder)], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        if os.environ.get("CI"):
            raise RuntimeError(f"could not start PostgreSQL for the tests:\n{done.stderr}")
        return None
    return done.stdout.strip().splitlines()[-1], folder


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    base = os.environ.get("CALLCOACH_TEST_PG")
    folder: Path | None = None
    if not base:
        started = _start_cluster()
        if started is None:
            pytest.skip("no PostgreSQL server (set CALLCOACH_TEST_PG or install postgresql)")
        base, folder = started
    server = PgServer(base)
    try:
        yield server
    finally:
        server.close()
        if folder is not None:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg_cluster.sh"), "stop", str(folder)], timeout=120)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_engines`` (their module, class or function) run once per engine;
    the others, and those marked ``sqlite_only`` (SQLite's own files and pragmas), on SQLite
    alone under their usual names (snapshots are named after them)."""
    marked = metafunc.definition.get_closest_marker("both_engines") or metafunc.definition.path.parent.name in (
        BOTH_ENGINE_FOLDERS
    )
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only")
    if "ledger_location" in metafunc.fixturenames and marked and not sqlite_only:
        metafunc.parametrize("ledger_location", ENGINES, indirect=True)


@pytest.fixture
def ledger_location(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str | Path]:
    """Where the test's ledger lives: a SQLite file, or a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield db_path
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.new_database()
    try:
        yield url
    finally:
        server.drop(url)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A new SQLite ledger as ``open_ledger`` leaves it after running every migration."""
    from callcoach.services.store import open_ledger

    path = tmp_path_factory.mktemp("migrated") / "ledger.sqlite"
    open_ledger(path).dispose()
    assert not Path(f"{path}-wal").exists(), "the template must be whole in its main file"
    return path.read_bytes()


def _brand_new(path: Path) -> bool:
    """An empty file the user may write, with no journal beside it: what ``open_ledger`` has
    just created (or been given) and would migrate from scratch."""
    try:
        info = path.stat()
    except OSError:
        return False
    return (
        info.st_size == 0
        and bool(stat.S_IMODE(info.st_mode) & stat.S_IWUSR)
        and os.access(path.parent, os.W_OK)
        and not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))
    )


@pytest.fixture(autouse=True)
def new_ledgers_from_template(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A brand-new SQLite ledger opened in this process is filled with the migrated template's
    bytes just before ``open_ledger`` reads it, which then finds it up to date. Anything else
    (a file with content, a read-only one, a full disk) goes the usual way."""
    if request.node.get_closest_marker("real_migrations") or request.path.parent.name in REAL_MIGRATION_FOLDERS:
        return
    template: bytes = request.getfixturevalue("migrated_sqlite")
    from callcoach.services import store

    inspect_file = store.inspect_file

    def inspect_new_from_template(path: Path) -> store.LedgerFile:
        if _brand_new(path):
            try:
                path.write_bytes(template)  # the file keeps its mode (0600)
            except OSError:  # a full disk, say: emptied again, the real migrations meet it as well
                with contextlib.suppress(OSError):
                    path.write_bytes(b"")
        return inspect_file(path)

    monkeypatch.setattr(store, "inspect_file", inspect_new_from_template)
