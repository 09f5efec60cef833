"""The EPC QR code (EPC069-12, "SEPA credit transfer"): the client scans it in their banking
app and the transfer is filled in: payee, IBAN, amount and reference (domain 4.6, 5.3)."""

from __future__ import annotations

from dataclasses import dataclass

from callcoach.domain.iban import iban_is_valid, normalise_iban
from callcoach.domain.text import clean_field

MAX_CENTS = 99_999_999_999


class EpcError(ValueError):
    pass


@dataclass(frozen=True)
class TransferRequest:
    name: str
    iban: str
    amount_cents: int
    bic: str = ""
    reference: str = ""  # an ISO 11649 RF reference goes in the structured field
    text: str = ""


def epc_payload(request: TransferRequest) -> str:
    if not iban_is_valid(request.iban):
        raise EpcError("the collector's IBAN is missing or invalid: set it with `callcoach settings set iban …`")
    if not 1 <= request.amount_cents <= MAX_CENTS:
        raise EpcError("the amount must be between 0,01 € and 999 999 999,99 €")
    name = clean_field(request.name)[:70]
    if not name:
        raise EpcError("the payee name is missing: set company or collector_name")
    structured = request.reference if request.reference.upper().startswith("RF") else ""
    text = "" if structured else clean_field(request.text or request.reference)[:140]
    euros, cents = divmod(request.amount_cents, 100)
    lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        clean_field(request.bic),
        name,
        normalise_iban(request.iban),
        f"EUR{euros}.{cents:02d}",
        "",
        structured,
        text,
    ]
    return "\n".join(lines).rstrip("\n")


def qr_text_lines(payload: str) -> list[str]:
    """The code drawn with half blocks, two modules per character row, for the terminal."""
    import segno

    matrix = [list(row) for row in segno.make(payload, error="m", micro=False).matrix]
    border = [[0] * (len(matrix[0]) + 4) for _ in range(2)]
    rows = border + [[0, 0, *row, 0, 0] for row in matrix] + border
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    # Drawn black on white: a dark module is ink, so a full block; the quiet zone stays blank.
    glyph = {(1, 1): "█", (1, 0): "▀", (0, 1): "▄", (0, 0): " "}
    return [
        "".join(glyph[(top, bottom)] for top, bottom in zip(rows[y], rows[y + 1], strict=True))
        for y in range(0, len(rows), 2)
    ]


def qr_png(payload: str, scale: int = 6) -> bytes:
    import io

    import segno

    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
