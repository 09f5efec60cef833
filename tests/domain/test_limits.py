"""Named limits on imported fields, and messages that quote only the start of a value."""

from __future__ import annotations

from callcoach.domain.limits import FIELD_LIMITS, over_limits, quote, too_long


def test_a_ten_megabyte_name_is_refused_and_a_real_one_fits() -> None:
    assert too_long("customer", "SARL Dupont & Fils") is None
    assert str(too_long("customer", "x" * 10_000_000)) == "too long: 10,000,000 characters (at most 300)"
    assert str(too_long("email", "a" * 250 + "@b.fr")) == f"too long: 255 characters (at most {FIELD_LIMITS['email']})"


def test_every_field_over_its_limit_is_named() -> None:
    cells = [("customer", "ok"), ("address", "y" * 1001), ("notes-like", "z" * 1001), ("phone", "0" * 41)]
    assert [field for field, _ in over_limits(cells)] == ["address", "notes-like", "phone"]


def test_a_message_quotes_only_the_start_of_a_long_value() -> None:
    header = "Client;" * 1_500_000
    quoted = quote(header)
    assert len(quoted) < 100
    assert quoted.startswith("'Client;Client;") and quoted.endswith("(10,500,000 characters)")
    assert quote("F-1") == "'F-1'"
