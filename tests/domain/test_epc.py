from __future__ import annotations

import pytest

from callcoach.domain.epc import EpcError, TransferRequest, epc_payload, qr_png, qr_text_lines


def test_payload_follows_epc069_12() -> None:
    payload = epc_payload(
        TransferRequest("Atelier Lumen", "FR76 3000 6000 0112 3456 7890 189", 25000, bic="AGRIFRPP", reference="RF30L1")
    )
    assert payload.split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "AGRIFRPP",
        "Atelier Lumen",
        "FR7630006000011234567890189",
        "EUR250.00",
        "",
        "RF30L1",
    ]


def test_free_text_when_the_reference_is_not_rf() -> None:
    payload = epc_payload(
        TransferRequest("Atelier Lumen", "FR7630006000011234567890189", 5, reference="+++000/0000/00707+++")
    )
    assert payload.split("\n")[-3:] == ["", "", "+++000/0000/00707+++"]


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (TransferRequest("X", "FR7612542547256985425874698", 100), "IBAN"),
        (TransferRequest("X", "FR7630006000011234567890189", 0), "amount"),
        (TransferRequest("", "FR7630006000011234567890189", 100), "payee name"),
    ],
)
def test_refusals_say_why(request_: TransferRequest, reason: str) -> None:
    with pytest.raises(EpcError, match=reason):
        epc_payload(request_)


def test_the_code_is_drawn_and_saved() -> None:
    payload = epc_payload(TransferRequest("Atelier Lumen", "FR7630006000011234567890189", 25000))
    lines = qr_text_lines(payload)
    assert len({len(line) for line in lines}) == 1 and len(lines) >= 12
    assert set("".join(lines)) <= {" ", "▀", "▄", "█"}
    assert qr_png(payload).startswith(b"\x89PNG")
    # Dark modules are ink: the top edge of the top-left finder pattern (7 dark modules over
    # a row that is dark, light x5, dark) reads as a full block, five upper halves, a full block.
    assert lines[0].strip() == "" and lines[1][2:9] == "█▀▀▀▀▀█"
