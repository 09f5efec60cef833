"""The layers hold: import-linter's contracts in pyproject.toml, checked on every run.

domain imports nothing of callcoach; db only domain; importers only domain; the services
never the interfaces nor textual; the TUI and the CLI never the database layer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> list[str]:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert found, "import-linter is not installed beside this Python (it is a test dependency)"
    return [found]


def test_the_import_contracts_hold() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(
        [*_lint_imports(), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    report = out.stdout + out.stderr
    assert out.returncode == 0, report
    assert "0 broken" in report and "tui and cli never import db, sqlalchemy or sqlmodel KEPT" in report


def test_the_interfaces_name_no_database_module() -> None:
    """Not even in a comment or a type hint: the TUI and the CLI speak to services only."""
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("tui", "cli")
        for path in sorted((ROOT / "src" / "callcoach" / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "callcoach.db" in line or "sqlalchemy" in line or "sqlmodel" in line
    ]
    assert offenders == []
