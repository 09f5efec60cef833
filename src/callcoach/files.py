"""Files the app writes appear whole or not at all, readable by the user only.

Every write path (the outbox, exports, backups, reminders, rejected lines, calendars, the
notes' fallback, logs) goes through here. A file is written to a temporary name in its
own folder (mode 0600 from its creation), flushed to the disk, then renamed over the
target: a full disk or a crash leaves the old file or none, never a half-written or
0-byte one. A failure is raised as :class:`WriteFailed`, one line that names the file
and says whether the disk is full; each interface words it in the user's language.

This module imports nothing of callcoach, so every layer may use it.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
FILE_MODE = 0o600
FOLDER_MODE = 0o700


class WriteFailed(Exception):
    """A file could not be written; nothing of it was left behind.

    ``kind`` is ``disk_full``, ``denied`` or ``io``; ``path`` the file meant. Like a
    ``UserError``, it carries a ``code`` (``file_<kind>``) and ``values`` for the playbook's
    wording (``callcoach.playbook.problems.say``)."""

    def __init__(self, path: Path, kind: str, detail: str = "") -> None:
        self.path = path
        self.kind = kind
        self.detail = detail
        self.code = f"file_{kind}"
        self.values = {"path": path, "detail": detail}
        super().__init__(self.english())

    def english(self) -> str:
        if self.kind == "disk_full":
            return f"{self.path}: disk full; nothing was saved"
        if self.kind == "denied":
            return f"{self.path}: permission denied; nothing was saved"
        return f"{self.path}: cannot write ({self.detail}); nothing was saved"


def failure(path: Path, exc: OSError) -> WriteFailed:
    """The one-line form of an ``OSError`` met while writing ``path``."""
    if exc.errno in DISK_FULL:
        return WriteFailed(path, "disk_full")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WriteFailed(path, "denied")
    return WriteFailed(path, "io", exc.strerror or str(exc))


def private_folder(path: Path) -> Path:
    """Create ``path`` and its missing parents with mode 0700 (umask or not)."""
    missing = []
    here = path
    while not here.exists():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise failure(folder, exc) from None
        with contextlib.suppress(OSError):
            folder.chmod(FOLDER_MODE)
    return path


@contextmanager
def replacing(path: Path, *, exclusive: bool = False) -> Iterator[BinaryIO]:
    """Write ``path`` through a temporary file, renamed over it only when the block ends well.

    ``exclusive`` refuses to replace a file that exists (the outbox never overwrites an
    e-mail); the check and the rename are one step (``os.link``), so two writers cannot
    both win."""
    path = Path(path)
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.{id(path):x}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except OSError as exc:
        raise failure(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if exclusive:
            os.link(tmp, path)
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exclusive and isinstance(exc, FileExistsError):
            raise
        raise failure(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _sync_folder(folder)


def write_whole(path: Path, data: bytes, *, exclusive: bool = False) -> Path:
    """``data`` in ``path``, whole or not at all, mode 0600."""
    with replacing(path, exclusive=exclusive) as out:
        out.write(data)
    return Path(path)


def write_with(path: Path, fill: Callable[[Path], None]) -> Path:
    """A file another library writes by name (a SQLite backup): it writes a temporary file
    beside ``path``, which is then renamed over it; on failure nothing is left."""
    path = Path(path)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        os.close(fd)
        fill(tmp)
        os.chmod(tmp, FILE_MODE)
        with open(tmp, "rb+") as out:
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise failure(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _sync_folder(path.parent)
    return path


def append_line(path: Path, data: bytes) -> None:
    """Add one record to a log, whole or not at all: what a full disk cut short is taken back."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    except OSError as exc:
        raise failure(path, exc) from None
    try:
        size = os.fstat(fd).st_size
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise failure(path, exc) from None
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """The rename itself reaches the disk (a crash right after keeps the new file)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
