"""Start the app on an opened ledger (imports textual only when the desk is opened)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from callcoach.domain.clock import Clock


def launch(*, engine: Engine, db_path: Path, lang: str, clock: Clock, demo: bool = False) -> None:
    from callcoach.services.desk import Desk
    from callcoach.tui.app import CallCoachApp

    app = CallCoachApp(Desk(engine, clock=clock, lang=lang), demo=demo)
    app.run()
