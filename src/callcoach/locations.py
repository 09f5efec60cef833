"""Where callcoach keeps its files: the user's data, config and state directories.

``CALLCOACH_HOME`` puts everything under one folder (tests, a portable install).
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "callcoach"


def _home_override() -> Path | None:
    home = os.environ.get("CALLCOACH_HOME")
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    home = _home_override()
    if home:
        return _private_dir(home / "data")
    from platformdirs import user_data_path

    return _private_dir(user_data_path(APP))


def config_dir() -> Path:
    home = _home_override()
    if home:
        return _private_dir(home / "config")
    from platformdirs import user_config_path

    return _private_dir(user_config_path(APP))


def state_dir() -> Path:
    home = _home_override()
    if home:
        return _private_dir(home / "state")
    from platformdirs import user_state_path

    return _private_dir(user_state_path(APP))


def default_db_path() -> Path:
    return data_dir() / "callcoach.sqlite"


def demo_db_path() -> Path:
    return data_dir() / "demo.sqlite"


def bundled_data(name: str) -> Path:
    """A folder of ``data/`` (demo ledger, rates): the source tree's, or the copy packed in the wheel."""
    source_tree = Path(__file__).resolve().parents[2] / "data" / name
    if source_tree.is_dir():
        return source_tree
    return Path(__file__).resolve().parent / "_data" / name


def demo_data_dir() -> Path:
    return bundled_data("demo")


def _private_dir(path: Path) -> Path:
    """Debtors' personal data lives here: readable by the user only, with every folder this
    creates on the way (``CALLCOACH_HOME`` included) mode 0700."""
    from callcoach.files import private_folder

    return private_folder(path)


def write_private(path: Path, data: bytes, *, append: bool = False) -> None:
    """Write a file readable by the user only (mode 0600 from its creation), whole or not at
    all: logs, exports, calendars hold personal data or point at it."""
    from callcoach.files import append_line, write_whole

    if append:
        append_line(path, data)
    else:
        write_whole(path, data)
