"""Builders for test ledgers: CSV exports as users write them, and rows put straight in."""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.services.importing import ImportReport, import_csv

FR_HEADER = "N° facture;Client;Date;Échéance;Montant TTC;Réglé;Contact;Téléphone;E-mail;Bon de commande;Prestation"


def write_export(path: Path, lines: list[str], *, encoding: str = "utf-8", bom: bool = False) -> Path:
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def fr_line(
    number: str,
    customer: str,
    issued: date,
    due: date,
    amount: str,
    paid: str = "",
    contact: str = "",
    phone: str = "",
    email: str = "",
    po: str = "",
    product: str = "",
) -> str:
    return ";".join(
        [
            number,
            customer,
            issued.strftime("%d/%m/%Y"),
            due.strftime("%d/%m/%Y"),
            amount,
            paid,
            contact,
            phone,
            email,
            po,
            product,
        ]
    )


def import_file(engine: Engine, path: Path, clock: Clock, **options: object) -> ImportReport:
    with session_scope(engine) as session:
        return import_csv(session, path, clock=clock, **options)  # type: ignore[arg-type]


def small_ledger(tmp_path: Path, engine: Engine, clock: Clock) -> ImportReport:
    """Four debtors whose order is known: by overdue amount, then by age."""
    lines = [
        FR_HEADER,
        fr_line("A-1", "Alpha SARL", date(2026, 9, 1), date(2026, 10, 1), "1 000,00", contact="Ann Alpha"),
        fr_line("B-1", "Beta SA", date(2026, 6, 1), date(2026, 7, 1), "500,00"),
        fr_line("B-2", "Beta SA", date(2026, 8, 1), date(2026, 9, 1), "500,00"),
        fr_line("C-1", "Gamma", date(2026, 5, 1), date(2026, 6, 1), "2 000,00", "1 000,00"),
        fr_line("D-1", "Delta", date(2026, 11, 1), date(2026, 12, 1), "9 999,00"),
        fr_line("E-1", "Epsilon", date(2026, 4, 1), date(2026, 5, 1), "300,00", "300,00"),
    ]
    return import_file(engine, write_export(tmp_path / "ledger.csv", lines), clock)


_DEMOS: dict[tuple[datetime, str], bytes] = {}  # the demo ledger's bytes, by the clock it was built on


def demo_ledger_at(path: Path, clock: Clock) -> Path:
    """The demo ledger (``build_demo``) as a new file at ``path``: built once per clock in the
    session, then copied (it is the same ledger every time: same data, same clock), mode 0600
    as ``build_demo`` creates it."""
    key = (clock.now(), repr(clock.tz))
    if key not in _DEMOS:
        from callcoach.services.demo import build_demo

        folder = tempfile.mkdtemp(prefix="callcoach-demo-")
        atexit.register(shutil.rmtree, folder, True)
        built = Path(folder) / "demo.sqlite"
        build_demo(built, reset=True, clock=clock)
        assert not Path(f"{built}-wal").exists(), "the demo must be whole in its main file"
        _DEMOS[key] = built.read_bytes()
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(_DEMOS[key])
    return path


def ledger_rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, ordered by primary key, as Python values: the same ledger
    gives the same answer on either engine."""
    from sqlalchemy import select
    from sqlmodel import SQLModel

    tables = {}
    with session_scope(engine, write=False) as session:
        for name, table in sorted(SQLModel.metadata.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            tables[name] = [tuple(row) for row in session.execute(select(table).order_by(*order))]
    return tables


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    """What the SQLite file holds, read as a user's other tools would read it."""
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


class HandLedger:
    """A ledger written row by row, for figures computed by hand (the overview's tests)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._numbers = 0

    def debtor(self, name: str) -> int:
        from callcoach.db.tables import Debtor
        from callcoach.domain.text import name_key

        with session_scope(self.engine) as session:
            debtor = Debtor(name=name, name_key=name_key(name))
            session.add(debtor)
            session.flush()
            assert debtor.id is not None
            return debtor.id

    def invoice(
        self,
        debtor_id: int,
        amount_cents: int,
        *,
        issued: date,
        due: date,
        paid_cents: int = 0,
        currency: str = "EUR",
        status: str | None = None,
    ) -> int:
        from callcoach.db.tables import Invoice

        self._numbers += 1
        if status is None:
            status = "paid" if amount_cents > 0 and paid_cents >= amount_cents else "open"
        with session_scope(self.engine) as session:
            invoice = Invoice(
                debtor_id=debtor_id,
                number=f"H-{self._numbers:04d}",
                issue_date=issued,
                due_date=due,
                amount_cents=amount_cents,
                paid_cents=paid_cents,
                currency=currency,
                status=status,
                doc_type="credit_note" if amount_cents < 0 else "invoice",
            )
            session.add(invoice)
            session.flush()
            assert invoice.id is not None
            return invoice.id

    def payment(self, invoice_id: int, amount_cents: int, paid_on: date, *, method: str | None = None) -> None:
        """A dated payment row; the invoice's paid amount is the caller's to set."""
        from datetime import UTC, datetime

        from callcoach.db.tables import Payment

        with session_scope(self.engine) as session:
            session.add(
                Payment(
                    invoice_id=invoice_id,
                    amount_cents=amount_cents,
                    paid_on=paid_on,
                    method=method,
                    recorded_at=datetime(2026, 11, 26, tzinfo=UTC),
                )
            )

    def promise(
        self,
        debtor_id: int,
        amount_cents: int,
        due: date,
        *,
        status: str = "pending",
        received_cents: int = 0,
        currency: str = "EUR",
        made_on: date | None = None,
    ) -> None:
        from callcoach.db.tables import Promise

        with session_scope(self.engine) as session:
            session.add(
                Promise(
                    debtor_id=debtor_id,
                    amount_cents=amount_cents,
                    currency=currency,
                    due_date=due,
                    status=status,
                    received_cents=received_cents,
                    made_on=made_on or due,
                )
            )

    def dispute(self, debtor_id: int, invoice_id: int, amount_cents: int) -> None:
        from callcoach.db.tables import Dispute

        with session_scope(self.engine) as session:
            session.add(
                Dispute(
                    debtor_id=debtor_id,
                    invoice_id=invoice_id,
                    amount_cents=amount_cents,
                    reason="not delivered",
                    opened_on=date(2026, 11, 1),
                )
            )

    def call(self, debtor_id: int, started_at: datetime, outcome: str | None) -> None:
        from datetime import timedelta

        from callcoach.db.tables import Call

        with session_scope(self.engine) as session:
            session.add(
                Call(
                    debtor_id=debtor_id,
                    started_at=started_at,
                    ended_at=started_at + timedelta(minutes=5) if outcome else None,
                    outcome=outcome,
                )
            )
