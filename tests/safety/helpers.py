"""Shared steps for the safety reproductions: a demo ledger and the CLI run in-process."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from callcoach.cli.main import app
from callcoach.domain.clock import Clock
from tests.conftest import TODAY


def demo_ledger(folder: Path, name: str = "ledger.sqlite") -> Path:
    """The demo ledger (real-looking debtors, invoices and contacts) in ``folder``."""
    from callcoach.services.demo import build_demo

    db = folder / name
    build_demo(db, reset=True, clock=Clock.fixed(TODAY))
    return db


def cli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args])
