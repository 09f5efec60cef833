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
USER_SCHEMAS = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
# What a ledger database is made of besides its rows: tables and columns, indexes, constraints,
# functions, triggers, views, types, schemas, extensions, sequences (and where they stand), the
# schema revision, the database's own settings. A used database whose rows were emptied is
# handed to the next test only when this reads the same as on the template.
SHAPE = f"""
SELECT md5(concat_ws(' | ',
  (SELECT string_agg(format('%s.%s.%s %s %s %s', table_schema, table_name, column_name, data_type,
          is_nullable, column_default), ', ' ORDER BY table_schema, table_name, ordinal_position)
     FROM information_schema.columns WHERE table_schema {USER_SCHEMAS}),
  (SELECT string_agg(indexdef, ', ' ORDER BY indexdef) FROM pg_indexes WHERE schemaname {USER_SCHEMAS}),
  (SELECT string_agg(conname || ' ' || pg_get_constraintdef(c.oid), ', ' ORDER BY conname, 1)
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname {USER_SCHEMAS}),
  (SELECT string_agg(pg_get_functiondef(p.oid), ', ' ORDER BY p.proname, 1)
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname {USER_SCHEMAS} AND p.prokind IN ('f', 'p')),
  (SELECT string_agg(pg_get_triggerdef(t.oid), ', ' ORDER BY 1) FROM pg_trigger t WHERE NOT t.tgisinternal),
  (SELECT string_agg(schemaname || '.' || viewname || definition, ', ' ORDER BY 1)
     FROM pg_views WHERE schemaname {USER_SCHEMAS}),
  (SELECT string_agg(n.nspname || '.' || t.typname, ', ' ORDER BY 1)
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname {USER_SCHEMAS} AND t.typtype IN ('e', 'd', 'r', 'm')),
  (SELECT string_agg(nspname, ', ' ORDER BY 1) FROM pg_namespace  -- sessions' temporary schemas are not the ledger's
     WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'),
  (SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY 1) FROM pg_extension),
  (SELECT string_agg(format('%s.%s %s', schemaname, sequencename, last_value), ', ' ORDER BY 1) FROM pg_sequences),
  (SELECT string_agg(version_num, ', ' ORDER BY 1) FROM alembic_version),
  (SELECT count(*)::text FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
     WHERE d.datname = current_database()),
  (SELECT count(*)::text FROM pg_largeobject_metadata)
))
"""


class PgServer:
    """A running server and the template database every test's database is copied from.

    Copying the template costs the server a quarter of a second; a database a test is done
    with is instead emptied of its rows (a hundredth) and handed to the next test, when its
    shape still reads as the template's (see ``SHAPE``); otherwise it is dropped."""

    def __init__(self, base: str) -> None:
        from sqlalchemy import create_engine

        self.base = base.rstrip("/")
        self.template = f"{TEMPLATE}_{uuid.uuid4().hex[:8]}"  # one per test run: two runs may share a server
        self.admin = create_engine(f"{self.base}/postgres", isolation_level="AUTOCOMMIT")
        self._spare: list[str] = []  # emptied databases, as the template is
        self._shape = ""
        self._make_template()

    def _make_template(self) -> None:
        from sqlalchemy import text

        from callcoach.services.store import open_ledger

        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {self.template}"))
        open_ledger(f"{self.base}/{self.template}").dispose()
        self._shape = self._read_shape(self.template)

    def _read_shape(self, name: str, *, empty_first: bool = False) -> str:
        from sqlalchemy import create_engine, text
        from sqlalchemy.pool import NullPool

        engine = create_engine(f"{self.base}/{name}", poolclass=NullPool)
        try:
            with engine.begin() as conn:
                if empty_first:
                    tables = conn.execute(
                        text(
                            "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
                            f" WHERE schemaname {USER_SCHEMAS} AND tablename <> 'alembic_version'"
                        )
                    ).scalars()
                    conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
                return str(conn.execute(text(SHAPE)).scalar_one())
        finally:
            engine.dispose()

    def new_database(self) -> str:
        from sqlalchemy import text

        if self._spare:
            return f"{self.base}/{self._spare.pop()}"
        name = f"t_{uuid.uuid4().hex[:16]}"
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {self.template}"))
        return f"{self.base}/{name}"

    def drop(self, url: str) -> None:
        """Done with a test's database: kept for the next test when emptying its rows gives the
        template back, else dropped."""
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        name = url.rsplit("/", 1)[1]
        if name.startswith("t_"):
            try:
                with self.admin.connect() as conn:  # the test's own connections, left open or not
                    conn.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                            " WHERE datname = :name AND pid <> pg_backend_pid()"
                        ),
                        {"name": name},
                    )
                if self._read_shape(name, empty_first=True) == self._shape:
                    self._spare.append(name)
                    return
            except SQLAlchemyError:
                pass
        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def close(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            for name in [*self._spare, self.template]:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
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
