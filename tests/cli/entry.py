"""The ``callcoach`` program's entry point (``callcoach.cli.main:run``) called in the test's own
process: the same arguments, environment, language choice and output as the installed
program, without starting a Python for each command (a second or more each on a loaded
machine). A few tests still start the real program (``test_french_cli``, ``test_help_values``)
so the installed entry point itself stays covered.

The French command line rewords the parser's texts by patching them in the command-line
library; they are put back after each run so that a French run leaves no French behind.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Ran:
    """What the program did, as ``subprocess.run(..., capture_output=True, text=True)`` says it."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _parser_texts_restored() -> Iterator[None]:
    """What ``callcoach.cli.texts.run`` patches for a language other than English, put back."""
    import typer.core
    from typer._click import formatting
    from typer._click.core import Command

    saved = (
        typer.core.__dict__.get("_"),
        formatting.HelpFormatter.write_usage,
        Command.get_help_option,
    )
    try:
        yield
    finally:
        translate, write_usage, get_help_option = saved
        if translate is None:
            typer.core.__dict__.pop("_", None)
        else:
            typer.core._ = translate  # type: ignore[attr-defined]
        formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
        Command.get_help_option = get_help_option  # type: ignore[method-assign]


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_entry_point(*args: str, env: dict[str, str]) -> Ran:
    """``callcoach ARGS`` with exactly the environment ``env``, as the program runs it."""
    from callcoach.cli.main import run
    from callcoach.playbook import load

    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    argv = sys.argv
    load.cache_clear()  # the playbook is read under this run's environment, as a new process would
    with _environment(env), _parser_texts_restored(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        sys.argv = ["callcoach", *args]
        try:
            run()
        except SystemExit as exit_:
            code = exit_.code
        finally:
            sys.argv = argv
    load.cache_clear()
    if code is None:
        code = 0
    if not isinstance(code, int):  # sys.exit("message"): printed on stderr, status 1
        err.write(f"{code}\n")
        code = 1
    return Ran(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())
