"""Every test gets its own callcoach home, database and a fixed "today"."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine

from callcoach.domain.clock import Clock

# CI runs the same examples every time, so a landing never depends on luck; local runs keep
# exploring new inputs (that is how the "Atf-8" encoding bug was found).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

TODAY = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("CALLCOACH_HOME", str(home))
    monkeypatch.setenv("CALLCOACH_CONFIG", str(home / "config.toml"))
    monkeypatch.delenv("CALLCOACH_DB", raising=False)
    monkeypatch.setenv("CALLCOACH_LANG", "en")
    from callcoach.playbook import load

    load.cache_clear()
    return home


@pytest.fixture
def clock() -> Clock:
    return Clock.fixed(TODAY, UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.sqlite"


@pytest.fixture
def engine(db_path: Path) -> Engine:
    from callcoach.services.store import open_ledger

    eng = open_ledger(db_path)
    yield eng
    eng.dispose()
