"""Builders for test ledgers: CSV exports as users write them, and rows put straight in."""

from __future__ import annotations

import sqlite3
from datetime import date
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


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    """What the SQLite file holds, read as a user's other tools would read it."""
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
