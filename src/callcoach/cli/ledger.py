"""Ledger commands: list, show, pay. They read through the services; ``cli/printers.py`` prints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from callcoach.cli.context import CliState, clock_for, state, user_errors
from callcoach.cli.printers import console, file_json, plain, print_file, print_json

if TYPE_CHECKING:
    from callcoach.domain.clock import Clock


def print_call_list(
    st: CliState, clock: Clock, *, limit: int | None, name_filter: str | None, as_json: bool = False
) -> None:
    from callcoach.cli import printers
    from callcoach.services.calllist import call_list
    from callcoach.services.followthrough import settle_promises
    from callcoach.services.units import unit_of_work

    lang = st.language()
    ledger = st.engine()
    mine = st.mine(ledger)
    with unit_of_work(ledger) as session:
        settle_promises(session, clock=clock)
        rows = call_list(session, clock=clock, name_filter=name_filter, limit=limit, mine=mine)
    if as_json:
        printers.print_json(printers.call_list_json(rows, clock))
        return
    printers.print_call_list(rows, lang, clock)


@user_errors
def list_debtors(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="As if today were DATE.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Only the first N.")] = None,
    name: Annotated[str | None, typer.Option("--filter", help="Only debtors whose name contains this.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """The call list: debtors with an overdue balance, largest first, then oldest."""
    print_call_list(state(ctx), clock_for(as_of), limit=limit, name_filter=name, as_json=as_json)


@user_errors
def show(
    ctx: typer.Context,
    debtor: Annotated[str, typer.Argument(help="Debtor id, name, or a unique part of the name.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="As if today were DATE.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """One debtor's file: contacts, invoices, payments and history."""
    from callcoach.services.debtors import debtor_file, find_debtor
    from callcoach.services.followthrough import settle_promises
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    clock = clock_for(as_of)
    with unit_of_work(st.engine()) as session:
        found = find_debtor(session, debtor)
        assert found.id is not None
        # The promises as they stand on that day: recorded today, only looked at on another day.
        settle_promises(session, clock=clock, debtor_id=found.id)
        file = debtor_file(session, found.id)
        from callcoach.services.settings import settings_in_force

        settings = settings_in_force(session)
        if as_json:
            from callcoach.services.figures import debtor_totals, invoice_figures

            figures = (debtor_totals(file, settings, clock.today()), invoice_figures(file, settings, clock.today()))
            print_json(file_json(file, clock, *figures))
            return
        from callcoach.presenting import Presenter
        from callcoach.services.checklist import late_costs_item

        late = late_costs_item(file, settings, Presenter(st.language(), clock))
    print_file(file, st.language(), clock)
    if late is not None:
        from rich.text import Text

        out = console()
        out.print(Text(late.title, style="italic"))
        for line in late.lines:
            out.print(plain(line.text))


@user_errors
def pay(
    ctx: typer.Context,
    invoice: Annotated[str, typer.Argument(help="Invoice number.")],
    amount: Annotated[str, typer.Argument(help="Amount received, e.g. 250 or 1 234,56.")],
    paid_on: Annotated[str | None, typer.Option("--date", help="Day received (default today).")] = None,
    method: Annotated[str | None, typer.Option("--method", help="transfer, cheque, card, direct_debit, cash.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="As if today were DATE.")] = None,
) -> None:
    """Record a payment received against an invoice."""
    from callcoach.domain.dates import DateError, parse_date
    from callcoach.domain.kinds import PaymentMethod
    from callcoach.domain.money import AmountError, parse_amount
    from callcoach.presenting import Presenter
    from callcoach.services.errors import UserError
    from callcoach.services.payments import record_payment
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    clock = clock_for(as_of)
    try:
        cents = parse_amount(amount)
    except AmountError as exc:
        raise UserError("amount: {exc}", code="amount_unreadable", exc=exc) from None
    try:
        day = parse_date(paid_on) if paid_on else clock.today()
    except DateError as exc:
        raise UserError("--date: {exc}", code="date_option_unreadable", exc=exc) from None
    if method and method not in {m.value for m in PaymentMethod}:
        raise UserError(
            "--method: unknown method {method!r} ({names})",
            code="method_unknown",
            method=method,
            names=", ".join(m.value for m in PaymentMethod),
        )
    with unit_of_work(st.engine()) as session:
        receipt = record_payment(
            session, invoice_number=invoice, amount_cents=cents, paid_on=day, clock=clock, method=method
        )
    p = Presenter(st.language(), clock)
    said = p.labels.get(
        "payment_line",
        invoice=receipt.invoice_number,
        amount=p.money(receipt.amount_cents, receipt.currency),
        remaining=p.money(receipt.remaining_cents, receipt.currency),
        status=p.status(receipt.status),
    )
    console().print(plain(said))
