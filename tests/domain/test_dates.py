from __future__ import annotations

from datetime import date

import pytest

from callcoach.domain.dates import DateError, parse_date, parse_user_date


@pytest.mark.parametrize("text", ["31/12/2025", "31.12.2025", "2025-12-31", "31-12-2025", "20251231"])
def test_export_date_forms(text: str) -> None:
    assert parse_date(text) == date(2025, 12, 31)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("31/02/2025", "no such date"), ("2025/12/31", "not a date"), ("", "empty"), ("12/2025", "not a date")],
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_date(text)


def test_what_a_collector_types() -> None:
    today = date(2026, 11, 26)
    assert parse_user_date("+3", today) == date(2026, 11, 29)
    assert parse_user_date("30/11", today) == date(2026, 11, 30)
    assert parse_user_date("05/01/2027", today) == date(2027, 1, 5)
