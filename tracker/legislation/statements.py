"""Statements the importers run for every file, built once per process.

Building a statement (and the cache key SQLAlchemy derives from it to find its compiled
form) costs more than running it on SQLite; the importers run a dozen of them per file,
so the shapes that never change are made once here and executed with bound values.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any


@cache
def insert_into(table: Any) -> Any:
    """A plain INSERT for `table` (executemany with a list of dicts)."""
    from sqlalchemy import insert

    return insert(table)


@cache
def measure_ids() -> Any:
    """(official_id, id) of the measures among :oids."""
    from sqlalchemy import bindparam, select

    from tracker.models import Measure

    t = Measure.__table__
    return select(t.c.official_id, t.c.id).where(
        t.c.official_id.in_(bindparam("oids", expanding=True))
    )


@cache
def source_lookup() -> Any:
    """(id, published_on) of the sources with slug :slug or URL :url (a NULL URL matches
    nothing), oldest first."""
    from sqlalchemy import bindparam, select

    from tracker.models import Source

    t = Source.__table__
    return (
        select(t.c.id, t.c.published_on)
        .where((t.c.slug == bindparam("slug")) | (t.c.url == bindparam("url")))
        .order_by(t.c.id)
    )


@cache
def source_insert() -> Any:
    from sqlalchemy import insert

    from tracker.models import Source

    t = Source.__table__
    return insert(t).returning(t.c.id)


@cache
def insert_returning_slug(table: Any) -> Any:
    """INSERT into a table with a unique slug, returning (slug, id) for each row."""
    from sqlalchemy import insert

    return insert(table).returning(table.c.slug, table.c.id)


def bulk_insert(session: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts with the same keys) into `table` in one executemany.

    The statement is compiled once per dialect, table and set of columns, and the rows go
    to the driver with the same conversions SQLAlchemy applies (the column types' bind
    processors: dates become text on SQLite, nothing changes on PostgreSQL), without its
    per-row parameter machinery, which cost as much as the inserts themselves. Anything
    the plan does not cover (a column with a Python-side default not given, odd names)
    takes the ordinary path.
    """
    if not rows:
        return
    conn = session.connection()
    keys = tuple(rows[0])
    plan = _insert_plan(conn.dialect, table, keys)
    if plan is None or any(len(r) != len(keys) for r in rows):
        session.execute(insert_into(table), rows)
        return
    sql, get, procs = plan
    if get is None:  # named parameters (psycopg): the dicts themselves
        params: list[Any] = (
            [{**r, **{k: p(r[k]) for k, p in procs}} for r in rows] if procs else rows
        )
    elif procs:
        params = [_processed(get(r), procs) for r in rows]
    else:
        params = [get(r) for r in rows]
    conn.exec_driver_sql(sql, params)


def _processed(values: tuple[Any, ...], procs: tuple[tuple[int, Any], ...]) -> tuple[Any, ...]:
    out = list(values)
    for i, proc in procs:
        out[i] = proc(out[i])
    return tuple(out)


@lru_cache(maxsize=256)  # bounded: a process may make many engines (each its own dialect)
def _insert_plan(dialect: Any, table: Any, keys: tuple[str, ...]) -> Any:
    """(SQL text, row → positional tuple or None for named, value processors), or None."""
    from operator import itemgetter

    from sqlalchemy import insert

    if len(keys) < 2:
        return None
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys), for_executemany=True)
    if set(compiled.binds) != set(keys) or compiled.escaped_bind_names:
        return None  # a Python-side default to compute, or renamed parameters
    order = list(compiled.positiontup) if compiled.positional else list(keys)
    procs = []
    for i, key in enumerate(order):
        proc = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        if proc is not None:
            procs.append((i, proc) if compiled.positional else (key, proc))
    get = itemgetter(*order) if compiled.positional else None
    return compiled.string, get, tuple(procs)
