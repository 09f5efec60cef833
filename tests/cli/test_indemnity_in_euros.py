"""The 40 € recovery indemnity is a fixed sum in euros (Code de commerce D441-5): on an invoice
in dollars or shekels it is still 40 €, never converted and never labelled in the invoice's
currency, on every line, total, script line, e-mail and ``--json`` figure."""

from __future__ import annotations

import json
from datetime import date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from callcoach.cli.main import app
from callcoach.db.engine import session_scope
from callcoach.db.tables import Dispute, Invoice
from callcoach.domain.clock import Clock
from callcoach.services.desk import Desk
from callcoach.services.script import Script
from callcoach.services.store import open_ledger
from tests.factories import write_export

runner = CliRunner()
AS_OF = "2026-12-01"


def spaced(text: str) -> str:
    """French amounts carry no-break spaces (narrow or not): plain spaces for the comparisons."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def cc(db: Path, lang: str, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), "--lang", lang, *args], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.stderr + result.stdout
    return spaced(result.stdout)


def _ledger(tmp_path: Path) -> Path:
    """X-Men owe 10,000 $ and 500 ₪, both long past due; French-speaking, with an e-mail."""
    db = tmp_path / "l.sqlite"
    export = write_export(
        tmp_path / "e.csv",
        [
            "Invoice;Customer;Date;Due date;Amount;Currency;Contact;E-mail;Language",
            "XM-1;X-Men;01/05/2026;31/05/2026;10 000,00;USD;Charles Xavier;cx@xmen.example;fr",
            "XM-2;X-Men;01/06/2026;30/06/2026;500,00;ILS;Charles Xavier;cx@xmen.example;fr",
        ],
    )
    cc(db, "en", "import", str(export))
    cc(db, "en", "settings", "set", "email", "camille@lumen.example")
    return db


def test_show_states_the_indemnity_in_euros_on_each_line_and_in_the_total(tmp_path: Path) -> None:
    db = _ledger(tmp_path)
    french = cc(db, "fr", "show", "X-Men", "--as-of", AS_OF)
    late_lines = [line for line in french.splitlines() if "de retard, intérêts" in line]
    assert len(late_lines) == 2
    assert all(line.endswith("indemnité 40,00 €") for line in late_lines), late_lines
    assert "$US" in late_lines[0] and "₪" in late_lines[1]  # the interest stays in the invoice's currency
    total = next(line for line in french.splitlines() if line.startswith("Total exigible"))
    assert "10 612,49 $US + 80,00 €" in total and total.count("€") == 1  # two indemnities, in euros
    english = cc(db, "en", "show", "X-Men", "--as-of", AS_OF)
    assert english.count("indemnity €40.00") == 2 and "indemnity $40.00" not in english
    assert "indemnity ₪" not in english and "+ €80.00" in english


def test_show_json_keeps_the_indemnity_apart_in_euros(tmp_path: Path) -> None:
    db = _ledger(tmp_path)
    data = json.loads(cc(db, "en", "show", "X-Men", "--as-of", AS_OF, "--json"))
    dollars = next(i for i in data["invoices"] if i["number"] == "XM-1")
    assert (dollars["currency"], dollars["indemnity_cents"], dollars["indemnity_currency"]) == ("USD", 4000, "EUR")
    # What is due on the dollar invoice, in dollars: the rest and the interest, never the euros.
    assert dollars["total_due_cents"] == dollars["remaining_cents"] + dollars["interest_cents"]
    assert data["totals"]["EUR"]["indemnity_cents"] == 8000
    assert data["totals"]["USD"]["indemnity_cents"] == 0
    assert data["totals"]["USD"]["total_due_cents"] == 1_000_000 + dollars["interest_cents"]


def test_the_reminder_and_the_script_say_the_indemnity_in_euros(tmp_path: Path, isolated_home: Path) -> None:
    db = _ledger(tmp_path)
    assert "saved to" in cc(db, "en", "remind", "--as-of", AS_OF)
    [saved] = (isolated_home / "data" / "outbox").glob("*.eml")
    body = spaced(message_from_bytes(saved.read_bytes(), policy=default).get_content())
    assert body.count("40,00 €") == 2 and "40,00 $US" not in body
    ledger = open_ledger(db)
    for lang, said in (("en", "a fixed €40.00 per invoice"), ("fr", "forfaitaire de 40,00 € par facture")):
        desk = Desk(ledger, clock=Clock.on(date(2026, 12, 1)), lang=lang)
        debtor = desk.call_list()[0].debtor_id
        negotiate = Script(lang).stage("negotiate", desk.debtor_view(debtor).facts)
        assert any(said in spaced(line) for line in negotiate.say), negotiate.say
    ledger.dispose()


def test_payments_and_disputes_on_a_dollar_invoice_are_shown_in_dollars(tmp_path: Path) -> None:
    """The same mix-up, the other way: money received or disputed on an invoice in dollars
    was shown in euros in the checklist, the history and ``show``."""
    db = _ledger(tmp_path)
    cc(db, "en", "pay", "XM-1", "2500", "--date", "2026-11-20")
    ledger = open_ledger(db)
    with session_scope(ledger) as s:
        invoice = s.exec(select(Invoice).where(Invoice.number == "XM-1")).one()[0]
        s.add(
            Dispute(
                debtor_id=invoice.debtor_id,
                invoice_id=invoice.id,
                amount_cents=120000,
                reason="hours",
                opened_on=date(2026, 11, 25),
            )
        )
    shown = cc(db, "en", "show", "X-Men", "--as-of", AS_OF)
    assert "US$1,200.00" in shown and "€1,200.00" not in shown
    desk = Desk(ledger, clock=Clock.on(date(2026, 12, 1)), lang="en")
    debtor = desk.call_list()[0].debtor_id
    lines = [line.text for item in desk.debtor_view(debtor).checklist for line in item.lines]
    assert "Payment received US$2,500.00 on 20/11/2026" in lines
    assert "⚠ open dispute: US$1,200.00 — hours" in lines
    assert "Already paid on these invoices: US$2,500.00" in lines
    history = [e.text for e in desk.timeline(debtor) if e.kind == "dispute"]
    assert history and "US$1,200.00" in history[0]
    ledger.dispose()
