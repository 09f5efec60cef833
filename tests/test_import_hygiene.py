"""The layers below the UI never pull in textual: the CLI stays fast and the rules stay testable."""

from __future__ import annotations

import subprocess
import sys

import pytest

LAYERS = [
    "callcoach",
    "callcoach.domain.money",
    "callcoach.domain.outcomes",
    "callcoach.db.tables",
    "callcoach.db.migrate",
    "callcoach.services.desk",
    "callcoach.services.importing",
    "callcoach.importers.csv_invoices",
    "callcoach.cli.main",
    "callcoach.presenting",
]


@pytest.mark.parametrize("module", LAYERS)
def test_layer_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
