"""A ledger from an older release opens with its data intact, after a backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from callcoach.db.engine import make_engine, session_scope
from callcoach.db.migrate import _alembic_config, current_revision, head_revision
from callcoach.db.tables import Dispute
from callcoach.domain.clock import Clock
from callcoach.services import balances
from callcoach.services.desk import Desk
from callcoach.services.store import open_ledger
from tests.factories import small_ledger


def test_upgrade_from_the_first_schema_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    engine = make_engine(db)
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    con = sqlite3.connect(db)
    con.executescript("""
        INSERT INTO debtor (id, name, name_key, kind, in_difficulty, notes)
            VALUES (1, 'Dupont', 'dupont', 'small_company', 0, '');
        INSERT INTO invoice (id, debtor_id, number, issue_date, due_date, amount_cents, currency, paid_cents, status)
            VALUES (1, 1, 'F-1', '2026-09-01', '2026-10-01', 120000, 'EUR', 0, 'open');
        INSERT INTO call (id, debtor_id, started_at, ended_at, excuses, notes, outcome)
            VALUES (1, 1, '2026-11-20 09:00:00.000000', '2026-11-20 09:05:00.000000', '', 'paying Friday', 'promise');
        INSERT INTO promise (id, debtor_id, call_id, amount_cents, currency, due_date, status)
            VALUES (1, 1, 1, 120000, 'EUR', '2026-11-27', 'pending');
        INSERT INTO collectorsettings (id, collector_name, company, phone, email, iban, bic, language,
            default_payment_term_days, first_reminder_days, second_reminder_days, formal_notice_days, small_debt_cents)
            VALUES (1, 'Camille', 'Lumen', '', '', '', '', 'fr', 30, 3, 15, 30, 50000);
    """)
    con.commit()
    con.close()

    engine = open_ledger(db)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    con = sqlite3.connect(db)
    assert con.execute("select notes from call").fetchall() == [("paying Friday",)]
    assert con.execute("select amount_cents, made_on, received_cents from promise").fetchall() == [
        (120000, "2026-11-20", 0)
    ]
    assert con.execute(
        "select collector_name, promise_grace_days, plan_max_months from collectorsettings"
    ).fetchall() == [("Camille", 3, 12)]
    assert con.execute("select name, last_call, open_disputes from balance").fetchall() == [
        ("Dupont", "2026-11-20 09:00:00.000000", 0)
    ]
    con.close()
    backups = list(tmp_path.glob("old.before-0001.*.sqlite"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("select version_num from alembic_version").fetchall() == [("0001",)]
    old.close()


def test_the_fast_path_names_the_real_head() -> None:
    """Opening an up-to-date ledger skips Alembic by comparing with HEAD: it must be the real head."""
    from callcoach.db.migrate import HEAD

    assert head_revision() == HEAD


@pytest.mark.both_engines
def test_0020_fills_the_balance_rows_from_a_ledger_with_calls_and_disputes(
    tmp_path: Path, engine: Engine, clock: Clock
) -> None:
    """Down to 0019 and up again on a ledger in use: each balance row gets its debtor's name,
    flag, collector, last call and open disputes from the ledger, and the new triggers keep
    them (``check`` finds no drift before or after another call)."""
    small_ledger(tmp_path, engine, clock)
    desk = Desk(engine, clock=clock, lang="en")
    beta = next(r for r in desk.call_list() if r.name == "Beta SA").debtor_id
    desk.start_call(beta, None)
    with session_scope(engine) as s:
        s.add(Dispute(debtor_id=beta, amount_cents=5000, reason="late delivery", opened_on=clock.today()))
        s.execute(text("UPDATE debtor SET in_difficulty = :t WHERE id = :d"), {"t": True, "d": beta})
    config = _alembic_config()
    for target in ("0019", "head"):
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            (command.downgrade if target == "0019" else command.upgrade)(config, target)
        if target == "0019":
            assert "last_call" not in {c["name"] for c in inspect(engine).get_columns("balance")}
    with session_scope(engine) as s:
        assert balances.drift(s, today=clock.today()) == []
        kept = s.execute(
            text("SELECT name, in_difficulty, last_call IS NOT NULL, open_disputes FROM balance WHERE debtor_id = :d"),
            {"d": beta},
        ).one()
    assert (kept[0], bool(kept[1]), bool(kept[2]), kept[3]) == ("Beta SA", True, True, 1)
    gamma = next(r for r in desk.call_list() if r.name == "Gamma").debtor_id
    desk.start_call(gamma, None)
    with session_scope(engine) as s:
        assert balances.drift(s, today=clock.today()) == []


def test_0022_sqlite_reads_a_page_from_the_rank_index_alone(tmp_path: Path, engine: Engine, clock: Clock) -> None:
    """On SQLite ``ix_balance_rank`` holds the columns the list shows after its keys; down to
    0021 it holds the keys alone, and the list reads the same either way."""
    from callcoach.services.calllist import call_list

    small_ledger(tmp_path, engine, clock)
    keys = ["home_rank", "currency", "claim_cents", "oldest_due", "name_key", "debtor_id"]
    shown = ["name", "overdue_count", "in_difficulty", "last_call", "open_disputes", "disputed_cents", "collector_id"]

    def indexed() -> list[str]:
        with engine.connect() as conn:
            return [row[2] for row in conn.exec_driver_sql("PRAGMA index_info(ix_balance_rank)")]

    def listed() -> list[tuple[object, ...]]:
        with session_scope(engine, write=False) as s:
            return [(r.name, r.overdue_cents, r.oldest_due) for r in call_list(s, clock=clock, name_filter="a")]

    assert indexed() == keys + shown
    before = listed()
    config = _alembic_config()
    for target, columns in (("0021", keys), ("head", keys + shown)):
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            (command.downgrade if target == "0021" else command.upgrade)(config, target)
        assert indexed() == columns
        assert listed() == before != []
