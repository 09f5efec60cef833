"""With ``--lang fr``, the help of every command and the errors the command line prints carry
no English word (issue 18). Run as the collector runs it: through the ``callcoach`` program's
entry point, in this process (tests/cli/entry.py) for the many commands, and as the program
itself for the header's refusal (and in test_help_values)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from callcoach.cli.main import app
from tests.cli.entry import Ran, run_entry_point
from tests.english import english_words


def command_paths() -> list[list[str]]:
    """Every command and sub-command, as typed after ``callcoach``."""
    found: list[list[str]] = [[]]

    def walk(command: object, path: list[str]) -> None:
        for name, sub in (getattr(command, "commands", None) or {}).items():
            found.append([*path, name])
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def names_typed() -> frozenset[str]:
    """What the collector types (command and option names, option values, placeholders): not prose."""
    typed: set[str] = {
        "help",
        "options",
        "command",
        "args",
        "str",
        "path",
        "int",
        "float",
        "json",
        "csv",
        "ics",
        "sqlite",
    }
    typed |= {
        "transfer",
        "cheque",
        "card",
        "direct_debit",
        "cash",
        "credit_note",
        "paid",
        "withdrawn",
        "dmy",
        "mdy",
        "number",
    }

    def walk(command: object) -> None:
        for param in getattr(command, "params", []):
            typed.update(str(param.name).lower().split("_"))
            for opt in getattr(param, "opts", []):
                typed.update(opt.strip("-").lower().split("-"))
        for name, sub in (getattr(command, "commands", None) or {}).items():
            typed.update(name.lower().split("-"))
            walk(sub)

    walk(typer.main.get_command(app))
    return frozenset(typed)


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "CALLCOACH_HOME": str(home), "COLUMNS": "100", "CALLCOACH_LANG": "fr"}


def callcoach(home: Path, *args: str) -> Ran:
    """``callcoach --lang fr ARGS`` through the program's entry point, in this process."""
    return run_entry_point("--lang", "fr", *args, env=_env(home))


def callcoach_program(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``callcoach --lang fr ARGS``: the program itself, started as the collector starts it."""
    code = "import sys; from callcoach.cli.main import run; sys.argv[0] = 'callcoach'; run()"
    return subprocess.run(
        [sys.executable, "-c", code, "--lang", "fr", *args], env=_env(home), capture_output=True, text=True, timeout=60
    )


def test_the_help_of_every_command_is_in_french(tmp_path: Path) -> None:
    allowed = names_typed()
    leaks = {}
    for path in command_paths():
        result = callcoach(tmp_path, *path, "--help")
        assert result.returncode == 0, result.stderr
        assert "Utilisation : callcoach" in result.stdout
        found = english_words(result.stdout, allowed)
        if found:
            leaks[" ".join(path) or "callcoach"] = found
    assert leaks == {}
    assert len(command_paths()) > 20


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["pay", "NOPE", "10"], "aucune facture numérotée 'NOPE'"),
        (["pay", "F-1", "dix"], "montant : montant illisible : 'dix'"),
        (["pay", "F-1", "10", "--method", "bitcoin"], "moyen de paiement inconnu : 'bitcoin'"),
        (["show", "Personne"], "aucun débiteur ne correspond à 'Personne'"),
        (["list", "--as-of", "demain"], "--as-of : date illisible : 'demain'"),
        (["import", "absent.csv"], "absent.csv : fichier ou dossier introuvable"),
        (["followup", "999"], "aucun suivi n° 999"),
        (["dispute", "999", "--how", "paid"], "aucun litige n° 999"),
        (["hold", "Personne"], "--reason est obligatoire (ou --release)"),
        (["settings", "set", "language", "de"], "la langue est fr ou en"),
        (["settings", "set", "small_debt_cents", "beaucoup"], "attend un nombre entier"),
        (["pay"], "Erreur : Argument manquant"),
        (["list", "--nope"], "Erreur : Option inconnue : --nope"),
        (["nope"], "Erreur : Commande inconnue : 'nope'."),
        (["dispute", "1"], "Erreur : Option manquante '--how'."),
    ],
)
def test_errors_are_said_in_french(tmp_path: Path, args: list[str], said: str) -> None:
    result = callcoach(tmp_path, "--db", str(tmp_path / "registre.sqlite"), *args)
    assert result.returncode in (1, 2)
    assert said in result.stderr
    assert english_words(result.stderr, names_typed() | {"nope", "bitcoin"}) == [], result.stderr


def test_a_header_without_the_needed_columns_names_them_in_french(tmp_path: Path) -> None:
    """The fields a header lacks are named in the collector's language, not as English labels."""
    export = tmp_path / "sans-numero.csv"
    export.write_text("Tiers;Total\nDupont SARL;120,00\n", encoding="utf-8")
    result = callcoach_program(tmp_path, "--db", str(tmp_path / "registre.sqlite"), "import", str(export))
    assert result.returncode == 1
    said = " ".join(result.stderr.split())  # the console may wrap the long line
    assert "aucune colonne pour numéro de facture, date d'émission" in said, result.stderr
    assert "invoice number" not in said
    english = callcoach_program(
        tmp_path, "--lang", "en", "--db", str(tmp_path / "registre.sqlite"), "import", str(export)
    )
    assert "no column for invoice number, issue date" in " ".join(english.stderr.split()), english.stderr
