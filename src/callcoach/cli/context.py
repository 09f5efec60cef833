"""What every command needs: the ledger path, the language, the clock; and error handling."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from callcoach.domain.clock import Clock
    from callcoach.playbook import Labels
    from callcoach.services.units import Ledger

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class CliState:
    db: str | None = None
    lang: str | None = None
    collector: str | None = None  # --as NAME
    everyone: bool = False  # --everyone: every collector's debtors, not only mine and the pool

    def location(self) -> Path | str:
        """The ledger: a file path, or a ``postgresql://`` URL (kept a string: a Path would
        fold its ``//``)."""
        from callcoach.config import Settings
        from callcoach.locations import default_db_path
        from callcoach.services.server_store import is_server_location

        chosen = self.db or Settings().db
        if chosen is None:
            return default_db_path()
        return chosen if is_server_location(chosen) else Path(chosen).expanduser()

    def on_server(self) -> bool:
        return not isinstance(self.location(), Path)

    def db_path(self) -> Path:
        """The ledger file; commands that only make sense on a file say so on a server."""
        from callcoach.services.errors import UserError

        location = self.location()
        if not isinstance(location, Path):
            raise UserError(
                "{shown}: this command works on a ledger file, not on a server",
                code="file_only_command",
                shown=self.shown(),
            )
        return location

    def shown(self) -> str:
        from callcoach.services.server_store import shown

        return shown(self.location())

    def language(self) -> str:
        from callcoach.config import resolve_language
        from callcoach.services.errors import UserError

        try:
            return resolve_language(self.lang, self._ledger_language())
        except ValueError as exc:
            from callcoach.config import LANGUAGES

            raise UserError(
                "unknown language {lang!r}: choose one of {names}",
                code="language_not_offered",
                lang=getattr(exc, "lang", self.lang or ""),
                names=", ".join(LANGUAGES),
            ) from None

    def _ledger_language(self) -> str | None:
        from callcoach.config import Settings

        if self.lang or Settings().lang:
            return None
        location = self.location()
        if isinstance(location, Path) and not location.exists():
            return None
        from callcoach.services.settings import get_settings
        from callcoach.services.units import unit_of_work

        with unit_of_work(self.engine()) as session:
            return get_settings(session).language or None

    def me(self, ledger: Ledger) -> int | None:
        """The team member at this command (--as, CALLCOACH_COLLECTOR, config), None on a
        one-person ledger; a team's ledger refuses a command that does not say who."""
        from callcoach.config import Settings
        from callcoach.services.collectors import who_is_at_it
        from callcoach.services.units import unit_of_work

        with unit_of_work(ledger, write=False) as session:
            found = who_is_at_it(session, self.collector or Settings().collector)
        return found.id if found is not None else None

    def mine(self, ledger: Ledger) -> int | None:
        """Whose call list: mine and the pool, or everyone's (None) with --everyone."""
        return None if self.everyone else self.me(ledger)

    def words(self) -> Labels:
        """What the commands print, in the language of this run (the playbook's ``commands.toml``)."""
        from callcoach.playbook import Labels

        return Labels(self.language(), "commands")

    def engine(self) -> Ledger:
        from callcoach.services.store import open_ledger

        return open_ledger(self.location())


_current: CliState | None = None


def state(ctx: typer.Context) -> CliState:
    global _current
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        obj = CliState()
        ctx.find_root().obj = obj
    _current = obj
    return obj


def present() -> Clock:
    """The real clock: the one place a command reads it (tests put their own day here)."""
    from callcoach.domain.clock import Clock

    return Clock()


def clock_for(as_of: str | None) -> Clock:
    """The real clock, or one stopped on ``--as-of DATE``. A date other than today is a look
    at that day (``what_if``): answered in full, but nothing it would settle is recorded."""
    from callcoach.domain.clock import Clock
    from callcoach.domain.dates import DateError, parse_date
    from callcoach.services.errors import UserError

    now = present()
    if as_of is None:
        return now
    try:
        day: date = parse_date(as_of)
    except DateError as exc:
        raise UserError("--as-of: {exc}", code="as_of_unreadable", exc=exc) from None
    return Clock.on(day, now.tz, what_if=day != now.today())


def fail(message: str | BaseException) -> None:
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True, highlight=False, soft_wrap=True).print(
        Text(f"callcoach: {in_user_language(message)}", style="red")
    )


def in_user_language(message: str | BaseException) -> str:
    """An error in the language the command was run in: by its code from the playbook's
    ``[errors]`` table, else through its ``[problems]`` table; a message neither knows is
    printed as it is, never lost."""
    from callcoach.cli.texts import cli_language

    lang = _current.lang if _current is not None and _current.lang in ("fr", "en") else cli_language(sys.argv[1:])
    if lang == "en":
        return str(message)
    from callcoach.playbook import Labels
    from callcoach.playbook.problems import say

    try:
        return say(message, Labels(lang))
    except Exception:  # a broken own playbook file never hides the error itself
        return str(message)


def user_errors(func: F) -> F:
    """User mistakes end in one line on stderr and exit code 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from callcoach.files import WriteFailed
        from callcoach.services.errors import UserError
        from callcoach.services.units import as_store_error, is_database_failure

        try:
            return func(*args, **kwargs)
        except UserError as exc:
            fail(exc)
            raise typer.Exit(1) from None
        except WriteFailed as exc:  # a full disk, a folder it may not write: one line, no partial file
            fail(exc)
            raise typer.Exit(1) from None
        except Exception as exc:
            if not is_database_failure(exc):
                raise
            where = _current.shown() if _current is not None else "database"
            fail(as_store_error(exc, where))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            fail(UserError("interrupted; nothing was written by the unfinished step", code="interrupted"))
            sys.exit(130)

    return wrapper  # type: ignore[return-value]
