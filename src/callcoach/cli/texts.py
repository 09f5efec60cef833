"""The command line in the collector's language: ``--help`` of every command and the
command-line parser's own messages ("Usage:", "No such option").

Command and option help are written in English in the code (the English interface); the
playbook's ``cli.toml`` gives them in another language, by command path and option name.
The parser's words come from its ``[words]`` table.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from callcoach.playbook import HERE, load

LANGS = ("fr", "en")


def cli_language(argv: list[str]) -> str:
    """The language asked with ``--lang`` (before or after the command), else CALLCOACH_LANG,
    else the system's; the ledger's own setting is not read just to print help."""
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1] if argv[n + 1] in LANGS else "en"
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
            return value if value in LANGS else "en"
    try:
        from callcoach.config import resolve_language

        return resolve_language(None, None)
    except Exception:  # an unreadable config never stops the help from showing
        return os.environ.get("CALLCOACH_LANG", "en") if os.environ.get("CALLCOACH_LANG") in LANGS else "en"


def localise(command: Any, lang: str) -> dict[str, str]:
    """Put the help texts of ``lang`` on the command tree; returns the parser's words."""
    if lang == "en" or not (HERE / lang / "cli.toml").is_file():
        return {}
    texts = load("cli", lang)
    _walk(command, "callcoach", texts.get("commands", {}))
    return {str(k): str(v) for k, v in texts.get("words", {}).items()}


def _walk(command: Any, path: str, commands: dict[str, Any]) -> None:
    own = commands.get(path, {})
    if "help" in own:
        command.help = own["help"]
        command.short_help = None
    for param in command.params:
        if param.name in own and hasattr(param, "help"):
            param.help = own[param.name]
        elif param.name == "help" and hasattr(param, "help"):
            param.help = commands.get("callcoach", {}).get("help_option", param.help)
    for name, sub in (getattr(command, "commands", None) or {}).items():
        _walk(sub, name if path == "callcoach" else f"{path} {name}", commands)


# What a value stands for in --help ("--as-of DATE", "show DEBTOR"), by parameter name; the
# parser's own default shows a type ("<str>", "{debtor}") that tells a user nothing. The
# English is here like the help texts; other languages word them in cli.toml's [metavars].
METAVARS = {
    "as_of": "DATE",
    "since": "DATE",
    "paid_on": "DATE",
    "withdraw": "DATE",
    "debtor": "DEBTOR",
    "collector": "COLLECTOR",
    "amount": "AMOUNT",
    "invoice": "INVOICE",
    "dispute_id": "ID",
    "follow_up_id": "ID",
    "file": "FILE",
    "target": "FILE",
    "output": "FILE",
    "rejected": "FILE",
    "csv": "FILE",
    "ics": "FILE",
    "db": "FILE|URL",
    "server": "URL",
    "name": "NAME",
    "value": "VALUE",
    "rate": "RATE",
    "initials": "INITIALS",
    "reason": "TEXT",
    "how": "TEXT",
    "method": "METHOD",
    "map_": "FIELD=COLUMN",
    "date_order": "ORDER",
    "lang": "fr|en",
    "limit": "N",
    "top": "N",
}


def name_values(command: Any, lang: str) -> None:
    """Every value-taking parameter of the tree shown by what it stands for, in ``lang``."""
    table = load("cli", lang).get("metavars", {}) if lang != "en" and (HERE / lang / "cli.toml").is_file() else {}
    for param in command.params:
        if param.name in METAVARS and not getattr(param, "is_flag", False):
            param.metavar = str(table.get(param.name, METAVARS[param.name]))
    for sub in (getattr(command, "commands", None) or {}).values():
        name_values(sub, lang)


def run(command: Any, lang: str, args: list[str] | None = None) -> int:
    """Run the command line; in a language other than English, with the parser's words in it."""
    name_values(command, lang)
    words = localise(command, lang)
    if not words:
        command(args=args, prog_name="callcoach")
        return 0
    from typer._click import formatting
    from typer._click.exceptions import ClickException, UsageError
    from typer.exceptions import Abort, Exit

    _usage_prefix(formatting, words)
    _parser_words(words)
    try:
        result = command.main(args=args, prog_name="callcoach", standalone_mode=False)
    except Exit as exc:
        return int(exc.exit_code or 0)
    except Abort:
        print(words.get("Aborted!", "Aborted!"), file=sys.stderr)
        return 1
    except UsageError as exc:
        _show_usage_error(exc, words)
        return exc.exit_code
    except ClickException as exc:
        print(f"{words['Error: ']}{_reword(exc.format_message(), words)}", file=sys.stderr)
        return exc.exit_code
    return int(result) if isinstance(result, int) else 0


def _usage_prefix(formatting: Any, words: dict[str, str]) -> None:
    original = formatting.HelpFormatter.write_usage
    if getattr(original, "localised", False):
        return

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, words["Usage: "] if prefix is None else prefix)

    write_usage.localised = True  # type: ignore[attr-defined]
    formatting.HelpFormatter.write_usage = write_usage


def _parser_words(words: dict[str, str]) -> None:
    """Section titles, "[required]" and the help option's own line, in the user's language."""
    import typer.core
    from typer._click.core import Command

    typer.core._ = lambda text: words.get(text, text)  # type: ignore[attr-defined]
    original = Command.get_help_option
    if getattr(original, "localised", False):
        return

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = words.get("Show this message and exit.", option.help)
        return option

    get_help_option.localised = True  # type: ignore[attr-defined]
    Command.get_help_option = get_help_option  # type: ignore[method-assign]


def _show_usage_error(exc: Any, words: dict[str, str]) -> None:
    if exc.ctx is not None:
        print(exc.ctx.get_usage(), file=sys.stderr)
        hint = words["Try '{command} {option}' for help."]
        print(hint.format(command=exc.ctx.command_path, option="--help"), file=sys.stderr)
    print(f"{words['Error: ']}{_reword(exc.format_message(), words)}", file=sys.stderr)


def _reword(message: str, words: dict[str, str]) -> str:
    """The parser's fixed English openings ("No such option: --x") in the user's language; the
    values it quotes are kept as typed."""
    for english, translated in words.items():
        opening = english.split("{")[0]
        if "{" in english and opening and message.startswith(opening):
            return translated.split("{")[0] + message[len(opening) :]
        if "{" not in english and message.startswith(english):
            return translated + message[len(english) :]
    return message
