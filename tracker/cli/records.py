"""CLI commands: database set-up and the sourced records (init, load, show, demo)."""

from __future__ import annotations

import typer

from tracker.cli import app
from tracker.cli.common import DbOption


@app.command()
def init(db: DbOption = None) -> None:
    """Create the database or upgrade its schema to the latest version.

    Example: tracker init --db postgresql+psycopg://postgres@127.0.0.1:5432/tracker
    """
    from tracker.db import current_revision, make_engine, upgrade
    from tracker.render import note

    engine = make_engine(db)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    url = engine.url.render_as_string(hide_password=True)
    if before == after:
        note(f"{url}: schema already at {after}")
    else:
        note(f"{url}: schema upgraded {before or 'empty'} -> {after}")
    typer.Exit(0)
