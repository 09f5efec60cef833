"""Moving up: a freelancer's SQLite ledger copied into a team's PostgreSQL database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from callcoach.cli.main import app
from callcoach.db.engine import session_scope
from callcoach.db.tables import Call, Contact
from callcoach.domain.clock import Clock
from callcoach.services.store import open_ledger
from tests.engines import PgServer
from tests.factories import HandLedger, small_ledger

runner = CliRunner()


def cc(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, "--lang", "en", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def server_db(pg_server: PgServer) -> Iterator[str]:
    url = pg_server.new_database()
    yield url
    pg_server.drop(url)


def _file_ledger(tmp_path: Path, db_path: Path, clock: Clock) -> None:
    """A ledger with every kind of row, the call <-> contact cycle included."""
    engine = open_ledger(db_path)
    small_ledger(tmp_path, engine, clock)
    hand = HandLedger(engine)
    alpha = 1
    hand.call(alpha, datetime(2026, 11, 20, 10, 0, tzinfo=UTC), "promise")
    hand.promise(alpha, 50_000, date(2026, 12, 3), made_on=date(2026, 11, 20))
    hand.dispute(alpha, 1, 10_000)
    hand.payment(1, 20_000, date(2026, 11, 21))
    with session_scope(engine) as session:
        call = session.exec(select(Call)).scalars().first()  # type: ignore[call-overload]
        found = Contact(debtor_id=alpha, name="Paul, the accountant", phone="01 23 45 67 89", found_in_call_id=call.id)
        session.add(found)
        session.flush()
        call.contact_id = found.id
        session.add(call)
    engine.dispose()


def test_every_row_moves_and_the_server_gives_the_same_answers(
    tmp_path: Path, db_path: Path, clock: Clock, server_db: str
) -> None:
    _file_ledger(tmp_path, db_path, clock)
    code, out, err = cc(str(db_path), "migrate-to", server_db)
    assert code == 0, err
    assert "every count checked" in out
    assert "contact" in out and "promise" in out

    as_of = ("--as-of", "2026-11-26")
    assert json.loads(cc(server_db, "list", "--json", *as_of)[1]) == json.loads(
        cc(str(db_path), "list", "--json", *as_of)[1]
    )
    shown_file = json.loads(cc(str(db_path), "show", "Alpha", "--json", *as_of)[1])
    shown_server = json.loads(cc(server_db, "show", "Alpha", "--json", *as_of)[1])
    assert shown_server == shown_file
    code, out, err = cc(server_db, "check", *as_of)  # the balances rebuilt there agree with the invoices
    assert code == 0 and out.strip().endswith(": ok"), err

    server = open_ledger(server_db)
    try:
        with session_scope(server) as session:
            found = session.exec(select(Contact).where(Contact.found_in_call_id.is_not(None))).scalars().one()  # type: ignore[call-overload,union-attr]
            call = session.get(Call, found.found_in_call_id)
            assert call is not None and call.contact_id == found.id  # the cycle came across whole
            before = session.exec(select(func.max(Call.id))).scalar_one()  # type: ignore[call-overload]
        HandLedger(server).call(1, datetime(2026, 11, 27, 9, 0, tzinfo=UTC), None)  # a new row after the move
        with session_scope(server) as session:
            assert session.exec(select(func.max(Call.id))).scalar_one() == before + 1  # type: ignore[call-overload]
    finally:
        server.dispose()


def test_a_server_that_already_holds_a_ledger_is_refused_untouched(
    tmp_path: Path, db_path: Path, clock: Clock, server_db: str
) -> None:
    _file_ledger(tmp_path, db_path, clock)
    assert cc(str(db_path), "migrate-to", server_db)[0] == 0
    before = cc(server_db, "list", "--json", "--as-of", "2026-11-26")[1]
    code, _, err = cc(str(db_path), "migrate-to", server_db)
    assert code == 1
    assert "already holds a ledger" in err and "Traceback" not in err
    assert cc(server_db, "list", "--json", "--as-of", "2026-11-26")[1] == before


def test_a_server_ledger_is_named_without_its_password(server_db: str) -> None:
    with_password = server_db.replace("postgres@", "postgres:s3cret@", 1).replace("127.0.0.1", "127.0.0.1", 1)
    code, _, err = cc(with_password.rsplit("/", 1)[0] + "/no_such_database", "list")
    assert code == 1
    assert "s3cret" not in err and "***" in err
    code, _, err = cc(str(Path("/nonexistent/ledger.sqlite")), "migrate-to", "not-a-url")
    assert code == 1 and "not a server URL" in err
