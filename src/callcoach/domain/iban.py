"""IBAN check (ISO 13616, mod 97)."""

from __future__ import annotations

import re


def normalise_iban(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def iban_is_valid(value: str) -> bool:
    iban = normalise_iban(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(digits) % 97 == 1
