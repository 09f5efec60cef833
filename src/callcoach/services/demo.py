"""The demo ledger: data/demo imported through the normal path into its own database."""

from __future__ import annotations

import tomllib
from pathlib import Path

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.locations import demo_data_dir
from callcoach.services.errors import UserError
from callcoach.services.importing import import_csv
from callcoach.services.settings import get_settings, set_setting
from callcoach.services.store import open_ledger


def build_demo(path: Path, *, reset: bool, clock: Clock) -> bool:
    """Create the demo database unless it exists; return True when it was (re)built."""
    if path.exists() and not reset:
        return False
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    source = demo_data_dir()
    if not (source / "invoices.csv").is_file():
        raise UserError("{source}: demo data not found", code="demo_data_not_found", source=source)
    engine = open_ledger(path)
    try:
        with session_scope(engine) as session:
            get_settings(session)
            with (source / "settings.toml").open("rb") as f:
                for name, value in tomllib.load(f).items():
                    set_setting(session, name, str(value))
            import_csv(session, source / "invoices.csv", clock=clock)
    finally:
        engine.dispose()
    return True
