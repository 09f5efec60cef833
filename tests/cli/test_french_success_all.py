"""With ``--lang fr``, what every command prints when it works carries no English word (issue 18).

Every command and sub-command of the typer app is found by walking it, and each must have a
run below, with the arguments a collector would type, on the demo ledger (with a call, a
dispute and follow-ups added through the services, as the desk saves them). A new command
without its run fails here, so its French is checked from the day it exists. Tables'
headings, progress lines and confirmations all count; JSON is for programs and is not read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from callcoach.cli.main import app
from callcoach.db.engine import session_scope
from callcoach.db.tables import Debtor, Invoice
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services import calls
from callcoach.services.store import open_ledger
from tests.cli.test_french_cli import command_paths
from tests.cli.test_send import MemoryKeyring
from tests.cli.test_send import memory_keyring as memory_keyring  # a fixture, used by name
from tests.conftest import Inbox
from tests.engines import PgServer
from tests.english import english_words
from tests.factories import write_export

runner = CliRunner()
AS_OF = ("--as-of", "2026-11-26")
# Run only in their own test (a server); counted as covered here.
ELSEWHERE = {("migrate-to",)}
# Opens the full-screen desk: the screens' French is walked by tests/tui/test_french_everywhere.py.
DESK = {()}


@dataclass
class Run:
    """One command as typed, and what it printed (stdout and stderr together)."""

    ledger: Path
    said: dict[str, str] = field(default_factory=dict)
    ran: set[tuple[str, ...]] = field(default_factory=set)

    def __call__(self, *args: str, input: str | None = None, code: int = 0, who: str | None = None) -> str:
        argv = ["--db", str(self.ledger), "--lang", "fr", *(["--as", who] if who else []), *args]
        result = runner.invoke(app, argv, input=input, env={"COLUMNS": "120"})
        output = result.stdout + result.stderr
        assert result.exit_code == code, f"{' '.join(args)} -> {result.exit_code}\n{output}\n{result.exception!r}"
        self.said[" ".join(args)] = output
        self.ran.update(tuple(args[:n]) for n in (1, 2))  # the command, and its sub-command if any
        return output


# Names the collector types as they are (formats, protocols, the values of --method and --how).
TYPED = frozenset({"smtp", "csv", "json", "ics", "sqlite", "pdf", "iban", "bic", "cii", "ubl", "fec", "einvoice"})
# What a line quotes to be typed: a command after « callcoach », an --option, a setting_name.
_QUOTED = re.compile(r"callcoach(?: [a-z]+(?:-[a-z]+)*)+|--[a-z]+(?:-[a-z]+)*|\b[a-z]+(?:_[a-z]+)+\b")


def allowed_words() -> frozenset[str]:
    """Stricter than the help's check: command and option names are allowed only where they are
    quoted as typed (see ``_QUOTED``), not as words of a sentence. The names `settings set`
    and `import --map` take, and the values of late_rule, are typed as they are."""
    from callcoach.importers.headers import FIELDS
    from callcoach.services.settings import EDITABLE, LATE_RULES

    return TYPED | set(FIELDS) | set(EDITABLE) | set(LATE_RULES)


def english_in(said: dict[str, str], allowed: frozenset[str]) -> dict[str, list[str]]:
    leaks = {}
    for command, output in said.items():
        if "--json" in command or (command.startswith("export") and "-o" not in command):
            continue
        found = english_words(_QUOTED.sub(" ", output), allowed)
        if found:
            leaks[command] = found
    return leaks


def _calls(ledger: Path) -> None:
    """A dispute on part with a promise for the rest, a callback with my commitment, and a
    call that found a process fault: as the desk saves them."""
    engine = open_ledger(ledger)
    clock = Clock.fixed(datetime(2026, 11, 25, 10, tzinfo=UTC), UTC)
    try:
        with session_scope(engine) as s:
            by_name = {name: id_ for id_, name in s.exec(select(Debtor.id, Debtor.name)).all()}  # type: ignore[call-overload]
            first = sorted(by_name)[0]
            invoice, owed = s.exec(  # type: ignore[call-overload,misc]
                select(Invoice.id, Invoice.amount_cents - Invoice.paid_cents)
                .where(Invoice.debtor_id == by_name[first], Invoice.status == "open")
                .order_by((Invoice.amount_cents - Invoice.paid_cents).desc())
            ).first()
            entries = [
                OutcomeEntry(
                    Outcome.DISPUTE,
                    invoice_id=invoice,
                    amount_cents=owed // 4,
                    reason="livraison incomplète",
                    rest_cents=owed - owed // 4,
                    rest_on=date(2026, 12, 4),
                    method="transfer",
                    why="dispute",
                ),
                OutcomeEntry(
                    Outcome.CALLBACK,
                    on=date(2026, 11, 27),
                    at=time(14, 0),
                    commitment="envoyer la copie de la facture",
                    commitment_on=date(2026, 11, 26),
                    faults=["wrong_address"],
                    why="process_fault",
                ),
            ]
            for name, entry in zip(sorted(by_name)[:2], entries, strict=True):
                call = calls.start_call(s, debtor_id=by_name[name], contact_id=None, clock=clock)
                calls.end_call(s, call_id=call.id, entry=entry, notes="", stage="close", excuses=[], clock=clock)
    finally:
        engine.dispose()


def _ids(run: Run) -> tuple[str, int, int]:
    """The disputing debtor, its dispute and a follow-up, by the IDs ``show --json`` gives."""
    name, dispute, follow_up = "", 0, 0
    for row in json.loads(run("list", "--json", *AS_OF)):
        shown = json.loads(run("show", row["name"], "--json", *AS_OF))
        if shown["disputes"]:
            name, dispute = row["name"], shown["disputes"][0]["id"]
        follow_up = follow_up or (shown["follow_ups"] or [{"id": 0}])[0]["id"]
    assert dispute and follow_up, "the calls above left no dispute or no follow-up"
    return name, dispute, follow_up


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    yield Run(tmp_path / "demo.sqlite")


def test_every_command_says_its_success_in_french(
    run: Run, tmp_path: Path, smtp: Inbox, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("demo", "--list", *AS_OF)
    _calls(run.ledger)
    name, dispute_id, follow_up_id = _ids(run)
    other = "Groupe Hexagone"

    (tmp_path / "exports").mkdir()
    export = write_export(
        tmp_path / "exports" / "ventes.csv",
        [
            "N° facture;Client;Date;Échéance;Montant TTC;Contact;E-mail",
            "N-1;Nouvelle Boulangerie;01/10/2026;31/10/2026;480,00;M. Paul Henri;paul@boulangerie.example",
            *(f"N-{n};Nouvelle Boulangerie;01/11/2026;01/12/2026;{n}0,00;;" for n in range(2, 7)),
            "N-9;Nouvelle Boulangerie;01/11/2026;illisible;120,00;M. Paul Henri;paul@boulangerie.example",
        ],
    )
    _plain_pdf(tmp_path / "exports" / "scan.pdf")
    run("import", str(export), "--dry-run", "--skip-bad")
    run("import", str(export), "--skip-bad", "--rejected", str(tmp_path / "rejets.csv"))
    run("import", str(tmp_path / "exports"), "--skip-bad", code=1)  # a folder with a refused file: its summary

    run("list", *AS_OF)
    run("list", "--json", *AS_OF)
    run("show", name, *AS_OF)
    run("today", *AS_OF)
    run("pay", "N-1", "100", "--date", "25/11/2026", "--method", "transfer", *AS_OF)
    run("followup", str(follow_up_id))
    run("dispute", str(dispute_id), "--how", "credit_note")
    run("agenda", "--ics", str(tmp_path / "rappels.ics"))
    run("remind", "--dry-run", *AS_OF)
    run("remind", *AS_OF)
    monkeypatch.setenv("CALLCOACH_SMTP_USER", "camille")
    smtp.password = "s3cret"
    run("settings", "smtp-password", input="s3cret\ns3cret\n")
    run("send")
    run("settings", "smtp-password", "--delete")
    run("settings")
    run("settings", "set", "retention_years", "1")
    run("settings", "debtor-rate", other, "12,5")
    run("settings", "debtor-rate", other, "")
    run("report", "faults")
    run("report", "retention", "--as-of", "2030-01-01")
    for figure in ("aging", "dso", "forecast", "results"):
        run("report", figure, *AS_OF, "--csv", str(tmp_path / f"{figure}.csv"))
    run("backup", str(tmp_path / "copie.sqlite"))
    run("check")
    run("export", other, "-o", str(tmp_path / "dossier.json"))
    run("hold", other, "--reason", "procédure en cours")
    run("hold", other, "--release")
    run("forget", "Nouvelle Boulangerie", input=_debtor_id(run, "Nouvelle Boulangerie") + "\n")
    run("collector", "add", "Camille Martin", "--lang", "fr")
    run("collector", "add", "Jean Dupuis", "--initials", "JD")
    run("collector", "list")
    run("assign", other, "Jean", who="Camille")
    run("assign", other, "--pool", who="Camille")

    walked = {tuple(p) for p in command_paths()}
    missing = walked - run.ran - ELSEWHERE - DESK
    assert missing == set(), f"commands without a run in this test: {sorted(missing)}"
    leaks = english_in(run.said, allowed_words())
    assert leaks == {}, "\n".join(f"$ callcoach {c}  {w}\n{run.said[c]}" for c, w in leaks.items())


def _plain_pdf(path: Path) -> None:
    """A real PDF without Factur-X data: a folder import refuses it and says why."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as f:
        writer.write(f)


def _debtor_id(run: Run, name: str) -> str:
    return str(json.loads(run("show", name, "--json", *AS_OF))["id"])


def test_moving_to_a_server_and_its_backup_are_said_in_french(tmp_path: Path, pg_server: PgServer) -> None:
    url = pg_server.new_database()
    try:
        run = Run(tmp_path / "demo.sqlite")
        run("demo", "--list", *AS_OF)
        run("migrate-to", url)
        server = Run(url)  # type: ignore[arg-type]
        server("backup", str(tmp_path / "equipe.pgdump"))
        assert english_in({**run.said, **server.said}, allowed_words()) == {}
    finally:
        pg_server.drop(url)
