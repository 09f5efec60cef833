"""Follow-through commands: today's agenda, fault report, closing follow-ups and disputes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from callcoach.cli.context import clock_for, state, user_errors
from callcoach.cli.printers import console as _console
from callcoach.cli.printers import plain as _plain

report_app = typer.Typer(help="Reports built from the call history.", rich_markup_mode=None)


@user_errors
def today(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="As if today were DATE.")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many of the ranked list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """The day's agenda: what is due now, then the top of the call list."""
    from rich.table import Table
    from rich.text import Text

    from callcoach.presenting import Presenter
    from callcoach.services.agenda import today_agenda
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    clock = clock_for(as_of)
    ledger = st.engine()
    mine = st.mine(ledger)  # the same list as the desk's: mine and the pool, or --everyone's
    with unit_of_work(ledger) as session:
        agenda = today_agenda(session, clock=clock, top=top, mine=mine)
    p = Presenter(st.language(), clock)
    if as_json:

        def row(r):  # type: ignore[no-untyped-def]
            return {
                "debtor_id": r.debtor_id,
                "name": r.name,
                "overdue_cents": r.overdue_cents,
                "currency": r.currency,
                "age_days": r.age_days(clock.today()),
                "due": [{"kind": d.kind, "what": d.what, "due_at": d.due_at.isoformat()} for d in r.due],
                "broken_promises": r.promises_broken,
                "badges": p.badges(r),
            }

        _console().out(
            json.dumps(
                {
                    "as_of": clock.today().isoformat(),
                    "due": {"debtors": agenda.due.debtors, "late": agenda.due.late},
                    "due_now": [row(r) for r in agenda.due_now],
                    "next_up": [row(r) for r in agenda.next_up],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    L = p.labels
    out = _console()
    counted = L.get("agenda_due_count", debtors=agenda.due.debtors, late=agenda.due.late)
    for key, rows in (("agenda_due_now", agenda.due_now), ("agenda_next", agenda.next_up)):
        title = f"{L[key]} — {p.day(clock.today())}"
        if key == "agenda_due_now":  # the same figures as the desk's header
            title += f" · {counted}"
        if not rows:  # an empty table reads as a fault: a sentence says there is nothing
            out.print(Text(title, style="italic"))
            out.print(Text(L[f"{key}_empty"]))
            continue
        table = Table(title=title, title_justify="left")
        table.add_column(L["debtor"])
        table.add_column(L["overdue"], justify="right", no_wrap=True)
        table.add_column(L["age"], justify="right", no_wrap=True)
        table.add_column(L["state"])
        for r in rows:
            table.add_row(
                _plain(r.name),
                p.money(r.overdue_cents, r.currency),
                p.age(r.age_days(clock.today())),
                _plain(", ".join(p.badges(r))),
            )
        out.print(table)


@report_app.command("faults")
@user_errors
def faults(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="Only calls from DATE on.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Process faults met during calls (wrong address, missing PO, missing document, dissatisfaction)."""
    from rich.table import Table

    from callcoach.presenting import Presenter
    from callcoach.services.agenda import faults_report
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    clock = clock_for(since)
    start = clock.start_of(clock.today()) if since else None
    with unit_of_work(st.engine()) as session:
        records = faults_report(session, since=start)
    p = Presenter(st.language(), clock_for(None))
    if as_json:
        _console().out(
            json.dumps(
                [{"debtor": r.debtor, "at": r.at.isoformat(), "fault": r.fault, "notes": r.notes} for r in records],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    counts: dict[str, int] = {}
    for r in records:
        counts[r.fault] = counts.get(r.fault, 0) + 1
    table = Table(title=p.labels["report_faults"], title_justify="left")
    for col in ("", p.labels["debtor"], "", ""):
        table.add_column(col)
    for r in records:
        table.add_row(p.since(r.at), _plain(r.debtor), p.labels[f"fault_{r.fault}"], _plain(r.notes[:80]))
    _console().print(table)
    for fault, n in sorted(counts.items(), key=lambda x: -x[1]):
        _console().print(f"{n:4}  {p.labels[f'fault_{fault}']}")


@user_errors
def followup(
    ctx: typer.Context,
    follow_up_id: Annotated[int, typer.Argument(help="Follow-up id (see `callcoach show DEBTOR --json`).")],
    withdraw: Annotated[str | None, typer.Option("--withdraw", help="Withdraw it, with this reason.")] = None,
) -> None:
    """Mark a follow-up (callback, commitment, announced step) done, or withdraw it with a reason."""
    from callcoach.services.followthrough import resolve_follow_up
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    with unit_of_work(st.engine()) as session:
        resolve_follow_up(
            session,
            follow_up_id=follow_up_id,
            resolution="withdrawn" if withdraw is not None else "done",
            reason=withdraw or "",
            clock=clock_for(None),
        )
    typer.echo(st.words().get("followup_withdrawn" if withdraw is not None else "followup_done", id=follow_up_id))


@user_errors
def dispute(
    ctx: typer.Context,
    dispute_id: Annotated[int, typer.Argument(help="Dispute id (see `callcoach show DEBTOR --json`).")],
    how: Annotated[str, typer.Option("--how", help="credit_note, paid or withdrawn.")],
) -> None:
    """Resolve a dispute; the balance follows (a credit note or payment reduces it)."""
    from callcoach.services.followthrough import resolve_dispute
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    with unit_of_work(st.engine()) as session:
        resolve_dispute(session, dispute_id=dispute_id, how=how, clock=clock_for(None))
    words = st.words()
    typer.echo(words.get("dispute_resolved", id=dispute_id, how=words[f"dispute_how_{how}"]))


@user_errors
def remind(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="As if today were DATE.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be sent; write nothing.")] = False,
) -> None:
    """Write the reminders that are due (first, second, formal notice), one e-mail per debtor, never twice."""
    from callcoach.locations import data_dir
    from callcoach.playbook import Labels
    from callcoach.services.reminders import send_reminders
    from callcoach.services.settings import get_settings
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    L = Labels(st.language())
    lines = []
    ledger = st.engine()
    me = st.me(ledger)  # on a team's ledger, the one sending signs them, in their language
    with unit_of_work(ledger) as session:
        plans = send_reminders(
            session,
            clock=clock_for(as_of),
            settings=get_settings(session),
            outbox=data_dir() / "outbox",
            dry_run=dry_run,
            collector_id=me,
        )
        for plan in plans:  # read before a dry run's rollback expires the rows
            numbers = ", ".join(i.number for i in plan.invoices)
            if plan.skipped:
                where = L.get(f"remind_skip_{plan.skipped}", address=plan.to or "", detail=plan.detail)
            elif dry_run:
                where = L.get("remind_would_go", address=plan.to)
            else:
                where = L.get("remind_saved", path=plan.path)
            lines.append(
                L.get(
                    "remind_line",
                    level=L[f"remind_level_{plan.level}"],
                    debtor=plan.debtor_name,
                    invoices=numbers,
                    where=where,
                )
            )
        if dry_run:
            session.rollback()
    out = _console()
    for line in lines:
        out.print(_plain(line), soft_wrap=True)
    written = sum(1 for plan in plans if plan.path)
    out.print(L.get("remind_dry_total" if dry_run else "remind_total", count=len(plans), written=written))


@user_errors
def agenda(
    ctx: typer.Context,
    ics: Annotated[
        Path, typer.Option("--ics", help="Write callbacks, commitments and announced steps to this .ics file.")
    ],
) -> None:
    """Export the open follow-ups as an iCalendar file for your own calendar."""
    from callcoach.locations import write_private
    from callcoach.services.calendar import agenda_ics
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    with unit_of_work(st.engine(), write=False) as session:
        data = agenda_ics(session, clock=clock_for(None), lang=st.language())
    write_private(ics, data)
    typer.echo(st.words().get("agenda_written", count=data.count(b"BEGIN:VEVENT"), path=ics))


@user_errors
def send(ctx: typer.Context) -> None:
    """Send the e-mails waiting in the outbox (recaps, reminders) through your SMTP server."""
    from callcoach.config import Settings
    from callcoach.services.sending import send_outbox
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    with unit_of_work(st.engine()) as session:
        sent = send_outbox(session, settings=Settings(), clock=clock_for(None))
    out, words = _console(), st.words()
    for item in sent:
        out.print(_plain(words.get("send_sent", subject=item.subject, to=item.to)), soft_wrap=True)
    out.print(_plain(words.get("send_total", count=len(sent))))
