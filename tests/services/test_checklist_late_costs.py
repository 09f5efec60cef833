"""The checklist's late-cost lines (domain 2.6, 8): figures on every overdue B2B invoice, said
plainly when the law gives none, provisional when a half-year's rate is not published yet."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine

from callcoach.db.engine import session_scope
from callcoach.db.tables import Debtor, Invoice, Payment
from callcoach.domain.clock import Clock
from callcoach.presenting import Presenter
from callcoach.services.checklist import build_checklist
from callcoach.services.debtors import debtor_file
from callcoach.services.settings import get_settings

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _lines(engine: Engine, kind: str, *, paid_late: bool = False, lang: str = "en") -> list[str]:
    with session_scope(engine) as s:
        debtor = Debtor(name=f"{kind} debtor", name_key=f"{kind} debtor", kind=kind)
        s.add(debtor)
        s.flush()
        s.add(
            Invoice(
                debtor_id=debtor.id,
                number="O-1",
                issue_date=date(2026, 5, 1),
                due_date=date(2026, 5, 31),
                amount_cents=100_000,
            )
        )
        if paid_late:
            late = Invoice(
                debtor_id=debtor.id,
                number="P-1",
                issue_date=date(2026, 4, 1),
                due_date=date(2026, 4, 30),
                amount_cents=100_000,
                paid_cents=100_000,
                status="paid",
            )
            s.add(late)
            s.flush()
            s.add(Payment(invoice_id=late.id, amount_cents=100_000, paid_on=date(2026, 6, 30), recorded_at=NOW))
        s.flush()
        file = debtor_file(s, debtor.id)  # type: ignore[arg-type]
        items = build_checklist(file, get_settings(s), Presenter(lang, Clock.fixed(NOW, UTC)))
    [late] = [i for i in items if i.key == "late_costs"]
    return [line.text for line in late.lines]


def test_every_overdue_business_invoice_has_its_figures_even_past_the_bundled_rates(engine: Engine) -> None:
    lines = _lines(engine, "small_company", paid_late=True)
    # 1,000 from 01/06 to 01/12/2026 (184 days) at 12.15 %, 2026-1's rate used again for 2026-2:
    # 1000 x 12.15 % x 184/365 = 61.25.
    assert lines[0] == "O-1: 184 d late, interest €61.25, indemnity €40.00"
    # Due 30/04, paid 30/06: 61 days at 12.15 % = 20.31, and the 40 € still owed.
    assert lines[1] == "P-1 paid late: €20.31 interest + €40.00 indemnity unclaimed"
    assert lines[2].startswith(
        "⚠ Provisional: no published rate yet for 2026-2, the last known rate is used; add it to "
    )
    assert lines[2].endswith("rates/fr.toml")
    assert lines[3] == "Total the client could owe today: €1,101.25"


def test_a_public_body_owes_ecb_plus_8_and_is_told_so(engine: Engine) -> None:
    lines = _lines(engine, "public_body", lang="fr")
    assert lines[0].startswith("Organisme public : taux BCE + 8 points")
    # 2.15 + 8 = 10.15 % fixed from June: 1,000 x 10.15 % x 184/365 = 51.17.
    assert lines[1] == "O-1 : 184 j de retard, intérêts 51,17\u00a0€, indemnité 40,00\u00a0€"


def test_a_private_individual_is_told_what_the_law_gives(engine: Engine) -> None:
    assert _lines(engine, "individual") == [
        "Private individual: no B2B penalties or indemnity; the legal interest rate runs only from a formal"
        " notice, and none has been sent for these invoices"
    ]
