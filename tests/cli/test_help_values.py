"""--help names what each value stands for, in the reader's language ("--as-of DATE",
"--rejected FICHIER"), never the parser's type names ("<str>", "<int range>")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    ("lang", "command", "shown"),
    [
        ("fr", "show", ["--as-of DATE"]),
        ("fr", "import", ["--map CHAMP=COLONNE", "--rejected FICHIER", "--date-order ORDRE"]),
        ("en", "pay", ["--date DATE", "--method METHOD"]),
        ("en", "today", ["--top N", "--as-of DATE"]),
    ],
)
def test_options_name_their_values(tmp_path: Path, lang: str, command: str, shown: list[str]) -> None:
    code = "import sys; from callcoach.cli.main import run; sys.argv[0] = 'callcoach'; run()"  # the entry point
    env = {**os.environ, "CALLCOACH_HOME": str(tmp_path), "COLUMNS": "120"}
    result = subprocess.run(
        [sys.executable, "-c", code, "--lang", lang, command, "--help"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0
    options = result.stdout.split("Options")[1]
    for text in shown:
        assert text in options
    assert "<str>" not in options and "<int" not in options
