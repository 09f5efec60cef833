"""Crash reports without personal data: exception type and stack frames only.

An exception's message or a frame's local variables can hold a debtor's name or a note,
so neither is written; the frames say where it broke, which is what a fix needs.
"""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path


def write_crash_report(error: BaseException) -> Path:
    from callcoach import __version__
    from callcoach.locations import state_dir, write_private

    path = state_dir() / "crash.log"
    frames = traceback.extract_tb(error.__traceback__)
    lines = [f"--- {datetime.now(UTC).isoformat()} callcoach {__version__}", f"{type(error).__qualname__}"]
    lines += [f"  {f.filename}:{f.lineno} in {f.name}" for f in frames]
    write_private(path, ("\n".join(lines) + "\n").encode(), append=True)
    return path
