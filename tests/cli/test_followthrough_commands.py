"""today, report faults, followup and dispute, as a user runs them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from callcoach.cli.main import app
from callcoach.db.engine import session_scope
from callcoach.db.tables import Debtor, Invoice
from callcoach.domain.clock import Clock
from callcoach.domain.kinds import Outcome
from callcoach.domain.outcomes import OutcomeEntry
from callcoach.services import calls
from tests.factories import small_ledger

runner = CliRunner()


def cc(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), "--lang", "en", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def end_call(engine: Engine, name: str, entry: OutcomeEntry, notes: str = "") -> None:
    clock = Clock.fixed(datetime(2026, 11, 26, 10, tzinfo=UTC), UTC)
    with session_scope(engine) as s:
        debtor = s.exec(select(Debtor.id).where(Debtor.name == name)).one()[0]
        call = calls.start_call(s, debtor_id=debtor, contact_id=None, clock=clock)
        calls.end_call(s, call_id=call.id, entry=entry, notes=notes, stage="close", excuses=[], clock=clock)


@pytest.fixture
def ledger(tmp_path: Path, engine: Engine, clock: Clock) -> Engine:
    small_ledger(tmp_path, engine, clock)
    return engine


def test_today_lists_due_now_then_the_ranked_list(ledger: Engine, db_path: Path) -> None:
    end_call(ledger, "Alpha SARL", OutcomeEntry(Outcome.CALLBACK, on=date(2026, 11, 27), at=time(14, 0)))
    code, out, _ = cc(db_path, "today", "--as-of", "2026-11-27", "--json")
    assert code == 0
    agenda = json.loads(out)
    assert [r["name"] for r in agenda["due_now"]] == ["Alpha SARL"]
    assert agenda["due_now"][0]["due"][0]["kind"] == "callback"
    assert [r["name"] for r in agenda["next_up"]] == ["Gamma", "Beta SA"]
    code, out, _ = cc(db_path, "today", "--as-of", "2026-11-27")
    assert "Due now" in out and "call back" in out and "Next up" in out


def test_report_faults(ledger: Engine, db_path: Path) -> None:
    end_call(
        ledger,
        "Gamma",
        OutcomeEntry(Outcome.NO_ANSWER, next_step="written_reminder", on=date(2026, 11, 30), faults=["wrong_address"]),
        notes="sent to old HQ",
    )
    end_call(
        ledger,
        "Beta SA",
        OutcomeEntry(
            Outcome.NO_ANSWER,
            next_step="written_reminder",
            on=date(2026, 11, 30),
            faults=["wrong_address", "missing_po"],
        ),
    )
    code, out, _ = cc(db_path, "report", "faults", "--json")
    records = json.loads(out)
    assert sorted((r["debtor"], r["fault"]) for r in records) == [
        ("Beta SA", "missing_po"),
        ("Beta SA", "wrong_address"),
        ("Gamma", "wrong_address"),
    ]
    code, out, _ = cc(db_path, "report", "faults")
    assert code == 0
    assert "   2  invoice sent to the wrong address" in out


def test_announced_step_done_or_withdrawn_with_a_reason(ledger: Engine, db_path: Path) -> None:
    end_call(
        ledger, "Beta SA", OutcomeEntry(Outcome.REFUSED, consequence="legal_action", consequence_on=date(2026, 12, 1))
    )
    _, out, _ = cc(db_path, "show", "Beta SA", "--json")
    [step] = json.loads(out)["follow_ups"]
    assert (step["kind"], step["what"], step["done_at"]) == ("consequence", "legal_action", None)
    code, _, err = cc(db_path, "followup", str(step["id"]), "--withdraw", "")
    assert code == 1 and "say why it is withdrawn" in err
    code, out, _ = cc(db_path, "followup", str(step["id"]), "--withdraw", "paid in full on 30/11")
    assert code == 0
    _, out, _ = cc(db_path, "show", "Beta SA", "--json")
    [step] = json.loads(out)["follow_ups"]
    assert (step["resolution"], step["reason"]) == ("withdrawn", "paid in full on 30/11")
    code, _, err = cc(db_path, "followup", str(step["id"]))
    assert code == 1 and "already closed" in err


@pytest.mark.parametrize(
    ("how", "paid", "status", "claimable"), [("credit_note", 30000, "open", 70000), ("withdrawn", 0, "open", 100000)]
)
def test_resolving_a_dispute_updates_the_balance(
    ledger: Engine, db_path: Path, how: str, paid: int, status: str, claimable: int
) -> None:
    with session_scope(ledger) as s:
        invoice_id = s.exec(select(Invoice.id).where(Invoice.number == "C-1")).one()[0]
    end_call(ledger, "Gamma", OutcomeEntry(Outcome.DISPUTE, invoice_id=invoice_id, amount_cents=30000, reason="late"))
    _, out, _ = cc(db_path, "list", "--as-of", "2026-11-26", "--json")
    assert {r["name"]: r["overdue_cents"] for r in json.loads(out)}["Gamma"] == 70000
    _, out, _ = cc(db_path, "show", "Gamma", "--json")
    dispute_id = json.loads(out)["disputes"][0]["id"]
    code, _, _ = cc(db_path, "dispute", str(dispute_id), "--how", how)
    assert code == 0
    with session_scope(ledger) as s:
        invoice = s.get(Invoice, invoice_id)
        assert (invoice.paid_cents - 100000, invoice.status) == (paid, status)
    _, out, _ = cc(db_path, "list", "--as-of", "2026-11-26", "--json")
    assert {r["name"]: r["overdue_cents"] for r in json.loads(out)}["Gamma"] == claimable


def test_agenda_ics_rings_at_the_agreed_time(ledger: Engine, db_path: Path, tmp_path: Path) -> None:
    from icalendar import Calendar

    end_call(ledger, "Alpha SARL", OutcomeEntry(Outcome.CALLBACK, on=date(2026, 11, 27), at=time(14, 0)))
    end_call(
        ledger, "Beta SA", OutcomeEntry(Outcome.REFUSED, consequence="legal_action", consequence_on=date(2026, 12, 3))
    )
    code, out, _ = cc(db_path, "agenda", "--ics", str(tmp_path / "agenda.ics"))
    assert code == 0 and "2 event(s)" in out
    events = Calendar.from_ical((tmp_path / "agenda.ics").read_bytes()).walk("VEVENT")
    assert [(str(e["summary"]), e["dtstart"].dt) for e in events] == [
        ("Call back: Alpha SARL", datetime(2026, 11, 27, 14, 0, tzinfo=UTC)),
        ("Carry out: Beta SA", datetime(2026, 12, 3, 0, 0, tzinfo=UTC)),
    ]
    assert str(events[1]["description"]) == "legal action"


def test_show_lists_promises_and_follow_ups_with_the_ids_other_commands_take(ledger: Engine, db_path: Path) -> None:
    end_call(
        ledger,
        "Alpha SARL",
        OutcomeEntry(Outcome.PROMISE, amount_cents=25_000, on=date(2026, 11, 30), method="transfer"),
    )
    end_call(ledger, "Alpha SARL", OutcomeEntry(Outcome.CALLBACK, on=date(2026, 11, 27), at=time(14, 0)))
    code, out, err = cc(db_path, "show", "Alpha SARL", "--as-of", "2026-11-26")
    assert code == 0, err
    assert "Invoices" in out and "Inv." not in out
    assert "Promises" in out and "€250.00" in out and "pending" in out
    assert "Follow-ups" in out and "Call back" in out and "27/11/2026 14:00" in out
    ids = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│ 1 ")]
    assert ids  # the first promise and follow-up, by the IDs `followup` and `dispute` take


def test_today_and_the_desk_header_count_the_same_debtors_due(ledger: Engine, db_path: Path) -> None:
    """Issue 17: `callcoach today` and the desk's header disagreed on what is due. Both now
    count the call list's due debtors as of the same day (``calllist.due_today``)."""
    from callcoach.services.desk import Desk

    end_call(ledger, "Alpha SARL", OutcomeEntry(Outcome.CALLBACK, on=date(2026, 11, 27), at=time(14, 0)))
    end_call(ledger, "Beta SA", OutcomeEntry(Outcome.CALLBACK, on=date(2026, 11, 26), at=time(11, 0)))  # missed
    end_call(ledger, "Gamma", OutcomeEntry(Outcome.CALLBACK, on=date(2026, 11, 28), at=time(9, 0)))  # not yet
    code, out, _ = cc(db_path, "today", "--as-of", "2026-11-27", "--json")
    assert code == 0
    agenda = json.loads(out)
    assert sorted(r["name"] for r in agenda["due_now"]) == ["Alpha SARL", "Beta SA"]
    assert agenda["due"] == {"debtors": 2, "late": 1}
    morning = Clock.fixed(datetime(2026, 11, 27, 9, 0, tzinfo=UTC), UTC)
    header = Desk(ledger, clock=morning, lang="en").day_figures()
    assert (header.due_today, header.late) == (2, 1)
    code, out, _ = cc(db_path, "today", "--as-of", "2026-11-27")
    assert "Due now — 27/11/2026 · 2 due, 1 of them late" in out
