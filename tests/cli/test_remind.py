"""callcoach remind: the right level for each invoice, one e-mail per debtor, never twice."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default
from pathlib import Path

from typer.testing import CliRunner

from callcoach.cli.main import app
from tests.factories import write_export

runner = CliRunner()


def cc(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), "--lang", "en", *args], env={"COLUMNS": "300"})
    return result.exit_code, result.stdout, result.stderr


def _ledger(tmp_path: Path, *more: str) -> Path:
    """Rossi owes two invoices, 4 and 25 days late, with an e-mail address; and ``more`` lines."""
    db = tmp_path / "l.sqlite"
    export = write_export(
        tmp_path / "e.csv",
        [
            "Invoice;Customer;Date;Due date;Amount;Contact;E-mail;Language",
            "R-1;Rossi SA;01/10/2026;22/11/2026;100,00;Anna Rossi;anna@rossi.example;fr",  # 4 d late
            "R-2;Rossi SA;01/09/2026;01/11/2026;200,00;Anna Rossi;anna@rossi.example;fr",  # 25 d late
            *more,
        ],
    )
    assert cc(db, "import", str(export))[0] == 0
    assert cc(db, "settings", "set", "email", "camille@lumen.example")[0] == 0
    return db


def test_remind_twice_on_the_same_day_sends_each_reminder_once(tmp_path: Path, isolated_home: Path) -> None:
    db = _ledger(
        tmp_path,
        "S-1;Silent Co;01/09/2026;01/10/2026;300,00;;;",  # 56 d late, no e-mail address
        "T-1;Timely SA;01/11/2026;24/11/2026;50,00;;t@timely.example;",  # 2 d late: nothing yet
    )
    assert cc(db, "settings", "set", "collector_name", "Camille Martin")[0] == 0
    code, out, _ = cc(db, "remind", "--as-of", "2026-11-26", "--dry-run")
    assert code == 0 and "3 reminder(s) (dry run: nothing written)" in out
    assert "first reminder Rossi SA: R-1 — would go to anna@rossi.example" in out
    assert "second reminder Rossi SA: R-2 — would go to anna@rossi.example" in out
    assert "formal notice Silent Co: S-1 — no e-mail address on file" in out
    code, out, _ = cc(db, "remind", "--as-of", "2026-11-26")
    assert code == 0 and "3 reminder(s)" in out
    outbox = sorted((isolated_home / "data" / "outbox").glob("*.eml"))
    assert len(outbox) == 2
    second = message_from_bytes(next(p for p in outbox if "reminder2" in p.name).read_bytes(), policy=default)
    assert second["Subject"] == "Deuxième relance : facture échue R-2"
    assert "- R-2 du 01/09/2026, échue le 01/11/2026 : 200,00\u00a0€ restant dû" in second.get_content()
    assert "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées." in second.get_content()
    code, out, _ = cc(db, "remind", "--as-of", "2026-11-26")
    assert "1 reminder(s)" in out and "Silent Co" in out and "Rossi" not in out  # Rossi's were sent once
    assert len(sorted((isolated_home / "data" / "outbox").glob("*.eml"))) == 2
    code, out, _ = cc(db, "remind", "--as-of", "2026-12-01")
    assert "formal notice Rossi SA: R-2 — saved to" in out  # 30 days late: escalates
    assert "R-1" not in out  # 9 days late: still level 1, already sent
    assert "first reminder Timely SA: T-1 — saved to" in out  # 7 days late now
    assert "3 reminder(s)" in out


def test_the_level_reached_shows_in_the_debtor_file(tmp_path: Path, isolated_home: Path) -> None:
    import json

    db = _ledger(tmp_path)
    out = cc(db, "show", "Rossi", "--as-of", "2026-11-26")[1]
    assert "Written reminder: none sent for these invoices" in out
    cc(db, "remind", "--as-of", "2026-11-26")
    out = cc(db, "show", "Rossi", "--as-of", "2026-11-26")[1]
    assert "Written reminder: second reminder sent on 26/11/2026" in out
    data = json.loads(cc(db, "show", "Rossi", "--json", "--as-of", "2026-11-26")[1])
    assert data["reminder_level"] == 2
    assert {(r["invoice"], r["level"]) for r in data["reminders"]} == {("R-1", 1), ("R-2", 1), ("R-2", 2)}
    # Once the second-reminder invoice is paid, what is left was only reminded once.
    assert cc(db, "pay", "R-2", "200", "--date", "2026-11-26", "--as-of", "2026-11-26")[0] == 0
    data = json.loads(cc(db, "show", "Rossi", "--json", "--as-of", "2026-11-28")[1])
    assert data["reminder_level"] == 1
