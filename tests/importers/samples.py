"""The shared sample files (``../shared/samples``): real exports, never copied into the project.

A test that needs one skips on a developer's machine without them, and fails under CI, so
a green CI always means the samples were read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared" / "samples"


def shared_sample(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must run the sample-based tests")
        pytest.skip(f"{path} not present")
    return path
