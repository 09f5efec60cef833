"""Payment references the client types into their bank (domain 6).

Belgian structured communication: ten digits and their two-digit mod-97 check (97 when the
remainder is 0), written +++123/4567/89002+++. ISO 11649 creditor reference: "RF", two
check digits, then up to 21 letters or digits, valid when the rearranged number is 1 mod 97.
"""

from __future__ import annotations

import re


class ReferenceError_(ValueError):
    """A reference that fails its check; the message says why."""


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def structured_communication(seed: str) -> str:
    """The +++ddd/dddd/ddddd+++ reference for an invoice or plan number (its digits, padded)."""
    base = (_digits(seed) or "0")[-10:].rjust(10, "0")
    check = int(base) % 97 or 97
    full = f"{base}{check:02d}"
    return f"+++{full[:3]}/{full[3:7]}/{full[7:]}+++"


def check_structured_communication(value: str) -> str:
    digits = _digits(value)
    if len(digits) != 12:
        raise ReferenceError_(f"{value!r}: a structured communication has 12 digits, not {len(digits)}")
    base, check = int(digits[:10]), int(digits[10:])
    expected = base % 97 or 97
    if check != expected:
        raise ReferenceError_(f"{value!r}: check digits {check:02d} should be {expected:02d}")
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def _as_number(text: str) -> int:
    return int("".join(str(int(c, 36)) for c in text))


def creditor_reference(seed: str) -> str:
    """ISO 11649 RF reference for an invoice number (letters and digits kept, 21 at most)."""
    body = re.sub(r"[^0-9A-Za-z]", "", seed).upper()[-21:] or "0"
    check = 98 - _as_number(body + "RF00") % 97
    return f"RF{check:02d}{body}"


def check_creditor_reference(value: str) -> str:
    ref = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"RF\d{2}[0-9A-Z]{1,21}", ref):
        raise ReferenceError_(f"{value!r}: an RF reference is RF, two digits, then 1 to 21 letters or digits")
    if _as_number(ref[4:] + ref[:4]) % 97 != 1:
        raise ReferenceError_(f"{value!r}: check digits do not match")
    return ref


def payment_reference(iban: str, seed: str) -> str:
    """The reference the client types for a transfer to ``iban``: the Belgian structured
    communication only for a Belgian account (Belgian banks check it); the ISO 11649 RF
    creditor reference everywhere else in SEPA. A reference the invoice already carries in
    either form is kept as it is."""
    belgian = iban.replace(" ", "").upper().startswith("BE")
    try:
        if belgian:
            return check_structured_communication(seed)
        return check_creditor_reference(seed)
    except ReferenceError_:
        pass
    return structured_communication(seed) if belgian else creditor_reference(seed)
