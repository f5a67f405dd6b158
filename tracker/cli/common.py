"""Options shared by every command, and the one way commands open the database.

Kept free of heavy imports: `tracker --help` must not load SQLAlchemy, feedparser or httpx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

DbOption = Annotated[
    Optional[str],  # noqa: UP045 (typer needs Optional on 3.10)
    typer.Option(
        "--db",
        envvar="TRACKER_DATABASE_URL",
        metavar="URL",
        help="Database URL (default: a SQLite file in your data dir). E.g. postgresql+psycopg://user@host/db",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print stable JSON instead of a table.")]
LimitOption = Annotated[
    int, typer.Option("--limit", min=1, max=1_000_000, help="Show at most this many rows.")
]
PagerOpt = Annotated[bool, typer.Option("--pager", help="Page long output (on a terminal).")]


def open_db(db: str | None, *, create: bool = True) -> Engine:
    """The engine for --db/TRACKER_DATABASE_URL, schema upgraded to head."""
    from tracker.db import open_database

    return open_database(db, create=create)


def open_session(db: str | None):  # type: ignore[no-untyped-def]
    """One transaction on --db's database (schema brought to head first)."""
    from tracker.db import session_scope

    return session_scope(open_db(db))
