"""What the ledger commands print: tables for a person, JSON for a program.

The commands (``cli/ledger.py``) read through the services and hand the results here. The
JSON of a debtor's file is the services' one serialiser (``services.file_record``), the same
the right-of-access export writes, with the figures of ``services.figures`` added.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from callcoach.domain.clock import Clock
    from callcoach.services.calllist import CallListRow
    from callcoach.services.debtors import DebtorFile


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def plain(value: object) -> Text:
    """Untrusted text as a Rich Text: never parsed as markup, controls stripped."""
    from rich.text import Text

    from callcoach.domain.text import clean_field

    return Text(clean_field("" if value is None else str(value)))


def print_json(data: object) -> None:
    console().out(json.dumps(data, ensure_ascii=False, indent=2), highlight=False)


def call_list_json(rows: list[CallListRow], clock: Clock) -> list[dict[str, Any]]:
    today = clock.today()
    return [
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
    ]


def print_call_list(rows: list[CallListRow], lang: str, clock: Clock) -> None:
    from rich.table import Table

    from callcoach.presenting import Presenter

    today = clock.today()
    p = Presenter(lang, clock)
    L = p.labels
    if not rows:
        console().print(L["call_list_empty"])
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
            plain(r.name),
            p.money(r.overdue_cents, r.currency),
            p.age(r.age_days(today)),
            str(r.overdue_invoices),
            p.since(r.last_contact),
            plain(", ".join(p.badges(r))),
        )
    console().print(table)


def file_json(file: DebtorFile, clock: Clock, totals: dict[str, Any], late: dict[str, Any]) -> dict[str, Any]:
    """The file as ``export`` writes it, with every figure of ``services.figures`` beside it."""
    from callcoach.services.file_record import file_record

    today = clock.today()
    record = file_record(file).model_dump(mode="json")
    reached = file.reminder_reached()
    invoices = [
        {
            **i,
            "remaining_cents": i["amount_cents"] - i["paid_cents"],
            "days_late": max(0, (today - invoice.due_date).days),
            **late.get(i["number"], {}),
        }
        for i, invoice in zip(record.pop("invoices"), file.invoices, strict=True)
    ]
    return {
        **totals,
        **record.pop("debtor"),
        "as_of": today.isoformat(),
        "invoices": invoices,
        "reminder_level": reached.level if reached else 0,
        **record,
    }


def print_file(file: Any, lang: str, clock: Clock) -> None:
    from rich.table import Table
    from rich.text import Text

    from callcoach.presenting import Presenter

    p = Presenter(lang, clock)
    L = p.labels
    out = console()
    d = file.debtor
    today = clock.today()
    title = Text(d.name, style="bold")
    title.append(f"  ({p.kind(d.kind)})", style="dim")
    out.print(title)
    out.print(Text(L.get("field_line", field=L["address"])).append(plain(d.address or L["missing"])))
    out.print(Text(L.get("field_line", field=L["email"])).append(plain(d.email or L["missing"])))
    from callcoach.services.checklist import reminder_line

    reminder = reminder_line(file, p)
    if reminder is not None:
        out.print(Text(reminder.text))
    contacts = Table(title=L["contacts"], title_justify="left")
    for col in ("contact", "role", "phone", "email", "can_release"):
        contacts.add_column(L[col] if col != "contact" else "Contact")
    for c in file.contacts:
        contacts.add_row(
            plain(c.name), plain(c.role), plain(c.phone), plain(c.email), p.authority(c.can_release_payment)
        )
    out.print(contacts if file.contacts else Text(L["contacts_none"]))
    rows = [
        {
            "number": plain(i.number),
            "due_date": p.day(i.due_date),
            "age": p.age((today - i.due_date).days) if (today - i.due_date).days > 0 and i.status == "open" else "",
            "amount": p.money(i.amount_cents, i.currency),
            "remaining": p.money(i.amount_cents - i.paid_cents, i.currency),
            "status": p.status(i.status),
            "po": plain(i.po_number or ""),
            "product": plain(i.product or ""),
        }
        for i in file.invoices
    ]
    invoices = Table(title=L["invoices_title"], title_justify="left")
    heads = {col: L["po_short"] if col == "po" else L[col] for col in INVOICE_COLUMNS}
    columns = _invoice_columns(rows, heads, out.width)
    for col in columns:
        invoices.add_column(
            heads[col],
            justify="right" if col in ("age", "amount", "remaining") else "left",
            no_wrap=col != "product",
            min_width=None if col == "product" else _column_width(col, rows, heads),
        )
    for row in rows:
        invoices.add_row(*(row[col] for col in columns))
    out.print(invoices)
    if file.calls:
        calls = Table(title=L["calls"], title_justify="left")
        for col in ("show_when", "show_outcome", "show_notes"):
            calls.add_column(L[col])
        for c in file.calls:
            outcome = L[f"outcome_{c.outcome}"] if c.outcome else L["outcome_None"]
            calls.add_row(p.since(c.started_at), outcome, plain(c.notes))
        out.print(calls)
    print_follow_through(file, p)


INVOICE_COLUMNS = ("number", "due_date", "age", "amount", "remaining", "status", "po", "product")
OPTIONAL_INVOICE_COLUMNS = ("product", "po")  # left out, in this order, when the terminal is too narrow


def _column_width(col: str, rows: list[dict[str, str]], heads: dict[str, str]) -> int:
    """What a column needs to show its heading and every value whole."""
    return max(len(heads[col]), *(len(r[col]) for r in rows), 1)


def _invoice_columns(rows: list[dict[str, str]], heads: dict[str, str], width: int) -> list[str]:
    """Every column whose figures fit whole: on a narrow terminal the product, then the
    purchase order, are left out rather than cutting an invoice number, a date or an amount."""
    columns = list(INVOICE_COLUMNS)

    def needed(cols: list[str]) -> int:
        widths = [_column_width(c, rows, heads) for c in cols if c != "product"]
        return sum(widths) + 3 * len(cols) + 1 + (12 if "product" in cols else 0)

    for optional in OPTIONAL_INVOICE_COLUMNS:
        if needed(columns) > width:
            columns.remove(optional)
    return columns


def print_follow_through(file: Any, p: Any) -> None:
    """Promises, disputes and follow-ups with their IDs, which ``followup`` and ``dispute`` take."""
    from rich.table import Table

    L, out = p.labels, console()
    if file.promises:
        table = Table(title=L["promises"], title_justify="left")
        for col in ("ID", L["amount"], L["due_date"], L["status"]):
            table.add_column(col)
        for pr in file.promises:
            part = f" ({pr.instalment_no}/{pr.instalment_count})" if pr.instalment_no else ""
            table.add_row(
                str(pr.id), p.money(pr.amount_cents, pr.currency) + part, p.day(pr.due_date), L[f"promise_{pr.status}"]
            )
        out.print(table)
    if file.disputes:
        table = Table(title=L["disputes"], title_justify="left")
        numbers = {i.id: i.number for i in file.invoices}
        for col in ("ID", L["number"], L["amount"], L["show_reason"], L["status"]):
            table.add_column(col)
        for d in file.disputes:
            table.add_row(
                str(d.id),
                plain(numbers.get(d.invoice_id, "")),
                p.money(d.amount_cents, file.currency_of(d.invoice_id)),
                plain(d.reason),
                L[f"show_dispute_{d.status}"] if f"show_dispute_{d.status}" in L else d.status,  # noqa: SIM401
            )
        out.print(table)
    if file.follow_ups:
        table = Table(title=L["follow_ups"], title_justify="left")
        for col in ("ID", L["kind"], L["show_when"], L["show_what"], L["status"]):
            table.add_column(col)
        for f in file.follow_ups:
            when = p.clock.local(f.due_at).strftime("%d/%m/%Y %H:%M")
            state = L["tl_open"] if f.done_at is None else L.get(f"tl_{f.resolution or 'done'}")
            table.add_row(str(f.id), L[f"ics_{f.kind}"], when, plain(p.follow_up_what(f.kind, f.what)), state)
        out.print(table)
