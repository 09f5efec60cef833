"""How an import's rows reach the tables, per engine: the decisions stay in ``importing``.

``importing`` decides which debtors, contacts and invoices are new, changed or unchanged
(one rule, one home, whatever the engine); a writer only carries the result. SQLite takes
the rows through SQLAlchemy Core, new invoices straight through the driver. PostgreSQL
would spend most of a large import on binding parameters one statement at a time: there
the rows go over ``COPY ... FROM STDIN`` (psycopg 3's ``cursor.copy()``) into a temporary
staging table, and one ``INSERT ... SELECT`` or ``UPDATE ... FROM`` moves them into place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, update
from sqlalchemy.sql.schema import ScalarElementColumnDefault

STAGE = "callcoach_import_stage"
# Every table an import writes: on a server the import holds them for its transaction, as
# SQLite's write lock does, so two imports (or an import and a desk's payment) never
# interleave between the import's reading of the ledger and its writing.
IMPORT_TABLES = ("debtor", "contact", "invoice", "payment")

Rows = Sequence[Sequence[object]]


class CoreWriter:
    """The portable path: SQLAlchemy Core in bulk (SQLite, and any engine without COPY)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(self) -> None:
        """SQLite's write transaction (BEGIN IMMEDIATE) already holds the whole file."""

    def insert(self, table: Table, columns: Sequence[str], rows: Rows) -> None:
        if rows:
            self.conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])

    def insert_returning(
        self, table: Table, columns: Sequence[str], rows: Rows, returning: Sequence[str]
    ) -> list[tuple[Any, ...]]:
        if not rows:
            return []
        stmt = insert(table).returning(*(table.c[name] for name in returning), sort_by_parameter_order=True)
        return [tuple(r) for r in self.conn.execute(stmt, [dict(zip(columns, row, strict=True)) for row in rows])]

    def update(self, table: Table, columns: Sequence[str], rows: Rows) -> None:
        """Rows of (id, *values of ``columns[1:]``): each row's invoice, debtor... set to its values."""
        if not rows:
            return
        key, *names = columns
        stmt = (
            update(table)
            .where(table.c[key] == bindparam(f"k_{key}"))
            .values({name: bindparam(f"v_{name}") for name in names})
        )
        params = [{f"k_{key}": row[0], **{f"v_{n}": v for n, v in zip(names, row[1:], strict=True)}} for row in rows]
        self.conn.execute(stmt, params)

    def insert_invoices(self, table: Table, columns: Sequence[str], rows: Rows) -> None:
        """New invoices in bulk. On SQLite the rows go straight to the driver, dates written
        as SQLAlchemy writes them (ISO text): binding them through Core costs more than the
        insert itself on a 100,000-line export."""
        if self.conn.dialect.name != "sqlite":
            self.insert(table, columns, rows)
            return
        dates = [i for i, name in enumerate(columns) if name in ("issue_date", "due_date")]
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

        def plain(row: Sequence[object]) -> tuple[object, ...]:
            cells = list(row)
            for i in dates:
                day = cells[i]
                assert isinstance(day, date)  # an invoice's issue and due dates
                cells[i] = day.isoformat()
            return tuple(cells)

        self.conn.exec_driver_sql(sql, [plain(row) for row in rows])


class CopyWriter(CoreWriter):
    """PostgreSQL: rows over COPY into a staging table, then one statement puts them in place."""

    def lock(self) -> None:
        # SHARE ROW EXCLUSIVE: readers go on (MVCC), other writers of these tables wait for
        # the import's commit, and a second import waits for the first, as on SQLite.
        self.conn.exec_driver_sql(f"LOCK TABLE {', '.join(IMPORT_TABLES)} IN SHARE ROW EXCLUSIVE MODE")

    def insert(self, table: Table, columns: Sequence[str], rows: Rows) -> None:
        if rows:
            self._from_stage(table, columns, rows, "")

    def insert_returning(
        self, table: Table, columns: Sequence[str], rows: Rows, returning: Sequence[str]
    ) -> list[tuple[Any, ...]]:
        if not rows:
            return []
        return self._from_stage(table, columns, rows, f" RETURNING {', '.join(returning)}")

    def insert_invoices(self, table: Table, columns: Sequence[str], rows: Rows) -> None:
        self.insert(table, columns, rows)

    def update(self, table: Table, columns: Sequence[str], rows: Rows) -> None:
        if not rows:
            return
        key, *names = columns
        self._stage(table, columns, rows)
        assignments = ", ".join(f"{name} = s.{name}" for name in names)
        self.conn.exec_driver_sql(
            f"UPDATE {table.name} AS t SET {assignments} FROM {STAGE} AS s WHERE t.{key} = s.{key}"
        )
        self._drop_stage()

    def _from_stage(self, table: Table, columns: Sequence[str], rows: Rows, returning: str) -> list[tuple[Any, ...]]:
        """INSERT ... SELECT from the staged rows, with the Python-side defaults SQLAlchemy
        would have filled for the columns the rows leave out (a contact's civility...)."""
        defaults = {
            c.name: c.default.arg
            for c in table.columns
            if c.name not in columns and isinstance(c.default, ScalarElementColumnDefault)
        }
        names = (*columns, *defaults)
        extra = tuple(defaults.values())
        self._stage(table, names, [(*row, *extra) for row in rows] if extra else rows)
        listed = ", ".join(names)
        # A fresh staging table holds the rows in the order they were copied (its ctid): new
        # ids follow the file's order, as on SQLite. No ON CONFLICT: the import holds the
        # tables (``lock``), so a row it found new is new, and a clash would be a bug to raise.
        result = self.conn.exec_driver_sql(
            f"INSERT INTO {table.name} ({listed}) SELECT {listed} FROM {STAGE} ORDER BY ctid{returning}"
        )
        found = [tuple(r) for r in result] if returning else []
        self._drop_stage()
        return found

    def _stage(self, table: Table, columns: Sequence[str], rows: Rows) -> None:
        """A temporary table shaped like ``table``'s ``columns`` (same types), filled by COPY.
        Dropped once used, and at the latest with the transaction (a failed one included).
        The INSERT or UPDATE from it marks the connection as having written (db.engine)."""
        listed = ", ".join(columns)
        self.conn.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {STAGE} ON COMMIT DROP AS SELECT {listed} FROM {table.name} WITH NO DATA"
        )
        cursor = self.conn.connection.cursor()
        try:
            with cursor.copy(f"COPY {STAGE} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()

    def _drop_stage(self) -> None:
        self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGE}")


def writer_for(conn: Connection) -> CoreWriter:
    return CopyWriter(conn) if conn.dialect.name == "postgresql" else CoreWriter(conn)
