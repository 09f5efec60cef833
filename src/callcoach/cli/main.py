"""Entry point: ``callcoach`` opens the call desk; subcommands work on the ledger."""

from __future__ import annotations

from typing import Annotated

import typer

from callcoach.cli import agenda as agenda_commands
from callcoach.cli import importing as importing_commands
from callcoach.cli import ledger as ledger_commands
from callcoach.cli import privacy as privacy_commands
from callcoach.cli import report as report_commands
from callcoach.cli import settings as settings_commands
from callcoach.cli import team as team_commands
from callcoach.cli.context import CliState, clock_for, state, user_errors

app = typer.Typer(
    name="callcoach",
    help="Chase unpaid invoices by phone: whom to call, what to say, what was agreed.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Ledger file, or postgresql://user@host:port/database for a team's server "
            "(default: your data folder; env CALLCOACH_DB).",
        ),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="fr or en (default: setting, then system locale).")] = None,
    collector: Annotated[
        str | None, typer.Option("--as", help="On a team's ledger: who you are (env CALLCOACH_COLLECTOR).")
    ] = None,
    everyone: Annotated[
        bool, typer.Option("--everyone", help="On a team's ledger: everyone's debtors, not only yours and the pool.")
    ] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Open the desk as if today were DATE.")] = None,
) -> None:
    ctx.obj = CliState(db=db, lang=lang, collector=collector, everyone=everyone)
    if ctx.invoked_subcommand is None:
        _open_desk(ctx, as_of)


@user_errors
def _open_desk(ctx: typer.Context, as_of: str | None, *, demo: bool = False) -> None:
    from callcoach.services.desk import Desk
    from callcoach.tui.launch import launch

    st = state(ctx)
    ledger = st.engine()
    me = st.me(ledger)
    desk = Desk(ledger, clock=clock_for(as_of), lang=st.language(), collector_id=me, everyone=st.everyone)
    launch(desk, demo=demo)


@app.command()
@user_errors
def demo(
    ctx: typer.Context,
    reset: Annotated[bool, typer.Option("--reset", help="Rebuild the demo ledger from data/.")] = False,
    print_list: Annotated[
        bool, typer.Option("--list", help="Print the demo call list instead of opening the app.")
    ] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="As if today were DATE.")] = None,
) -> None:
    """Open callcoach on the demo ledger (a separate database, never your own)."""
    from callcoach.locations import demo_db_path
    from callcoach.services.demo import build_demo

    st = state(ctx)
    path = st.db_path() if st.db else demo_db_path()
    st.db = str(path)
    from callcoach.playbook import Labels

    # A first start takes a few seconds: say what is being prepared rather than a blank screen.
    L = Labels(st.language())
    if reset or not path.exists():
        typer.echo(L.get("demo_preparing", path=path), err=True)
    build_demo(path, reset=reset, clock=clock_for(as_of))
    if print_list:
        ledger_commands.print_call_list(st, clock_for(as_of), limit=None, name_filter=None)
        return
    typer.echo(L["demo_opening"], err=True)
    _open_desk(ctx, as_of, demo=True)


app.command("import")(importing_commands.import_file)
app.command("list")(ledger_commands.list_debtors)
app.command("show")(ledger_commands.show)
app.command("pay", context_settings={"ignore_unknown_options": True})(ledger_commands.pay)
app.command("today")(agenda_commands.today)
app.command("remind")(agenda_commands.remind)
app.command("agenda")(agenda_commands.agenda)
app.command("send")(agenda_commands.send)
app.command("followup")(agenda_commands.followup)
app.command("dispute")(agenda_commands.dispute)
app.command("backup")(privacy_commands.backup)
app.command("check")(privacy_commands.check)
app.command("export")(privacy_commands.export)
app.command("forget")(privacy_commands.forget)
app.command("hold")(privacy_commands.hold)
app.command("migrate-to")(privacy_commands.migrate_to)
agenda_commands.report_app.command("retention")(privacy_commands.retention)
for figure in ("aging", "dso", "forecast", "results"):
    agenda_commands.report_app.command(figure)(getattr(report_commands, figure))
app.add_typer(agenda_commands.report_app, name="report")
app.add_typer(settings_commands.app, name="settings")
app.add_typer(team_commands.app, name="collector")
app.command("assign")(team_commands.assign)


def run() -> None:
    """The command line, with its help and parser messages in the collector's language."""
    import sys

    from callcoach.cli import texts

    sys.exit(texts.run(typer.main.get_command(app), texts.cli_language(sys.argv[1:])))
