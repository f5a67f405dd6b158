"""Bulk statements whose SQL text does not grow with the data, for PostgreSQL.

SQLAlchemy renders `col IN (...)` and a multi-row INSERT with one placeholder per value,
so every batch is a new, long statement: psycopg re-parses each one in Python (it caches
only short statements) and the server plans it afresh. On PostgreSQL the same work fits in
statements of constant text:

    col = ANY(%(values)s)                                  instead of IN (…)
    INSERT … SELECT unnest(%(a)s), unnest(%(b)s), …        instead of VALUES (…), (…), …
    one INSERT … VALUES (%(a)s, …), pipelined per row      for rows with long texts

which psycopg converts once and the server can prepare. SQLite keeps the ordinary forms
(its statements are cheap to compile and its parameter count is what is bounded).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, bindparam
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session

IN_CHUNK = 900  # values per IN (...) on SQLite (its limit is 32,766 parameters since 3.32)


def dialect_of(bind: Session | Connection) -> str:
    if isinstance(bind, Session):
        return bind.get_bind().dialect.name
    return bind.dialect.name


def among(column: Any, values: Iterable[Any], dialect: str) -> ColumnElement[bool]:
    """`column IN values`, as `column = ANY(array)` on PostgreSQL."""
    values = list(values)
    if dialect != "postgresql":
        return column.in_(values)  # type: ignore[no-any-return]
    from sqlalchemy import any_
    from sqlalchemy.dialects.postgresql import ARRAY

    return column == any_(bindparam(None, values, type_=ARRAY(column.type)))  # type: ignore[no-any-return]


def chunks(values: Sequence[Any], dialect: str, size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    """`values` in pieces small enough for one IN list (all at once on PostgreSQL)."""
    if dialect == "postgresql":
        if values:
            yield values
        return
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_rows(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    returning: Sequence[str] = (),
    skip_conflicts_on: Sequence[str] | None = None,
    narrow: bool = False,
) -> list[Row[Any]]:
    """Insert rows (all with the same keys) in one statement; returns the `returning`
    columns of the rows inserted. `skip_conflicts_on`: ON CONFLICT (these) DO NOTHING.

    On PostgreSQL, `narrow` rows (numbers and short strings) go as one array per column
    into a single INSERT … SELECT FROM unnest(…): one statement for the whole batch. Wide
    rows (article bodies) go as a pipelined executemany, since psycopg escapes long text
    in an array literal slowly."""
    if not rows:
        return []
    names = list(rows[0])
    dialect = conn.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - other dialects: no ON CONFLICT
        from sqlalchemy import insert  # type: ignore[assignment]
    arrays = narrow and dialect == "postgresql"
    if arrays:
        from sqlalchemy import func, select
        from sqlalchemy.dialects.postgresql import ARRAY

        columns = [
            func.unnest(bindparam(None, [r[n] for r in rows], type_=ARRAY(table.c[n].type)))
            for n in names
        ]
        stmt = insert(table).from_select(names, select(*columns))
    else:
        stmt = insert(table).values({n: bindparam(n) for n in names})
    if skip_conflicts_on is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(skip_conflicts_on))
    if returning:
        stmt = stmt.returning(*(table.c[n] for n in returning))
    if arrays:
        result = conn.execute(stmt)
    elif dialect == "postgresql" and conn.dialect.driver == "psycopg":
        return _pg_executemany(conn, stmt, rows, bool(returning))
    else:
        result = conn.execute(stmt, list(rows))
    return list(result) if returning else []


def _pg_executemany(
    conn: Connection, stmt: Any, rows: Sequence[Mapping[str, Any]], returning: bool
) -> list[Any]:
    """One statement text, the rows sent as psycopg's pipelined executemany (each value
    dumped by its own C adapter, one network round trip for the lot)."""
    from psycopg.rows import namedtuple_row

    sql = str(stmt.compile(dialect=conn.dialect))
    raw = conn.connection.driver_connection
    out: list[Any] = []
    with raw.cursor(row_factory=namedtuple_row) as cur:  # type: ignore[union-attr]
        cur.executemany(sql, rows, returning=returning)
        if returning:
            while True:
                out.extend(cur.fetchall())
                if not cur.nextset():
                    break
    return out
