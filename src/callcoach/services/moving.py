"""Moving a ledger up: a freelancer's SQLite file copied into a team's PostgreSQL database.

Every row of every table is copied with its id (the balances, derived from the invoices, are
recomputed there), in the order the foreign keys need, in one
transaction on the server: a failure leaves the server database as it was. The counts are
compared afterwards, table by table, and the server's id sequences moved past the copied
ids so the next row written there does not collide. The source file is only read (once
brought to the current schema, like any ledger callcoach opens).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, Integer, MetaData, Table, func, or_, select, text

from callcoach.services import balances
from callcoach.services.errors import UserError

BATCH = 5_000
# Computed from the invoices: rebuilt on the server, not copied.
DERIVED = ("balance", "balance_change", "balance_total")


@dataclass(frozen=True)
class TableCopy:
    name: str
    source_rows: int
    copied_rows: int


@dataclass(frozen=True)
class Move:
    """What was copied, table by table; ``ok`` when every count matches."""

    tables: tuple[TableCopy, ...]

    @property
    def ok(self) -> bool:
        return all(t.source_rows == t.copied_rows for t in self.tables)

    @property
    def rows(self) -> int:
        return sum(t.copied_rows for t in self.tables)


def _ledger_tables() -> tuple[list[Table], dict[str, list[str]]]:
    """The ledger's tables in foreign-key order (parents first), Alembic's own table aside,
    and the columns of the foreign keys that form a cycle (a contact found during a call
    that is made with a contact): those are copied empty, then filled once every row is in."""
    from sqlalchemy.sql.ddl import sort_tables_and_constraints
    from sqlmodel import SQLModel

    import callcoach.db.tables  # noqa: F401  (registers every table on SQLModel's metadata)

    metadata: MetaData = SQLModel.metadata
    every = list(metadata.tables.values())
    in_cycles = {fkc for table, fkcs in sort_tables_and_constraints(every) if table is None for fkc in fkcs}
    # Of the keys in a cycle, the optional ones are filled after the copy; the others order it.
    deferred = {fkc for fkc in in_cycles if all(column.nullable for column in fkc.columns)}
    ordered = sort_tables_and_constraints(every, filter_fn=lambda fkc: True if fkc in deferred else None)
    tables = [table for table, _ in ordered if table is not None and table.name not in DERIVED]
    cyclic: dict[str, list[str]] = {}
    for fkc in deferred:
        cyclic.setdefault(fkc.table.name, []).extend(column.name for column in fkc.columns)
    return tables, cyclic


def move_ledger(
    source: Engine,
    target: Engine,
    *,
    target_name: str,
    progress: Callable[[str, int], None] | None = None,
) -> Move:
    """Copy ``source`` (an up-to-date SQLite ledger) into ``target`` (an up-to-date, empty
    ledger on a server). Refuses a target that already holds rows."""
    from sqlalchemy.exc import DBAPIError

    tables, cyclic = _ledger_tables()
    with target.connect() as conn:
        holding = [t.name for t in tables if conn.execute(select(func.count()).select_from(t)).scalar_one()]
    if holding:
        raise UserError(
            "{target_name}: already holds a ledger (tables {names} have rows); moving up needs an empty database",
            code="move_target_not_empty",
            target_name=target_name,
            names=", ".join(holding[:4]),
        )
    try:
        return _copy(source, target, tables, cyclic, target_name, progress)
    except DBAPIError as exc:
        detail = (str(getattr(exc, "orig", exc)).strip().splitlines() or ["failed"])[0]
        raise UserError(
            "{target_name}: the copy failed and was undone ({detail})",
            code="move_failed",
            target_name=target_name,
            detail=detail,
        ) from None


def _copy(
    source: Engine,
    target: Engine,
    tables: list[Table],
    cyclic: dict[str, list[str]],
    target_name: str,
    progress: Callable[[str, int], None] | None,
) -> Move:
    copies: list[TableCopy] = []
    with source.connect() as reading, target.begin() as writing:
        for table in tables:
            later = cyclic.get(table.name, [])
            copied = 0
            result = reading.execute(select(table).order_by(*table.primary_key))
            while batch := result.fetchmany(BATCH):
                writing.execute(table.insert(), [{**row._mapping, **dict.fromkeys(later)} for row in batch])
                copied += len(batch)
                if progress is not None:
                    progress(table.name, copied)
            counted = writing.execute(select(func.count()).select_from(table)).scalar_one()
            source_rows = reading.execute(select(func.count()).select_from(table)).scalar_one()
            copies.append(TableCopy(table.name, int(source_rows), int(counted)))
            _move_sequence_past(writing, table)
        for table in tables:
            _fill_cyclic_columns(reading, writing, table, cyclic.get(table.name, []))
        # Recomputed from the copied invoices, not copied: only a horizon, any day gives the same list.
        balances.refresh(writing, None, datetime.now(UTC).date())
        move = Move(tuple(copies))
        if not move.ok:
            wrong = ", ".join(
                f"{t.name} {t.copied_rows}/{t.source_rows}" for t in move.tables if t.copied_rows != t.source_rows
            )
            raise UserError(
                "{target_name}: counts differ after the copy ({wrong}); nothing was kept",
                code="move_counts_differ",
                target_name=target_name,
                wrong=wrong,
            )
    return move


def _fill_cyclic_columns(reading: Connection, writing: Connection, table: Table, columns: list[str]) -> None:
    if not columns:
        return
    key = next(iter(table.primary_key.columns))
    wanted = [table.c[name] for name in columns]
    rows = reading.execute(select(key, *wanted).where(or_(*(column.is_not(None) for column in wanted)))).all()
    for row in rows:
        values = {name: row._mapping[name] for name in columns}
        writing.execute(table.update().where(key == row._mapping[key.name]).values(**values))


def _move_sequence_past(conn: Connection, table: Table) -> None:
    """A PostgreSQL serial id keeps counting from 1 when rows are inserted with their ids."""
    if conn.dialect.name != "postgresql":
        return
    for column in table.primary_key.columns:
        if not isinstance(column.type, Integer):
            continue
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'coalesce((SELECT max("{column.name}") FROM "{table.name}"), 0) + 1, false)'
            ),
            {"table": table.name, "column": column.name},
        )
