"""Storage and personal-data commands: backup, check, export, forget, hold, retention."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from callcoach.cli.context import clock_for, state, user_errors


@user_errors
def backup(
    ctx: typer.Context,
    target: Annotated[Path | None, typer.Argument(help="Where to write the copy (default: beside the ledger).")] = None,
) -> None:
    """A consistent copy of the ledger, safe to take while the app runs (SQLite online backup; pg_dump on a server)."""
    from datetime import UTC, datetime

    from callcoach.services.privacy import backup as take_backup

    st = state(ctx)
    if st.on_server():
        from callcoach.services.server_store import dump_server

        st.engine().dispose()  # the server answers and the ledger is up to date before it is copied
        if target is None:
            target = Path(f"callcoach-{datetime.now(UTC):%Y%m%dT%H%M%S}.pgdump")
        dump_server(str(st.location()), target)
        typer.echo(st.words().get("backup_server_written", path=target))
        return
    source = st.db_path()
    st.engine().dispose()  # the ledger exists and is up to date before it is copied
    if target is None:
        target = source.with_name(f"{source.stem}.backup-{datetime.now(UTC):%Y%m%dT%H%M%S}{source.suffix}")
    take_backup(str(source), str(target))
    typer.echo(st.words().get("backup_written", path=target))


@user_errors
def check(
    ctx: typer.Context,
    repair: Annotated[
        bool, typer.Option("--repair", help="Recompute from the invoices the balances found to have drifted.")
    ] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="As if today were DATE.")] = None,
) -> None:
    """Check the ledger: SQLite integrity and foreign keys, and every debtor's kept balance
    recomputed from the invoices (debtor, stored, recomputed)."""
    from callcoach.services import balances
    from callcoach.services.errors import UserError
    from callcoach.services.privacy import integrity
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    words = st.words()
    today = clock_for(as_of).today()
    with unit_of_work(st.engine(), write=repair) as session:
        problems = integrity(session)
        drifted = balances.drift(session, today=today)
        if repair and drifted:
            balances.repair(session, drifted, today=today)
        totals = balances.total_drift(session)
        if repair and totals:
            balances.repair_totals(session)
    for found in drifted:
        for name, (stored, recomputed) in found.differences().items():
            typer.echo(
                words.get(
                    "check_balance_drift",
                    debtor=found.debtor_id,
                    currency=found.currency,
                    figure=name,
                    stored=stored,
                    recomputed=recomputed,
                ),
                err=True,
            )
    for currency, stored, summed in totals:
        typer.echo(words.get("check_total_drift", currency=currency, stored=stored, recomputed=summed), err=True)
    if repair and drifted:
        typer.echo(words.get("check_balance_repaired", count=len({d.debtor_id for d in drifted})))
    if repair and totals:
        typer.echo(words.get("check_total_repaired", count=len(totals)))
    unrepaired = [] if repair else [*drifted, *totals]
    if problems or unrepaired:
        for problem in problems:
            typer.echo(problem, err=True)
        if unrepaired:
            typer.echo(words.get("check_balance_hint"), err=True)
        raise UserError(
            "{shown}: {count} problem(s) found",
            code="ledger_problems_found",
            shown=st.shown(),
            count=len(problems) + len(unrepaired),
        )
    typer.echo(words.get("check_ok", ledger=st.shown()))


@user_errors
def export(
    ctx: typer.Context,
    debtor: Annotated[str, typer.Argument(help="Debtor id, name, or a unique part of the name.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: standard output).")
    ] = None,
) -> None:
    """Everything held about a debtor and their contacts, as JSON (right of access)."""
    from callcoach.locations import write_private
    from callcoach.services.debtors import debtor_file, find_debtor
    from callcoach.services.privacy import export_debtor
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    with unit_of_work(st.engine(), write=False) as session:
        found = find_debtor(session, debtor)
        assert found.id is not None
        data = export_debtor(debtor_file(session, found.id))
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(text)
        return
    write_private(output, (text + "\n").encode())
    typer.echo(st.words().get("export_written", path=output), err=True)


@user_errors
def forget(
    ctx: typer.Context,
    debtor: Annotated[str, typer.Argument(help="Debtor id, name, or a unique part of the name.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a debtor's personal data, keeping invoice numbers, amounts and dates (right to erasure)."""
    from callcoach.services.debtors import find_debtor
    from callcoach.services.errors import UserError
    from callcoach.services.privacy import forget_debtor
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    engine = st.engine()
    with unit_of_work(engine) as session:
        found = find_debtor(session, debtor)
        debtor_id, name, hold = found.id, found.name, found.legal_hold
    assert debtor_id is not None
    if hold:
        raise UserError(
            "{name}: on legal hold ({hold}); not erased", code="debtor_legal_hold_not_erased", name=name, hold=hold
        )
    if not yes:
        answer = typer.prompt(
            st.words().get("forget_confirm", name=name, id=debtor_id),
            prompt_suffix=st.words()["prompt_suffix"],
            default="",
            show_default=False,
        )
        if answer.strip() != str(debtor_id):
            raise UserError("not confirmed; nothing erased", code="erase_not_confirmed")
    erased = forget_debtor(engine, debtor_id=debtor_id, clock=clock_for(None))
    typer.echo(
        st.words().get(
            "forget_done", id=erased.debtor_id, contacts=erased.contacts, calls=erased.calls, files=erased.files
        )
    )


@user_errors
def hold(
    ctx: typer.Context,
    debtor: Annotated[str, typer.Argument(help="Debtor id, name, or a unique part of the name.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why the file must be kept (e.g. court case).")] = None,
    release: Annotated[bool, typer.Option("--release", help="Lift the legal hold.")] = False,
) -> None:
    """Put a debtor's file on legal hold (forget will refuse), or lift it."""
    from callcoach.services.debtors import find_debtor
    from callcoach.services.errors import UserError
    from callcoach.services.privacy import set_legal_hold
    from callcoach.services.units import unit_of_work

    if not release and reason is None:
        raise UserError("--reason is required (or --release)", code="hold_needs_reason")
    st = state(ctx)
    with unit_of_work(st.engine()) as session:
        found = find_debtor(session, debtor)
        assert found.id is not None
        set_legal_hold(session, debtor_id=found.id, reason=None if release else reason)
        name = found.name
    words = st.words()
    said = words.get("hold_lifted", debtor=name) if release else words.get("hold_on", debtor=name, reason=reason)
    typer.echo(said)


@user_errors
def retention(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="As if today were DATE.")] = None,
) -> None:
    """Closed files older than the retention setting, to review for erasure."""
    from rich.console import Console
    from rich.text import Text

    from callcoach.presenting import Presenter
    from callcoach.services.privacy import retention_review
    from callcoach.services.settings import get_settings
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    clock = clock_for(as_of)
    with unit_of_work(st.engine()) as session:
        years = get_settings(session).retention_years
        cases = retention_review(session, clock=clock, years=years)
    out, words, p = Console(highlight=False), st.words(), Presenter(st.language(), clock)
    out.print(Text(words.get("retention_title", years=years, count=len(cases))))
    for case in cases:
        out.print(Text(words.get("retention_line", id=case.debtor_id, name=case.name, day=p.day(case.last_activity))))


@user_errors
def migrate_to(
    ctx: typer.Context,
    server: Annotated[str, typer.Argument(help="postgresql://user@host:port/database (an empty database).")],
) -> None:
    """Copy this SQLite ledger into an empty PostgreSQL database, for a team (every row, counts checked)."""
    from callcoach.services.errors import UserError
    from callcoach.services.moving import move_ledger
    from callcoach.services.server_store import is_server_location, shown
    from callcoach.services.store import open_ledger

    st = state(ctx)
    if not is_server_location(server):
        raise UserError(
            "{server}: not a server URL (postgresql://user@host:port/database)",
            code="not_a_server_url",
            server=server,
        )
    source_path = st.db_path()
    if not source_path.exists():
        raise UserError(
            "{source_path}: no such ledger file to move", code="no_ledger_file_to_move", source_path=source_path
        )
    source, target = st.engine(), open_ledger(server)
    try:
        move = move_ledger(source, target, target_name=shown(server))
    finally:
        source.dispose()
        target.dispose()
    words = st.words()
    tables = words.table("ledger_tables")
    for table in move.tables:
        typer.echo(words.get("migrate_table", table=tables.get(table.name, table.name), rows=table.copied_rows))
    typer.echo(words.get("migrate_done", source=source_path, target=shown(server), rows=move.rows))
    typer.echo(words.get("migrate_use", target=shown(server)))
