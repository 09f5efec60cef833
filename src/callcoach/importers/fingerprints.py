"""A line's fingerprint, so a re-import of a mostly unchanged export skips what it knows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

FINGERPRINT_VERSION = b"callcoach-csv-2"  # changed whenever reading a line changes meaning


class Fingerprint:
    """A line's fingerprint: its cells, with everything else that decides what they mean
    (the header, the --map options, the default payment term, the date order, the rules)."""

    def __init__(
        self, header: list[str], mapping: dict[str, str], default_term_days: int, date_order: str = ""
    ) -> None:
        context = "\x1e".join([*header, repr(sorted(mapping.items())), str(default_term_days), date_order])
        self.start = hashlib.blake2b(FINGERPRINT_VERSION + context.encode() + b"\x1d", digest_size=12)

    def __call__(self, record: list[str]) -> str:
        h = self.start.copy()
        h.update("\x1f".join(record).encode())
        return h.hexdigest()


@dataclass(slots=True)
class SkippedLine:
    """A line identical to the one an invoice last came from: counted, not read again."""

    line: int
    record: list[str]
    digest: str
