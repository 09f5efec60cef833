"""``callcoach settings``: the collector's name, company, bank details and rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from callcoach.cli.context import clock_for, state, user_errors

if TYPE_CHECKING:
    from callcoach.playbook import Labels

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

    st = state(ctx)
    with unit_of_work(st.engine()) as session:
        settings = get_settings(session)
    out, words = Console(highlight=False), st.words()
    meanings = words.table("settings_meaning")
    for name in EDITABLE:
        value = getattr(settings, name)
        shown = words["settings_empty"] if value is None or value == "" else str(value)
        out.print(Text(words.get("settings_line", name=name, value=shown, meaning=meanings.get(name, "")).rstrip()))


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

    st = state(ctx)
    with unit_of_work(st.engine()) as session:
        set_setting(session, name, value)
    typer.echo(st.words().get("settings_set", name=name, value=value))


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

    st = state(ctx)
    with unit_of_work(st.engine()) as session:
        found = find_debtor(session, debtor)
        value = set_debtor_rate(session, debtor_id=found.id, value=rate)
        name = found.name
    from decimal import Decimal

    from callcoach.presenting import Presenter

    words = st.words()
    shown = (
        Presenter(st.language(), clock_for(None)).percent(Decimal(value)) if value else words["debtor_rate_ledger_rule"]
    )
    typer.echo(words.get("debtor_rate_set", debtor=name, value=shown))


@app.command("smtp-password")
@user_errors
def smtp_password(
    ctx: typer.Context,
    delete: Annotated[bool, typer.Option("--delete", help="Remove the stored password.")] = False,
) -> None:
    """Store the SMTP password in the system keyring (asked without echo; never written to the ledger)."""
    from callcoach.config import Settings
    from callcoach.services.sending import store_smtp_password

    settings, words = Settings(), state(ctx).words()
    if delete:
        who = store_smtp_password(settings, None)
        typer.echo(words.get("smtp_password_removed", who=who))
        return
    password = _ask_twice(words)
    who = store_smtp_password(settings, password)
    typer.echo(words.get("smtp_password_stored", who=who))


def _ask_twice(words: Labels) -> str:
    """The password, typed twice without echo, asked in the collector's language."""
    while True:
        suffix = words["prompt_suffix"]
        first = typer.prompt(words["smtp_password_prompt"], hide_input=True, prompt_suffix=suffix)
        if typer.prompt(words["smtp_password_repeat"], hide_input=True, prompt_suffix=suffix) == first:
            return str(first)
        typer.echo(words["smtp_password_mismatch"], err=True)
