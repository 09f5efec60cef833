"""The last resort for notes: a file, when the database cannot take them."""

from __future__ import annotations

import json
import os
from pathlib import Path


def save_draft_file(values: dict[str, object]) -> Path:
    from callcoach.locations import state_dir

    path = state_dir() / f"draft-call-{values['call_id']}.json"
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(values, out, ensure_ascii=False, indent=2)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    return path
