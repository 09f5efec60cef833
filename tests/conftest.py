"""Every test gets its own callcoach home, database and a fixed "today"."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callcoach.domain.clock import Clock

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
