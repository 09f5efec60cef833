"""``callcoach settings``: the collector's name, company, bank details and rules."""

from __future__ import annotations

from typing import Annotated

import typer

from callcoach.cli.context import state, user_errors

app = typer.Typer(help="Show or change the collector's settings.", invoke_without_command=True, rich_markup_mode=None)


@app.callback()
@user_errors
def show_settings(ctx: typer.Context) -> None:
    """Show the settings."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.text import Text

    from callcoach.services.settings import EDITABLE, get_settings
    from callcoach.services.units import unit_of_work

    with unit_of_work(state(ctx).engine()) as session:
        settings = get_settings(session)
    out = Console(highlight=False)
    for name in EDITABLE:
        out.print(Text(f"{name:28} {getattr(settings, name)}"))


@app.command("set")
@user_errors
def set_value(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Setting name (see `callcoach settings`).")],
    value: Annotated[str, typer.Argument(help="New value.")],
) -> None:
    """Change one setting."""
    from callcoach.services.settings import set_setting
    from callcoach.services.units import unit_of_work

    with unit_of_work(state(ctx).engine()) as session:
        set_setting(session, name, value)
    typer.echo(f"{name} = {value}")


@app.command("debtor-rate")
@user_errors
def debtor_rate(
    ctx: typer.Context,
    debtor: Annotated[str, typer.Argument(help="Debtor id, name, or a unique part of the name.")],
    rate: Annotated[
        str, typer.Argument(help='Yearly late-payment rate of this debtor\'s contract, e.g. 12.5; "" to remove.')
    ],
) -> None:
    """Set the late-payment rate agreed in one debtor's contract (it replaces the statutory rate)."""
    from callcoach.services.debtors import find_debtor
    from callcoach.services.latecosts import set_debtor_rate
    from callcoach.services.units import unit_of_work

    with unit_of_work(state(ctx).engine()) as session:
        found = find_debtor(session, debtor)
        value = set_debtor_rate(session, debtor=found, value=rate)
        name = found.name
    typer.echo(f"{name}: contract_rate = {value or '(the ledger rule)'}")


@app.command("smtp-password")
@user_errors
def smtp_password(
    delete: Annotated[bool, typer.Option("--delete", help="Remove the stored password.")] = False,
) -> None:
    """Store the SMTP password in the system keyring (asked without echo; never written to the ledger)."""
    from callcoach.config import Settings
    from callcoach.services.sending import store_smtp_password

    settings = Settings()
    if delete:
        who = store_smtp_password(settings, None)
        typer.echo(f"SMTP password for {who} removed from the keyring")
        return
    password = typer.prompt("SMTP password", hide_input=True, confirmation_prompt=True)
    who = store_smtp_password(settings, password)
    typer.echo(f"SMTP password for {who} stored in the system keyring")
