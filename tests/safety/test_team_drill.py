"""Issue 19, done when: the team drill reports zero double claims and zero lost writes, on
both engines (four collectors claiming, calling, paying while an import runs)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# `python scripts/team_drill.py` runs a minute; the suite a sixth of that per engine, which here
# still ends some 90 calls with 10 refused claims and 20 payments (8 s did, under load).
SECONDS = 10.0

pytestmark = [pytest.mark.slow, pytest.mark.both_engines]


def _drill():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("team_drill", ROOT / "scripts" / "team_drill.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["team_drill"] = module
    spec.loader.exec_module(module)
    return module


def test_four_collectors_at_once_claim_no_call_twice_and_lose_nothing(
    ledger_location: Path | str, tmp_path: Path
) -> None:
    report = _drill().run_drill(ledger_location, SECONDS, tmp_path)
    print("\n".join(report.lines()))
    assert report.failures == []
    assert report.double_claims == []
    assert report.lost_writes == []
    assert report.calls > 20 and report.refused > 0  # they really worked, and really collided
    assert report.payments > 2 and report.imported > 0
