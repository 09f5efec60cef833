"""Shared steps for the safety reproductions: a demo ledger and the CLI run in-process."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from callcoach.cli.main import app
from callcoach.domain.clock import Clock
from tests.conftest import TODAY
from tests.factories import demo_ledger_at


def demo_ledger(folder: Path, name: str = "ledger.sqlite") -> Path:
    """The demo ledger (real-looking debtors, invoices and contacts) in ``folder``."""
    return demo_ledger_at(folder / name, Clock.fixed(TODAY))


def cli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args])
