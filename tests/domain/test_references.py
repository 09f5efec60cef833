from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callcoach.domain.iban import iban_is_valid
from callcoach.domain.references import (
    ReferenceError_,
    check_creditor_reference,
    check_structured_communication,
    creditor_reference,
    structured_communication,
)


def test_the_belgian_example_from_the_domain_notes() -> None:
    # 1234567890 mod 97 = 2 (97 × 12727504 = 1234567888).
    assert structured_communication("1234567890") == "+++123/4567/89002+++"
    assert check_structured_communication("+++123/4567/89002+++") == "+++123/4567/89002+++"


def test_a_remainder_of_zero_gives_97() -> None:
    assert structured_communication("97") == "+++000/0000/09797+++"


@pytest.mark.parametrize(("value", "reason"), [("+++123/4567/89003+++", "should be 02"), ("123", "12 digits")])
def test_bad_structured_communications_say_why(value: str, reason: str) -> None:
    with pytest.raises(ReferenceError_, match=reason):
        check_structured_communication(value)


def test_iso_11649_example() -> None:
    assert check_creditor_reference("RF18 5390 0754 7034") == "RF18539007547034"
    assert creditor_reference("539007547034") == "RF18539007547034"
    with pytest.raises(ReferenceError_, match="check digits"):
        check_creditor_reference("RF19539007547034")


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-/ ", min_size=1, max_size=30))
def test_generated_references_always_validate(seed: str) -> None:
    assert check_creditor_reference(creditor_reference(seed))
    assert check_structured_communication(structured_communication(seed))


def test_ibans() -> None:
    assert iban_is_valid("FR76 3000 6000 0112 3456 7890 189")
    assert iban_is_valid("BE91000000143476")
    assert not iban_is_valid("FR76 1254 2547 2569 8542 5874 698")
    assert not iban_is_valid("not an iban")
