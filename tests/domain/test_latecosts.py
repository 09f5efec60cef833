"""Late-payment costs against worked examples computed by hand (issue 15, cases 2 and 3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from callcoach.domain.latecosts import Basis, LateTerms, Paid, RateTable, late_cost
from callcoach.services.latecosts import LEGAL, rate_table

D = Decimal


def fr() -> LateTerms:
    table, points, indemnity = rate_table("fr")
    return LateTerms(Basis.STATUTORY, table, points, indemnity_cents=indemnity)


def cost(amount: int, due: date, as_of: date, terms: LateTerms, payments=(), paid=None, notice=None):  # type: ignore[no-untyped-def]
    paid_cents = sum(p.cents for p in payments) if paid is None else paid
    return late_cost(
        amount_cents=amount,
        paid_cents=paid_cents,
        due=due,
        payments=list(payments),
        as_of=as_of,
        terms=terms,
        notice_on=notice,
    )


def test_the_bundled_rates_are_the_published_ones() -> None:
    # France: ECB main refinancing rate on 1 January 2025 was 3.15 %, on 1 July 2025 2.15 %:
    # with the 10 points, 13.15 % and 12.15 % (the rates the worked case uses).
    table, points, _ = rate_table("fr")
    assert table.rate("2025-1")[0] + points == D("13.15")
    assert table.rate("2025-2")[0] + points == D("12.15")


def test_interest_runs_on_each_days_balance() -> None:
    # Case 2: 10,000 due 31/05/2025, 5,000 paid on 15/07/2025, as of 30/09/2025:
    # 10,000 x 13.15 % x 30/365 = 108.08 (June) + 10,000 x 12.15 % x 15/365 = 49.93 (1-15 July,
    # the payment counts from the day after) + 5,000 x 12.15 % x 77/365 = 128.16 -> 286.17.
    c = cost(1_000_000, date(2025, 5, 31), date(2025, 9, 30), fr(), [Paid(date(2025, 7, 15), 500_000)])
    assert (c.days_late, c.interest_cents, c.indemnity_cents, c.provisional) == (122, 28617, 4000, ())


def test_france_across_a_half_year_boundary() -> None:
    # 1 000,00 € due 31/05/2025, as of 10/07/2025: 30 days at 13.15 % + 10 days at 12.15 %
    # = 10.80822 + 3.32877 = 14.14 €.
    c = cost(100000, date(2025, 5, 31), date(2025, 7, 10), fr())
    assert (c.days_late, c.interest_cents, c.indemnity_cents, c.total_cents) == (40, 1414, 4000, 5414)


def test_belgium_rate_includes_its_points() -> None:
    # 1 000,00 € due 31/12/2024, as of 31/01/2025: 31 days at 11.50 %: 9.77 €.
    table, points, indemnity = rate_table("be")
    c = cost(
        100000,
        date(2024, 12, 31),
        date(2025, 1, 31),
        LateTerms(Basis.STATUTORY, table, points, indemnity_cents=indemnity),
    )
    assert (c.interest_cents, c.indemnity_cents) == (977, 4000)


def test_not_late_or_paid_on_time_costs_nothing() -> None:
    assert cost(100000, date(2025, 5, 31), date(2025, 5, 31), fr()).total_cents == 0
    on_time = cost(100000, date(2025, 5, 31), date(2025, 7, 31), fr(), [Paid(date(2025, 5, 30), 100000)])
    assert on_time.total_cents == 0 and not on_time.paid_late
    assert cost(100000, date(2025, 5, 31), date(2025, 7, 31), LateTerms(Basis.NONE)).total_cents == 0


def test_a_paid_amount_without_a_date_is_taken_as_paid_on_time() -> None:
    # 1,000 with 500 paid (no dated payment): interest only on 500: half of 14.14 = 7.07.
    c = cost(100000, date(2025, 5, 31), date(2025, 7, 10), fr(), paid=50000)
    assert c.interest_cents == 707


def test_an_invoice_paid_late_keeps_its_costs() -> None:
    # Paid in full on 10/07/2025: the interest stops that day (14.14 €), the 40 € stay owed.
    c = cost(100000, date(2025, 5, 31), date(2025, 9, 30), fr(), [Paid(date(2025, 7, 10), 100000)])
    assert (c.paid_late, c.days_late, c.interest_cents, c.indemnity_cents) == (True, 40, 1414, 4000)


def test_a_missing_rate_takes_the_last_known_one_provisionally() -> None:
    # Case 3: nothing published for 2026-2 in the bundled table: 2026-1's 2.15 + 10 = 12.15 %
    # is used, the figure flagged provisional with the file to complete; the 40 € stays.
    # 1,000 from 01/07 to 31/07/2026 (31 days) at 12.15 %: 10.32 €.
    table, points, indemnity = rate_table("fr")
    terms = LateTerms(
        Basis.STATUTORY, RateTable("fr", table.half_years, "/cfg/rates/fr.toml"), points, indemnity_cents=indemnity
    )
    c = cost(100000, date(2026, 6, 30), date(2026, 7, 31), terms)
    assert (c.interest_cents, c.indemnity_cents, c.provisional, c.where) == (
        1032,
        4000,
        ("2026-2",),
        "/cfg/rates/fr.toml",
    )


def test_a_public_body_pays_ecb_plus_8_fixed_at_the_start() -> None:
    # Interest starts 01/06/2025 (first half: ECB 3.15 %): 11.15 % for the whole delay, even
    # into the second half-year. 10,000 x 11.15 % x 122/365 = 372.68.
    table, _, _ = rate_table("fr")
    terms = LateTerms(Basis.PUBLIC_BODY, table, D(8))
    c = cost(1_000_000, date(2025, 5, 31), date(2025, 9, 30), terms)
    assert (c.interest_cents, c.indemnity_cents) == (37268, 4000)


def test_an_individual_owes_the_legal_rate_only_from_a_formal_notice() -> None:
    legal = rate_table(LEGAL)[0]
    terms = LateTerms(Basis.INDIVIDUAL, legal=legal, indemnity_cents=0)
    before = cost(100000, date(2025, 5, 31), date(2025, 9, 30), terms)
    assert (before.total_cents, before.awaiting_notice) == (0, True)
    # Notice on 31/07/2025: 61 days (August, September) at the legal rate 2.76 %: 1000 x 2.76 % x 61/365 = 4.61.
    after = cost(100000, date(2025, 5, 31), date(2025, 9, 30), terms, notice=date(2025, 7, 31))
    assert (after.interest_cents, after.indemnity_cents) == (461, 0)


def test_a_contract_rate_replaces_the_statutory_one_but_not_below_three_times_legal() -> None:
    table, _, _ = rate_table("fr")
    legal = rate_table(LEGAL)[0]
    # 15 % for 73 days in 2025-1 (legal 3.71 %, floor 11.13 %): 1000 x 15 % x 73/365 = 30.00.
    c = cost(
        100000, date(2025, 1, 1), date(2025, 3, 15), LateTerms(Basis.CONTRACT, table, contract_rate=D(15), legal=legal)
    )
    assert (c.interest_cents, c.indemnity_cents) == (3000, 4000)
    # 5 % is below the floor: the floor runs instead, 11.13 % x 73/365 on 1000 = 22.26.
    low = cost(
        100000, date(2025, 1, 1), date(2025, 3, 15), LateTerms(Basis.CONTRACT, table, contract_rate=D(5), legal=legal)
    )
    assert low.interest_cents == 2226


def test_a_new_half_year_is_added_in_the_collectors_own_rates_file(isolated_home) -> None:  # type: ignore[no-untyped-def]
    from callcoach.services.latecosts import user_rates_file

    path = user_rates_file("fr")
    assert rate_table("fr")[0].where == str(path)  # the provisional flag names this file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[half_years]\n"2026-2" = "2.00"\n', encoding="utf-8")
    # 1 000,00 € from 01/07 to 31/07/2026 (31 days) at 2.00 + 10 = 12 %: 10.19 €, no longer provisional.
    c = cost(100000, date(2026, 6, 30), date(2026, 7, 31), fr())
    assert (c.days_late, c.interest_cents, c.indemnity_cents, c.provisional) == (31, 1019, 4000, ())
    assert cost(100000, date(2025, 5, 31), date(2025, 7, 10), fr()).interest_cents == 1414
