"""callcoach remind: the right level for each invoice, one e-mail per debtor, never twice."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from sqlalchemy import select
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


def test_levels_come_in_order_one_e_mail_per_debtor_never_twice(tmp_path: Path, isolated_home: Path) -> None:
    db = _ledger(
        tmp_path,
        "S-1;Silent Co;01/09/2026;01/10/2026;300,00;;;",  # 56 d late, no e-mail address
        "T-1;Timely SA;01/11/2026;24/11/2026;50,00;;t@timely.example;",  # 2 d late: nothing yet
    )
    assert cc(db, "settings", "set", "collector_name", "Camille Martin")[0] == 0
    code, out, _ = cc(db, "remind", "--as-of", "2026-11-26", "--dry-run")
    # Nothing was ever sent: a first reminder for everyone, however late (never a second
    # reminder or a formal notice as the first written contact), one line per debtor.
    assert code == 0 and "2 reminder(s) (dry run: nothing written)" in out
    assert "first reminder Rossi SA: R-2, R-1 — would go to anna@rossi.example" in out
    assert "first reminder Silent Co: S-1 — skipped: no e-mail address on file" in out
    code, out, _ = cc(db, "remind", "--as-of", "2026-11-26")
    assert code == 0 and "2 reminder(s), 1 written" in out
    outbox = sorted((isolated_home / "data" / "outbox").glob("*.eml"))
    assert len(outbox) == 1
    first = message_from_bytes(outbox[0].read_bytes(), policy=default)
    assert first["Subject"] == "Relance : factures échues R-2, R-1"
    assert "- R-2 du 01/09/2026, échue le 01/11/2026\u00a0: 200,00\u00a0€ restant dû" in first.get_content()
    code, out, _ = cc(db, "remind", "--as-of", "2026-11-26")
    assert "Rossi" not in out  # sent once
    # Five days on: T-1 is now due its first reminder; Rossi's second needs 12 days after the first.
    code, out, _ = cc(db, "remind", "--as-of", "2026-12-01")
    assert "Rossi" not in out and "first reminder Timely SA: T-1 — saved to" in out
    code, out, _ = cc(db, "remind", "--as-of", "2026-12-08")
    # R-1 is 16 days late (second due), R-2 37 days late: second reminder for both, in one e-mail.
    assert "second reminder Rossi SA: R-2, R-1 — saved to" in out
    code, out, _ = cc(db, "remind", "--as-of", "2026-12-23")
    # 52 days late and 15 days after the second: formal notice; R-1: 31 days late, also 15 days on.
    assert "formal notice Rossi SA: R-2, R-1 — saved to" in out


def test_no_reminder_while_an_agreement_holds_or_on_a_disputed_invoice(tmp_path: Path, isolated_home: Path) -> None:
    from callcoach.db.engine import session_scope
    from callcoach.db.tables import Debtor, Dispute, Invoice, Promise
    from callcoach.services.store import open_ledger

    db = _ledger(tmp_path, "D-1;Dispute SA;01/09/2026;01/10/2026;300,00;Dan;dan@dispute.example;")
    engine = open_ledger(db)
    with session_scope(engine) as s:
        rossi = s.exec(select(Debtor).where(Debtor.name == "Rossi SA")).scalars().one()
        s.add(Promise(debtor_id=rossi.id, amount_cents=30000, due_date=date(2026, 11, 27), made_on=date(2026, 11, 26)))
        invoice = s.exec(select(Invoice).where(Invoice.number == "D-1")).scalars().one()
        s.add(
            Dispute(
                debtor_id=invoice.debtor_id,
                invoice_id=invoice.id,
                amount_cents=100,
                reason="x",
                opened_on=date(2026, 11, 1),
            )
        )
    engine.dispose()
    code, out, _ = cc(db, "remind", "--as-of", "2026-11-26", "--dry-run")
    assert code == 0 and "0 reminder(s)" in out and "Rossi" not in out and "Dispute SA" not in out
    # The promise is late once its grace days pass (27/11 + 3): the reminders resume.
    out = cc(db, "remind", "--as-of", "2026-12-01", "--dry-run")[1]
    assert "first reminder Rossi SA" in out and "Dispute SA" not in out


def test_a_bad_address_is_skipped_with_its_reason_and_the_others_go(tmp_path: Path, isolated_home: Path) -> None:
    from callcoach.db.engine import session_scope
    from callcoach.db.tables import Contact
    from callcoach.services.store import open_ledger

    db = _ledger(tmp_path, "B-1;Bad Mail SA;01/09/2026;01/10/2026;300,00;Bob;bob@bad.example;")
    engine = open_ledger(db)
    with session_scope(engine) as s:  # an address edited by hand in the ledger, or by an old version
        bob = s.exec(select(Contact).where(Contact.name == "Bob")).scalars().one()
        bob.email = "bob-at-nowhere"
    engine.dispose()
    code, out, _ = cc(db, "remind", "--as-of", "2026-11-26")
    assert code == 0
    assert "first reminder Bad Mail SA: B-1 — skipped: the e-mail address bob-at-nowhere cannot be used" in out
    assert "first reminder Rossi SA: R-2, R-1 — saved to" in out
    assert len(list((isolated_home / "data" / "outbox").glob("*.eml"))) == 1


def test_the_level_reached_shows_in_the_debtor_file(tmp_path: Path, isolated_home: Path) -> None:
    import json

    db = _ledger(tmp_path)
    out = cc(db, "show", "Rossi", "--as-of", "2026-11-26")[1]
    assert "Written reminder: none sent for these invoices" in out
    cc(db, "remind", "--as-of", "2026-11-26")
    out = cc(db, "show", "Rossi", "--as-of", "2026-11-26")[1]
    assert "Written reminder: first reminder sent on 26/11/2026" in out
    cc(db, "remind", "--as-of", "2026-12-08")
    data = json.loads(cc(db, "show", "Rossi", "--json", "--as-of", "2026-12-08")[1])
    assert data["reminder_level"] == 2
    assert {(r["invoice"], r["level"]) for r in data["reminders"]} == {("R-1", 1), ("R-2", 1), ("R-1", 2), ("R-2", 2)}


def test_a_plan_missed_once_lets_the_reminders_resume(tmp_path: Path, isolated_home: Path) -> None:
    from callcoach.db.engine import session_scope
    from callcoach.db.tables import Debtor, Promise
    from callcoach.services.store import open_ledger

    db = _ledger(tmp_path)
    engine = open_ledger(db)
    with session_scope(engine) as s:
        rossi = s.exec(select(Debtor).where(Debtor.name == "Rossi SA")).scalars().one()
        for n, due in enumerate((date(2026, 11, 10), date(2026, 12, 10)), 1):  # the first one missed
            s.add(
                Promise(
                    debtor_id=rossi.id,
                    call_id=None,
                    amount_cents=15000,
                    due_date=due,
                    made_on=date(2026, 11, 1),
                    instalment_no=n,
                    instalment_count=2,
                )
            )
    engine.dispose()
    out = cc(db, "remind", "--as-of", "2026-11-26", "--dry-run")[1]
    assert "first reminder Rossi SA" in out


def test_export_and_show_json_carry_the_same_file_e_mails_and_reminders_included(
    tmp_path: Path, isolated_home: Path
) -> None:
    """One serialiser behind both: the right-of-access export leaves nothing out that show has."""
    import json

    db = _ledger(tmp_path)
    assert cc(db, "remind", "--as-of", "2026-11-26")[0] == 0
    shown = json.loads(cc(db, "show", "Rossi", "--json", "--as-of", "2026-11-26")[1])
    code, out, _ = cc(db, "export", "Rossi")
    assert code == 0
    exported = json.loads(out)
    assert sorted((r["invoice"], r["level"], r["sent_on"]) for r in exported["reminders"]) == [
        ("R-1", 1, "2026-11-26"),
        ("R-2", 1, "2026-11-26"),
    ]
    [email] = exported["emails"]
    assert email["subject"] == "Relance : factures échues R-2, R-1" and email["path"].endswith(".eml")
    for part in ("contacts", "payments", "calls", "promises", "disputes", "follow_ups", "emails", "reminders"):
        assert shown[part] == exported[part], part
    assert [i["number"] for i in shown["invoices"]] == [i["number"] for i in exported["invoices"]]
    assert exported["debtor"]["name"] == shown["name"] == "Rossi SA"


def _letter(path: Path):  # type: ignore[no-untyped-def]
    msg = message_from_bytes(path.read_bytes(), policy=default)
    return msg, msg.get_content().replace("\r\n", "\n")


def test_on_a_team_reminders_are_in_the_senders_language_and_signed_by_them(
    tmp_path: Path, isolated_home: Path
) -> None:
    # Rossi (4 days late on the 26th) and Vega (due on the 24th, 4 days late on the 28th) state no language.
    db = tmp_path / "l.sqlite"
    export = write_export(
        tmp_path / "e.csv",
        [
            "Invoice;Customer;Date;Due date;Amount;Contact;E-mail",
            "R-1;Rossi SA;01/10/2026;22/11/2026;100,00;Anna Rossi;anna@rossi.example",
            "V-1;Vega SL;01/10/2026;24/11/2026;300,00;Vera Vega;vera@vega.example",
        ],
    )
    assert cc(db, "import", str(export))[0] == 0
    for name, value in (("email", "desk@lumen.example"), ("collector_name", "The Owner"), ("company", "Lumen")):
        assert cc(db, "settings", "set", name, value)[0] == 0
    assert cc(db, "collector", "add", "Camille Martin", "--lang", "fr")[0] == 0
    assert cc(db, "collector", "add", "Sam Okafor", "--lang", "en")[0] == 0
    outbox = isolated_home / "data" / "outbox"

    code, out, err = cc(db, "remind", "--as-of", "2026-11-26")  # a team's ledger: who sends them?
    assert code != 0 and "say who you are with --as NAME" in out + err and not outbox.exists()
    code, out, _ = cc(db, "--as", "Camille", "remind", "--as-of", "2026-11-26")
    assert code == 0 and "1 reminder(s), 1 written" in out
    code, out, _ = cc(db, "--as", "Sam", "remind", "--as-of", "2026-11-28")
    assert code == 0 and "1 reminder(s), 1 written" in out

    (rossi, rossi_body), (vega, vega_body) = (_letter(p) for p in sorted(outbox.glob("*.eml")))
    assert rossi["Subject"] == "Relance : facture échue R-1"
    assert rossi_body.rstrip("\n").split("\n")[-2:] == ["Camille Martin", "Lumen"]
    assert str(rossi["From"].addresses[0].display_name) == "Camille Martin"
    assert vega["Subject"] == "Reminder: overdue invoice V-1"
    assert vega_body.rstrip("\n").split("\n")[-2:] == ["Sam Okafor", "Lumen"]
    assert str(vega["From"].addresses[0].display_name) == "Sam Okafor"
