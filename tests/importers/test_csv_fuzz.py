"""Random and mutated exports: always a clean import or a clear refusal, never a traceback
and never a partial write."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callcoach.db.engine import session_scope
from callcoach.domain.clock import Clock
from callcoach.importers.csv_invoices import ImportFileError
from callcoach.services.importing import ImportRefused, import_csv
from callcoach.services.store import open_ledger

GOOD = (
    "N° facture;Client;Date;Échéance;Montant TTC;Réglé\r\n"
    "F-1;Dupont;01/09/2026;01/10/2026;1 234,56;\r\n"
    "F-2;Martin;02/09/2026;02/10/2026;99,90;10,00\r\n"
)
ERROR_SHAPE = re.compile(r"^.+:\d+: .+: .+$")


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        if not out:
            break
        out[position % len(out)] = value
    return bytes(out)


def check_outcome(tmp: Path, content: bytes) -> None:
    db = tmp / "f.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    engine = open_ledger(db)
    path = tmp / "export.csv"
    path.write_bytes(content)
    try:
        with session_scope(engine) as session:
            report = import_csv(session, path, clock=Clock())
        assert report.written
    except ImportRefused as refused:
        assert refused.report.errors
        for error in refused.report.errors:
            assert ERROR_SHAPE.match(str(error).replace("\n", " ")), str(error)
        assert _invoices(db) == 0  # nothing written
    except ImportFileError as exc:
        assert str(path) in str(exc)
        assert _invoices(db) == 0
    finally:
        engine.dispose()


def _invoices(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("select count(*) from invoice").fetchone()[0]
    finally:
        con.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8))
def test_mutated_exports(tmp_path: Path, edits: list[tuple[int, int]]) -> None:
    check_outcome(tmp_path, mutate(GOOD.encode("cp1252"), edits))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, content: bytes) -> None:
    check_outcome(tmp_path, content)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=7), max_size=5))
def test_random_cells_under_a_real_header(tmp_path: Path, rows: list[list[str]]) -> None:
    lines = ["Invoice;Customer;Date;Amount;Paid"] + [";".join(c.replace(";", ",") for c in row) for row in rows]
    check_outcome(tmp_path, "\n".join(lines).encode("utf-8", errors="surrogatepass"))
