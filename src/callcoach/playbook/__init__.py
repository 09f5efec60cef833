"""The call script, coaching tips and UI labels as data files, one folder per language.

A user's own copy in ``<config dir>/playbook/<lang>/<file>.toml`` overrides the shipped one
key by key, so a collector can reword the script without touching the code.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@cache
def load(name: str, lang: str) -> dict[str, Any]:
    """The shipped ``<lang>/<name>.toml`` with the user's own copy laid over it."""
    with (HERE / lang / f"{name}.toml").open("rb") as f:
        data = tomllib.load(f)
    from callcoach.locations import config_dir

    own = config_dir() / "playbook" / lang / f"{name}.toml"
    if own.is_file():
        try:
            with own.open("rb") as f:
                data = _merge(data, tomllib.load(f))
        except tomllib.TOMLDecodeError as exc:
            from callcoach.errors import UserError

            raise UserError("{own}: not valid TOML ({exc})", code="playbook_not_toml", own=own, exc=exc) from None
    return data


class Labels:
    """UI words for one language: ``labels["overdue"]``; a missing key shows itself.
    ``name``: which file of the language's folder (``ui``, or one screen's own, ``overview``)."""

    def __init__(self, lang: str, name: str = "ui") -> None:
        self.lang = lang
        self._name = name
        self._words: dict[str, str] = load(name, lang)

    def __getitem__(self, key: str) -> str:
        return self._words.get(key, key)

    def __contains__(self, key: str) -> bool:
        return key in self._words

    def table(self, name: str) -> dict[str, str]:
        """A sub-table of the file (``[builtin_keys]``), as plain strings; empty when absent."""
        found = load(self._name, self.lang).get(name, {})
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}

    def get(self, key: str, **values: object) -> str:
        text = self[key]
        return text.format(**values) if values else text
