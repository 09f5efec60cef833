"""The same files imported on SQLite and on PostgreSQL give the same ledger, row for row.

PostgreSQL writes an import's rows over COPY (services/import_copy.py), SQLite through
SQLAlchemy Core: the decisions are shared, and these tests prove the results are too, for
the real sample files (every format the importers read), for a re-import, and for a newer
export where payments, e-mails, phones and contacts changed, in both the "few changed
lines" and the "whole ledger" paths of the import.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from scripts.bench import write_export as bench_export
from sqlalchemy import Engine, update

from callcoach.db.engine import session_scope
from callcoach.db.tables import Invoice
from callcoach.domain.clock import Clock
from callcoach.services.importing import FEW, Counts, import_csv
from callcoach.services.sources import import_path
from callcoach.services.store import open_ledger
from tests.engines import PgServer
from tests.factories import FR_HEADER, fr_line, ledger_rows, write_export
from tests.importers.samples import shared_sample

Importer = Callable[[Engine], list[tuple[object, ...]]]


@pytest.fixture
def both(tmp_path: Path, pg_server: PgServer) -> Iterator[tuple[Engine, Engine]]:
    """A fresh ledger on each engine."""
    url = pg_server.new_database()
    lite, pg = open_ledger(tmp_path / "ledger.sqlite"), open_ledger(url)
    try:
        yield lite, pg
    finally:
        lite.dispose()
        pg.dispose()
        pg_server.drop(url)


def counts(c: Counts) -> tuple[int, int, int]:
    return (c.created, c.updated, c.unchanged)


def import_all(engine: Engine, path: Path, clock: Clock) -> list[tuple[object, ...]]:
    """Import a file or folder as `callcoach import` does; what each file's outcome said."""
    with session_scope(engine) as session:
        outcomes = import_path(session, path, clock=clock)
    said = []
    for o in outcomes:
        r = o.report
        said.append(
            (o.path.name, o.kind, o.refused, o.closed)
            + ((counts(r.debtors), counts(r.invoices), counts(r.contacts), r.rejected) if r else ())
        )
    return said


def assert_same(both: tuple[Engine, Engine], steps: list[Importer]) -> dict[str, list[tuple[object, ...]]]:
    """Run each step on both engines: the same reports after each, the same ledger at the end."""
    lite, pg = both
    for step in steps:
        assert step(lite) == step(pg)
    on_lite, on_pg = ledger_rows(lite), ledger_rows(pg)
    for name in on_lite:
        assert on_lite[name] == on_pg[name], f"table {name} differs"
    return on_lite


@pytest.mark.parametrize("folder", ["exports", "fec", "facturx", "ubl", "cii"])
def test_the_sample_files_give_the_same_ledger_on_both_engines(
    both: tuple[Engine, Engine], clock: Clock, folder: str
) -> None:
    samples = shared_sample(folder)
    later = Clock.fixed(datetime(2026, 12, 3, 9, 30, tzinfo=UTC), UTC)
    tables = assert_same(
        both,
        [lambda e: import_all(e, samples, clock), lambda e: import_all(e, samples, later)],  # again, a week later
    )
    assert tables["invoice"], f"nothing imported from {samples}"


def _export(path: Path, lines: list[str]) -> Path:
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _cells(line: str) -> list[str]:
    return line.split(";")


def _changed(lines: list[str], every: int) -> list[str]:
    """A newer export: every ``every``-th invoice paid in full, some e-mails and phones changed,
    a contact named where there was none, and three new invoices for a new customer."""
    out = [lines[0]]
    for n, line in enumerate(lines[1:]):
        cells = line.split(";")
        if n % every == 0:
            cells[5] = cells[4]  # paid in full
        if n % (every * 3) == 1:
            cells[8] = f"new{n}@example.org"
        if n % (every * 5) == 2:
            cells[7] = "02 40 00 00 00"
        if n % (every * 7) == 3 and not cells[6]:
            cells[6] = f"Dana {n}"
        out.append(";".join(cells))
    for k in range(3):
        out.append(f"N{k};Nouveau client;01/11/2026;01/12/2026;{100 + k},00;;;;;;")
    return out


@pytest.mark.parametrize("invoices,every", [(300, 37), (FEW + 1_000, 3)], ids=["few-changed", "whole-ledger"])
def test_a_newer_export_gives_the_same_ledger_and_counts_on_both_engines(
    both: tuple[Engine, Engine], tmp_path: Path, clock: Clock, invoices: int, every: int
) -> None:
    first = tmp_path / "first.csv"
    bench_export(first, max(invoices // 10, 5), invoices, date(2026, 11, 26))
    lines = first.read_text(encoding="utf-8").splitlines()
    newer_lines = _changed(lines, every)
    newer = _export(tmp_path / "newer.csv", newer_lines)
    # The newer export with its last two columns swapped: every line read again, none changed.
    swapped = _export(tmp_path / "swapped.csv", [";".join([*c[:-2], c[-1], c[-2]]) for c in map(_cells, newer_lines)])
    later = Clock.fixed(datetime(2026, 12, 1, 8, 0, tzinfo=UTC), UTC)
    said: list[list[tuple[object, ...]]] = []

    def step(path: Path, when: Clock) -> Importer:
        def run(engine: Engine) -> list[tuple[object, ...]]:
            said.append(import_all(engine, path, when))
            return said[-1]

        return run

    tables = assert_same(both, [step(first, clock), step(first, clock), step(newer, later), step(swapped, later)])
    invoice_counts = [outcome[0][5] for outcome in said[::2]]  # (created, updated, unchanged) per step, SQLite's
    assert invoice_counts[0] == (invoices, 0, 0)
    assert invoice_counts[1] == (0, 0, invoices)
    assert invoice_counts[2][0] == 3 and invoice_counts[2][1] > 0
    assert invoice_counts[3] == (0, 0, invoices + 3)
    payments = [row for row in tables["payment"] if row[5] == "import"]
    assert payments, "the newer export's payments were recorded"
    assert len(tables["invoice"]) == invoices + 3


def test_a_file_listing_more_open_invoices_than_a_statement_can_carry_still_closes_the_others(
    both: tuple[Engine, Engine], tmp_path: Path, clock: Clock
) -> None:
    """A FEC or aged balance of 70,000 open invoices: more numbers than PostgreSQL takes as
    parameters of one statement (65,535). The invoices it no longer lists are closed."""
    from callcoach.services.closing import close_paid

    day = date(2026, 9, 1)
    path = write_export(
        tmp_path / "gone.csv", [FR_HEADER] + [fr_line(f"G-{n}", "Gone SA", day, day, "50,00") for n in range(3)]
    )
    still_open = {"G-1", *(f"X-{n}" for n in range(70_000))}

    def run(engine: Engine) -> list[tuple[object, ...]]:
        import_all(engine, path, clock)
        with session_scope(engine) as session:
            session.execute(update(Invoice).values(source="aged-balance"))
            return [(close_paid(session, "aged-balance", still_open, clock),)]

    tables = assert_same(both, [run])
    assert [(row[2], row[12]) for row in tables["invoice"]] == [("G-0", "paid"), ("G-1", "open"), ("G-2", "paid")]
    assert [(row[1], row[2], row[5]) for row in tables["payment"]] == [(1, 5000, "import"), (3, 5000, "import")]


def test_two_collectors_importing_the_same_export_at_once_both_succeed_and_nothing_doubles(
    tmp_path: Path, ledger_location: Path | str, clock: Clock
) -> None:
    """The morning's export imported by two colleagues together: one writes it, the other
    finds it already there (on a server the import holds its tables, as SQLite's lock does)."""
    export = tmp_path / "morning.csv"
    bench_export(export, 300, 3_000, date(2026, 11, 26))
    start = threading.Barrier(2)
    said: list[tuple[int, int, int]] = []
    failed: list[str] = []

    def colleague() -> None:
        ledger = open_ledger(ledger_location)
        try:
            start.wait()
            with session_scope(ledger) as session:
                said.append(counts(import_csv(session, export, clock=clock).invoices))
        except Exception as exc:
            failed.append(f"{type(exc).__name__}: {exc}")
        finally:
            ledger.dispose()

    threads = [threading.Thread(target=colleague) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failed == []
    assert sorted(said) == [(0, 0, 3_000), (3_000, 0, 0)]
    engine = open_ledger(ledger_location)
    try:
        tables = ledger_rows(engine)
    finally:
        engine.dispose()
    assert len(tables["invoice"]) == 3_000 and len(tables["debtor"]) == len({row[3] for row in tables["debtor"]})


def test_text_that_copy_would_read_as_markup_lands_as_written(
    both: tuple[Engine, Engine], tmp_path: Path, clock: Clock
) -> None:
    """COPY's text format gives a meaning to backslashes, tabs, line breaks and \\N (NULL):
    names, addresses and products holding them are stored as the file wrote them."""
    product = "Étagère 2\\3 \\N \\t tab\there"
    address = "12 rue du Port\n44000 Nantes"
    path = tmp_path / "odd.csv"
    path.write_text(
        "N° facture;Client;Date;Échéance;Montant TTC;Adresse;Prestation;Contact\r\n"
        f'O-1;Back\\slash SA;01/09/2026;01/10/2026;10,00;"{address}";"{product}";\\N\r\n',
        encoding="utf-8",
    )
    tables = assert_same(both, [lambda e: import_all(e, path, clock)])
    [invoice], [debtor], [contact] = tables["invoice"], tables["debtor"], tables["contact"]
    assert invoice[10] == product.replace("\t", " ")  # the reader makes a tab in a cell a space
    assert (debtor[2], debtor[6], contact[2]) == ("Back\\slash SA", address, "\\N")
