"""Every text exists in both languages: a key one playbook has and the other lacks fails
only when a screen or an e-mail in that language needs it (an English recap once lost its
subject line and could not be written)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

PLAYBOOK = Path(__file__).resolve().parents[1] / "src" / "callcoach" / "playbook"
# An error's own message is its English; the [errors] table words a code in French and may
# word it in English too (playbook/problems.py), so English may lack some of its keys.
ENGLISH_FROM_CODE = "errors"


def texts(lang: str, name: str) -> dict[str, object]:
    return tomllib.loads((PLAYBOOK / lang / name).read_text(encoding="utf-8"))


def keys(table: dict[str, object], other: dict[str, object], prefix: str = "") -> set[str]:
    """The keys of ``table``; a sub-table empty or absent in ``other`` is skipped: one
    language words there what the other shows as is (error messages and key names in
    French, field and setting names in English)."""
    found = set()
    for key, value in table.items():
        if isinstance(value, dict):
            counterpart = other.get(key)
            if value and isinstance(counterpart, dict) and counterpart:
                found |= keys(value, counterpart, f"{prefix}{key}.")
        else:
            found.add(prefix + key)
    return found


@pytest.mark.parametrize("name", sorted(p.name for p in (PLAYBOOK / "en").glob("*.toml")))
def test_both_languages_have_the_same_texts(name: str) -> None:
    fr, en = texts("fr", name), texts("en", name)
    missing = {key for key in keys(fr, en) - keys(en, fr) if not key.startswith(f"{ENGLISH_FROM_CODE}.")}
    assert missing == set(), f"en/{name} lacks these texts"
    assert keys(en, fr) - keys(fr, en) == set(), f"fr/{name} lacks these texts"
