from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.services.desk import Desk
from callcoach.services.settings import set_setting
from callcoach.tui.app import CallCoachApp
from tests.factories import small_ledger

START = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


class MovingClock:
    """A clock the test moves by hand: calls start at one time and end at another."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def moving() -> MovingClock:
    return MovingClock()


@pytest.fixture
def ledger(tmp_path: Path, engine: Engine, clock: Clock) -> Engine:
    small_ledger(tmp_path, engine, clock)
    with session_scope(engine) as session:
        set_setting(session, "collector_name", "Camille Martin")
        set_setting(session, "company", "Atelier Lumen")
    return engine


@pytest.fixture
def make_app(ledger: Engine, moving: MovingClock):  # type: ignore[no-untyped-def]
    def build(lang: str = "en") -> CallCoachApp:
        return CallCoachApp(Desk(ledger, clock=Clock(now=moving, tz=UTC), lang=lang), recover=False)

    return build
