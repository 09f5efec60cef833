"""Every test gets its own callcoach home, database and a fixed "today"."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from hypothesis import settings
from sqlalchemy import Engine

from callcoach.domain.clock import Clock

# CI runs the same examples every time, so a landing never depends on luck; local runs keep
# exploring new inputs (that is how the "Atf-8" encoding bug was found).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

TODAY = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def _pilot_waits_shorter() -> None:
    """Pilot waits after each key until the process is idle, looking every 20 ms: at least
    40 ms a key, most of a typing test's time. It looks every 5 ms here, with the same idle
    ratio (under 5 % of a core). What a test checks after a key is still waited for by the
    pilot's own "every message queued so far handled" step, unchanged."""
    from textual import _wait

    _wait.SLEEP_GRANULARITY = 1 / 200
    _wait.SLEEP_IDLE = _wait.SLEEP_GRANULARITY / 20


_pilot_waits_shorter()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("CALLCOACH_HOME", str(home))
    monkeypatch.setenv("CALLCOACH_CONFIG", str(home / "config.toml"))
    monkeypatch.delenv("CALLCOACH_DB", raising=False)
    for name in ("HOST", "PORT", "USER", "PASSWORD", "STARTTLS"):
        monkeypatch.delenv(f"CALLCOACH_SMTP_{name}", raising=False)
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


pytest_plugins = ["tests.engines"]


@pytest.fixture
def engine(ledger_location: Path | str) -> Engine:
    """The test's ledger, opened on each engine in turn (see tests/engines.py)."""
    from callcoach.services.store import open_ledger

    eng = open_ledger(ledger_location)
    yield eng
    eng.dispose()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.password: str | None = None  # when set, the server wants this login

    def authenticate(self, server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and auth_data.password.decode() == self.password
        return AuthResult(success=ok, handled=False)

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,
        auth_exclude_mechanism=["LOGIN"],
    )
    controller.start()
    monkeypatch.setenv("CALLCOACH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CALLCOACH_SMTP_PORT", str(port))
    monkeypatch.setenv("CALLCOACH_SMTP_STARTTLS", "false")
    yield inbox
    controller.stop()
