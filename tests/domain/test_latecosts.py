"""Late-payment costs against worked examples computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from callcoach.domain.latecosts import RateMissing, late_cost
from callcoach.services.latecosts import rate_table


def test_france_across_a_half_year_boundary() -> None:
    # 1 000,00 € due 31/05/2025, as of 10/07/2025: 30 days of June at 3.15 + 10 = 13.15 %,
    # then 10 days of July at 2.15 + 10 = 12.15 %:
    # 1000 × 13.15 % × 30/365 = 10.80822; 1000 × 12.15 % × 10/365 = 3.32877; total 14.13699 -> 14.14 €.
    cost = late_cost(100000, date(2025, 5, 31), date(2025, 7, 10), rate_table("fr"))
    assert (cost.days_late, cost.interest_cents, cost.indemnity_cents, cost.total_cents) == (40, 1414, 4000, 5414)


def test_france_within_one_half_year() -> None:
    # 2 500,00 € due 15/01/2024, as of 15/03/2024: 60 days at 4.50 + 10 = 14.50 %:
    # 2500 × 14.5 % × 60/365 = 59.58904 -> 59.59 €.
    cost = late_cost(250000, date(2024, 1, 15), date(2024, 3, 15), rate_table("fr"))
    assert (cost.days_late, cost.interest_cents) == (60, 5959)


def test_belgium_rate_includes_its_points() -> None:
    # 1 000,00 € due 31/12/2024, as of 31/01/2025: 31 days at 11.50 %: 1000 × 11.5 % × 31/365 = 9.76712 -> 9.77 €.
    cost = late_cost(100000, date(2024, 12, 31), date(2025, 1, 31), rate_table("be"))
    assert (cost.interest_cents, cost.indemnity_cents) == (977, 4000)


def test_not_late_or_nothing_left_costs_nothing() -> None:
    assert late_cost(100000, date(2025, 5, 31), date(2025, 5, 31), rate_table("fr")).total_cents == 0
    assert late_cost(0, date(2025, 5, 31), date(2025, 7, 31), rate_table("fr")).total_cents == 0
    assert late_cost(100000, date(2025, 5, 31), date(2025, 7, 31), None).total_cents == 0


def test_a_contract_rate_replaces_the_statutory_one() -> None:
    # 1 000,00 € at 5 % for 73 days: 1000 × 5 % × 73/365 = 10.00 €.
    cost = late_cost(100000, date(2025, 1, 1), date(2025, 3, 15), rate_table("fr"), contract_rate=Decimal(5))
    assert cost.interest_cents == 1000


def test_a_missing_half_year_is_named() -> None:
    with pytest.raises(RateMissing, match="no late-payment rate for the second half of 2026"):
        late_cost(100000, date(2026, 6, 1), date(2026, 8, 1), rate_table("fr"))


def test_a_new_half_year_is_added_in_the_collectors_own_rates_file(isolated_home) -> None:  # type: ignore[no-untyped-def]
    from callcoach.services.latecosts import user_rates_file

    with pytest.raises(RateMissing) as missing:
        late_cost(100000, date(2026, 6, 30), date(2026, 7, 31), rate_table("fr"))
    assert "rates/fr.toml in your config folder" in str(missing.value)  # the message says where
    path = user_rates_file("fr")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[half_years]\n"2026-2" = "2.00"\n', encoding="utf-8")
    # 1 000,00 € from 01/07 to 31/07/2026 (31 days) at 2.00 + 10 = 12 %: 1000 × 12 % × 31/365 = 10.19 €.
    cost = late_cost(100000, date(2026, 6, 30), date(2026, 7, 31), rate_table("fr"))
    assert (cost.days_late, cost.interest_cents, cost.indemnity_cents) == (31, 1019, 4000)
    # The bundled history is still there underneath.
    assert late_cost(100000, date(2025, 5, 31), date(2025, 7, 10), rate_table("fr")).interest_cents > 0


def test_a_broken_rates_file_is_named_on_the_invoice(isolated_home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from callcoach.db.tables import Debtor, Invoice
    from callcoach.services.latecosts import costs, user_rates_file

    path = user_rates_file("fr")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[half_years]\n"2026-2" = 2,00\n', encoding="utf-8")
    invoice = Invoice(
        number="A-1", debtor_id=1, issue_date=date(2026, 5, 1), due_date=date(2026, 6, 1), amount_cents=100000
    )
    [entry] = costs(Debtor(name="A", name_key="a"), [invoice], as_of=date(2026, 8, 1), default_rule="fr")
    assert entry.cost is None and str(path) in (entry.problem or "") and "cannot read" in (entry.problem or "")
