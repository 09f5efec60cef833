"""Ledger commands: import, list, show, pay."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from callcoach.cli.context import CliState, clock_for, state, user_errors

if TYPE_CHECKING:
    from callcoach.domain.clock import Clock


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def _plain(value: object) -> Any:
    """Untrusted text as a Rich Text: never parsed as markup, controls stripped."""
    from rich.text import Text

    from callcoach.domain.text import clean_field

    return Text(clean_field("" if value is None else str(value)))


def print_call_list(
    st: CliState, clock: Clock, *, limit: int | None, name_filter: str | None, as_json: bool = False
) -> None:
    from rich.table import Table

    from callcoach.presenting import Presenter
    from callcoach.services.calllist import call_list
    from callcoach.services.followthrough import settle_promises
    from callcoach.services.units import unit_of_work

    lang = st.language()
    with unit_of_work(st.engine()) as session:
        settle_promises(session, clock=clock)
        rows = call_list(session, clock=clock, name_filter=name_filter, limit=limit)
    today = clock.today()
    if as_json:
        _console().out(
            json.dumps(
                [
                    {
                        "rank": rank,
                        "debtor_id": r.debtor_id,
                        "name": r.name,
                        "currency": r.currency,
                        "overdue_cents": r.overdue_cents,
                        "oldest_due": r.oldest_due.isoformat(),
                        "age_days": r.age_days(today),
                        "overdue_invoices": r.overdue_invoices,
                        "last_contact": r.last_contact.isoformat() if r.last_contact else None,
                        "promises_pending": r.promises_pending,
                        "promises_broken": r.promises_broken,
                        "open_disputes": r.open_disputes,
                        "in_difficulty": r.in_difficulty,
                        "waiting": r.waiting,
                    }
                    for rank, r in enumerate(rows, 1)
                ],
                ensure_ascii=False,
                indent=2,
            ),
            highlight=False,
        )
        return
    p = Presenter(lang, clock)
    L = p.labels
    if not rows:
        _console().print(L["call_list_empty"])
        return
    table = Table(title=f"{L['call_list_title']} — {today:%d/%m/%Y}", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(L["debtor"])
    table.add_column(L["overdue"], justify="right")
    table.add_column(L["age"], justify="right")
    table.add_column(L["invoices"], justify="right")
    table.add_column(L["last_contact"])
    table.add_column(L["state"])
    for rank, r in enumerate(rows, 1):
        table.add_row(
            str(rank),
            _plain(r.name),
            p.money(r.overdue_cents, r.currency),
            p.age(r.age_days(today)),
            str(r.overdue_invoices),
            p.since(r.last_contact),
            _plain(", ".join(p.badges(r))),
        )
    _console().print(table)


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
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    clock = clock_for(as_of)
    with unit_of_work(st.engine(), write=False) as session:
        found = find_debtor(session, debtor)
        assert found.id is not None
        file = debtor_file(session, found.id)
        from callcoach.services.settings import settings_in_force

        settings = settings_in_force(session)
        if as_json:
            from callcoach.services.figures import debtor_totals, invoice_figures

            figures = (debtor_totals(file, settings, clock.today()), invoice_figures(file, settings, clock.today()))
            _console().out(json.dumps(_file_json(file, clock, *figures), ensure_ascii=False, indent=2), highlight=False)
            return
        from callcoach.presenting import Presenter
        from callcoach.services.checklist import late_costs_item

        late = late_costs_item(file, settings, Presenter(st.language(), clock))
    _print_file(file, st.language(), clock)
    if late is not None:
        from rich.text import Text

        out = _console()
        out.print(Text(late.title, style="italic"))
        for line in late.lines:
            out.print(_plain(line.text))


def _file_json(file: Any, clock: Clock, totals: dict[str, Any], late: dict[str, Any]) -> dict[str, Any]:
    """Every figure from ``services.figures``; the rest of the file as it is."""
    today = clock.today()
    d = file.debtor
    numbers = {i.id: i.number for i in file.invoices}
    return {
        **totals,
        "id": d.id,
        "name": d.name,
        "kind": d.kind,
        "address": d.address,
        "email": d.email,
        "language": d.language,
        "in_difficulty": d.in_difficulty,
        "as_of": today.isoformat(),
        "contacts": [
            {
                "name": c.name,
                "role": c.role,
                "phone": c.phone,
                "email": c.email,
                "can_release_payment": c.can_release_payment,
                "primary": c.is_primary,
            }
            for c in file.contacts
        ],
        "invoices": [
            {
                "number": i.number,
                "issue_date": i.issue_date.isoformat(),
                "due_date": i.due_date.isoformat(),
                "payment_term_days": i.payment_term_days,
                "amount_cents": i.amount_cents,
                "paid_cents": i.paid_cents,
                "remaining_cents": i.amount_cents - i.paid_cents,
                "currency": i.currency,
                "status": i.status,
                "days_late": max(0, (today - i.due_date).days),
                **late.get(i.number, {}),
                "po_number": i.po_number,
                "doc_type": i.doc_type,
                "due_basis": i.due_basis,
                "buyer_reference": i.buyer_reference,
                "payment_reference": i.payment_reference,
                "copy_path": i.copy_path,
                "product": i.product,
            }
            for i in file.invoices
        ],
        "calls": [
            {
                "started_at": c.started_at.isoformat(),
                "ended_at": c.ended_at.isoformat() if c.ended_at else None,
                "outcome": c.outcome,
                "notes": c.notes,
            }
            for c in file.calls
        ],
        "promises": [
            {
                "amount_cents": p.amount_cents,
                "due_date": p.due_date.isoformat(),
                "method": p.method,
                "status": p.status,
                "received_cents": p.received_cents,
            }
            for p in file.promises
        ],
        "follow_ups": [
            {
                "id": f.id,
                "kind": f.kind,
                "what": f.what,
                "due_at": f.due_at.isoformat(),
                "done_at": f.done_at.isoformat() if f.done_at else None,
                "resolution": f.resolution,
                "reason": f.reason,
            }
            for f in file.follow_ups
        ],
        "disputes": [
            {
                "id": d.id,
                "invoice_id": d.invoice_id,
                "amount_cents": d.amount_cents,
                "reason": d.reason,
                "status": d.status,
                "opened_on": d.opened_on.isoformat(),
            }
            for d in file.disputes
        ],
        "reminder_level": reached.level if (reached := file.reminder_reached()) else 0,
        "reminders": [
            {
                "invoice": numbers.get(r.invoice_id),
                "level": r.level,
                "sent_on": r.created_at.date().isoformat(),
            }
            for r in file.reminders
        ],
        "payments": [
            {
                "invoice_id": p.invoice_id,
                "amount_cents": p.amount_cents,
                "paid_on": p.paid_on.isoformat(),
                "source": p.source,
            }
            for p in file.payments
        ],
    }


def _print_file(file: Any, lang: str, clock: Clock) -> None:
    from rich.table import Table
    from rich.text import Text

    from callcoach.presenting import Presenter

    p = Presenter(lang, clock)
    L = p.labels
    out = _console()
    d = file.debtor
    today = clock.today()
    title = Text(d.name, style="bold")
    title.append(f"  ({p.kind(d.kind)})", style="dim")
    out.print(title)
    out.print(Text(f"{L['address']}: ").append(_plain(d.address or L["missing"])))
    out.print(Text(f"{L['email']}: ").append(_plain(d.email or L["missing"])))
    from callcoach.services.checklist import reminder_line

    reminder = reminder_line(file, p)
    if reminder is not None:
        out.print(Text(reminder.text))
    contacts = Table(title=L["contacts"], title_justify="left")
    for col in ("contact", "role", "phone", "email", "can_release"):
        contacts.add_column(L[col] if col != "contact" else "Contact")
    for c in file.contacts:
        contacts.add_row(
            _plain(c.name), _plain(c.role), _plain(c.phone), _plain(c.email), p.authority(c.can_release_payment)
        )
    out.print(contacts)
    invoices = Table(title=L["invoices"], title_justify="left")
    for col, justify in (
        ("number", "left"),
        ("due_date", "left"),
        ("age", "right"),
        ("amount", "right"),
        ("remaining", "right"),
        ("status", "left"),
        ("po", "left"),
        ("product", "left"),
    ):
        invoices.add_column(
            L["po_short"] if col == "po" else L[col],
            justify=justify,  # type: ignore[arg-type]
            no_wrap=col != "product",
        )
    for i in file.invoices:
        late = (today - i.due_date).days
        invoices.add_row(
            _plain(i.number),
            p.day(i.due_date),
            p.age(late) if late > 0 and i.status == "open" else "",
            p.money(i.amount_cents, i.currency),
            p.money(i.amount_cents - i.paid_cents, i.currency),
            p.status(i.status),
            _plain(i.po_number or ""),
            _plain(i.product or ""),
        )
    out.print(invoices)
    if file.calls:
        calls = Table(title=L["calls"], title_justify="left")
        calls.add_column("")
        calls.add_column("")
        calls.add_column("")
        for c in file.calls:
            calls.add_row(p.since(c.started_at), c.outcome or "…", _plain(c.notes))
        out.print(calls)


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
        raise UserError(f"amount: {exc}") from None
    try:
        day = parse_date(paid_on) if paid_on else clock.today()
    except DateError as exc:
        raise UserError(f"--date: {exc}") from None
    if method and method not in {m.value for m in PaymentMethod}:
        raise UserError(f"--method: unknown method {method!r} ({', '.join(m.value for m in PaymentMethod)})")
    with unit_of_work(st.engine()) as session:
        receipt = record_payment(
            session, invoice_number=invoice, amount_cents=cents, paid_on=day, clock=clock, method=method
        )
    p = Presenter(st.language(), clock)
    _console().print(
        _plain(
            f"{receipt.invoice_number}: {p.money(receipt.amount_cents, receipt.currency)} recorded; "
            f"remaining {p.money(receipt.remaining_cents, receipt.currency)} ({p.status(receipt.status)})"
        )
    )
