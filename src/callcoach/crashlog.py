"""Crash reports without personal data: exception type and stack frames only.

An exception's message or a frame's local variables can hold a debtor's name or a note,
so neither is written; the frames say where it broke, which is what a fix needs.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path


def write_crash_report(error: BaseException) -> Path:
    from callcoach import __version__
    from callcoach.locations import state_dir

    path = state_dir() / "crash.log"
    frames = traceback.extract_tb(error.__traceback__)
    lines = [f"--- {datetime.now(UTC).isoformat()} callcoach {__version__}", f"{type(error).__qualname__}"]
    lines += [f"  {f.filename}:{f.lineno} in {f.name}" for f in frames]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as log:
        log.write("\n".join(lines) + "\n")
    return path
