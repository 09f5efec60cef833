"""The last resort for notes: a file, when the database cannot take them.

The file is read back at the next start when it is newer than the ledger's draft (the
database was busy or the disk full when the window closed), and removed once the
ledger holds notes at least as recent.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


def draft_path(call_id: int) -> Path:
    from callcoach.locations import state_dir

    return state_dir() / f"draft-call-{call_id}.json"


def save_draft_file(values: dict[str, object], *, saved_at: datetime | None = None) -> Path:
    """Write the call's draft beside the ledger, whole or not at all (mode 0600)."""
    from callcoach.files import write_whole

    stamped = {**values, "saved_at": (saved_at or datetime.now(UTC)).isoformat()}
    path = draft_path(int(str(values["call_id"])))
    return write_whole(path, json.dumps(stamped, ensure_ascii=False, indent=2).encode())


@dataclass(frozen=True)
class FileDraft:
    """A draft found in the fallback file."""

    call_id: int
    notes: str
    stage: str | None
    excuses: list[str]
    outcome_draft: str
    saved_at: datetime


def read_draft_file(call_id: int) -> FileDraft | None:
    """The fallback file's draft for this call, or None (absent, unreadable or damaged)."""
    try:
        raw = json.loads(draft_path(call_id).read_text(encoding="utf-8"))
        saved_at = datetime.fromisoformat(str(raw["saved_at"]))
        if saved_at.tzinfo is None:
            saved_at = saved_at.replace(tzinfo=UTC)
        return FileDraft(
            call_id=call_id,
            notes=str(raw.get("notes", "")),
            stage=str(raw["stage"]) if raw.get("stage") else None,
            excuses=[str(e) for e in raw.get("excuses", []) if e],
            outcome_draft=str(raw.get("outcome_draft", "")),
            saved_at=saved_at,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def remove_draft_file(call_id: int) -> None:
    with contextlib.suppress(OSError):
        draft_path(call_id).unlink()
