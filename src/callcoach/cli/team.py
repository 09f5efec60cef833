"""A team on one ledger: its collectors, and which debtors are whose."""

from __future__ import annotations

from typing import Annotated

import typer

from callcoach.cli.context import state, user_errors

app = typer.Typer(help="The collectors of a team sharing this ledger.", no_args_is_help=True, rich_markup_mode=None)


@app.command("add")
@user_errors
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The collector's name, as the team says it.")],
    initials: Annotated[
        str, typer.Option("--initials", help="Shown beside their debtors (default: from the name).")
    ] = "",
    lang: Annotated[str, typer.Option("--lang", help="fr or en: the language of their desk and e-mails.")] = "",
) -> None:
    """Add a collector; from then on every window says who is at it (--as NAME)."""
    from callcoach.services.collectors import add_collector
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    with unit_of_work(st.engine()) as session:
        added = add_collector(session, name=name, initials=initials, language=lang)
    typer.echo(st.words().get("collector_added", id=added.id, name=added.name, initials=added.initials))


@app.command("list")
@user_errors
def list_collectors(ctx: typer.Context) -> None:
    """The team, with how many debtors each holds."""
    from callcoach.services.collectors import collectors
    from callcoach.services.units import unit_of_work

    st = state(ctx)
    with unit_of_work(st.engine(), write=False) as session:
        team = collectors(session)
    words = st.words()
    if not team:
        typer.echo(words["collector_none"])
        return
    for member in team:
        language = member.language or words["collector_no_language"]
        typer.echo(
            words.get("collector_line", id=member.id, initials=member.initials, name=member.name, language=language)
        )


@user_errors
def assign(
    ctx: typer.Context,
    debtor: Annotated[str, typer.Argument(help="Debtor id, name, or a unique part of the name.")],
    collector: Annotated[str | None, typer.Argument(help="The collector who will call them.")] = None,
    pool: Annotated[bool, typer.Option("--pool", help="Back to the shared pool, anyone's to call.")] = False,
) -> None:
    """Give a debtor to one collector of the team, or back to the shared pool."""
    from callcoach.services.collectors import assign as assign_debtor
    from callcoach.services.collectors import find_collector
    from callcoach.services.debtors import find_debtor
    from callcoach.services.errors import UserError
    from callcoach.services.units import unit_of_work

    if pool == (collector is not None):
        raise UserError("assign: name a collector, or --pool", code="assign_needs_collector")
    st = state(ctx)
    with unit_of_work(st.engine()) as session:
        found = find_debtor(session, debtor)
        assert found.id is not None
        member = find_collector(session, collector) if collector else None
        assign_debtor(session, debtor_id=found.id, collector_id=member.id if member else None)
        name = found.name
    words = st.words()
    said = (
        words.get("assigned_to", debtor=name, collector=member.name)
        if member
        else words.get("assigned_pool", debtor=name)
    )
    typer.echo(said)
