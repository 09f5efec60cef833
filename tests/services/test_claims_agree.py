"""The call list's SQL and the checklist's rule state the same amount to ask for (issue 15,
case 7): one rule in ``domain.claims``, its SQL mirror in ``services.calllist``."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete

from callcoach.db.engine import session_scope
from callcoach.db.tables import Debtor, Dispute, Invoice
from callcoach.domain.clock import Clock
from callcoach.services.calllist import call_list
from callcoach.services.debtors import debtor_file

invoice_st = st.fixed_dictionaries(
    {
        "debtor": st.integers(0, 3),
        "currency": st.sampled_from(["EUR", "EUR", "USD", "GBP"]),
        "amount": st.integers(1, 500_000),
        "paid_share": st.sampled_from([0, 0, 0.25, 0.5, 1]),
        "due_in": st.integers(-120, 20),
        "status": st.sampled_from(["open", "open", "open", "paid", "disputed", "cancelled"]),
    }
)
dispute_st = st.fixed_dictionaries(
    {
        "invoice": st.integers(0, 30),
        "amount": st.integers(1, 600_000),
        "status": st.sampled_from(["open", "open", "resolved"]),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(invoices=st.lists(invoice_st, min_size=1, max_size=14), disputes=st.lists(dispute_st, max_size=6))
def test_list_and_checklist_ask_for_the_same_amount(
    engine: Engine, clock: Clock, invoices: list[dict], disputes: list[dict]
) -> None:
    today = clock.today()
    with session_scope(engine) as s:
        for model in (Dispute, Invoice, Debtor):
            s.execute(delete(model))
        debtors = [Debtor(name=f"Debtor {n}", name_key=f"debtor {n}") for n in range(4)]
        s.add_all(debtors)
        s.flush()
        rows = []
        for n, spec in enumerate(invoices):
            amount = spec["amount"]
            rows.append(
                Invoice(
                    debtor_id=debtors[spec["debtor"]].id,
                    number=f"F-{n}",
                    issue_date=today - timedelta(days=200),
                    due_date=today + timedelta(days=spec["due_in"]),
                    amount_cents=amount,
                    paid_cents=int(amount * spec["paid_share"]),
                    currency=spec["currency"],
                    status=spec["status"],
                )
            )
        s.add_all(rows)
        s.flush()
        for spec in disputes:
            invoice = rows[spec["invoice"] % len(rows)]
            s.add(
                Dispute(
                    debtor_id=invoice.debtor_id,
                    invoice_id=invoice.id,
                    amount_cents=spec["amount"],
                    reason="generated",
                    opened_on=today,
                    status=spec["status"],
                )
            )
    with session_scope(engine) as s:
        listed: dict[int, dict[str, int]] = {}
        for row in call_list(s, clock=clock):
            listed.setdefault(row.debtor_id, {})[row.currency] = row.overdue_cents
        checklist = {
            d.id: totals
            for d in debtors
            if (totals := debtor_file(s, d.id).claimable_by_currency(today))  # type: ignore[arg-type]
        }
    assert listed == checklist


def test_a_dispute_on_an_invoice_not_yet_due_changes_nothing(engine: Engine, clock: Clock) -> None:
    """Case 7: 1,000 overdue plus a 500 dispute on an invoice not yet due: 1,000 everywhere."""
    today = clock.today()
    with session_scope(engine) as s:
        debtor = Debtor(name="Case Seven", name_key="case seven")
        s.add(debtor)
        s.flush()
        due = Invoice(
            debtor_id=debtor.id,
            number="OLD",
            issue_date=today - timedelta(days=60),
            due_date=today - timedelta(days=30),
            amount_cents=100_000,
        )
        later = Invoice(
            debtor_id=debtor.id,
            number="NEW",
            issue_date=today,
            due_date=today + timedelta(days=30),
            amount_cents=80_000,
        )
        s.add_all([due, later])
        s.flush()
        s.add(Dispute(debtor_id=debtor.id, invoice_id=later.id, amount_cents=50_000, reason="x", opened_on=today))
    with session_scope(engine) as s:
        [row] = call_list(s, clock=clock)
        file = debtor_file(s, row.debtor_id)
        assert row.overdue_cents == 100_000
        assert file.claimable_by_currency(today) == {"EUR": 100_000}
