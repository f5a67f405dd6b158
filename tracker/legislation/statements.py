"""Statements the importers run for every file, built once per process.

Building a statement (and the cache key SQLAlchemy derives from it to find its compiled
form) costs more than running it on SQLite; the importers run a dozen of them per file,
so the shapes that never change are made once here and executed with bound values.
"""

from __future__ import annotations

from functools import cache
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
