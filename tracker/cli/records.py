"""CLI commands: database set-up and the sourced records (init, load, show, demo)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli import app
from tracker.cli.common import DbOption, JsonOption, LimitOption, open_db

AsOfOpt = Annotated[
    Optional[str],  # noqa: UP045 (typer needs Optional on 3.10)
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Show what the knowledge base knew at the end of this date (e.g. 2026-06-15).",
    ),
]


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


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="YAML record files.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Load YAML record files (docs/records-format.md). Everything is checked before anything
    is written; loading the same files again changes nothing.

    Example: tracker load records/alibaba.yaml records/letters.yaml
    """
    from dataclasses import asdict

    from tracker.db import session_scope
    from tracker.records.loader import load_files
    from tracker.render import emit, emit_json
    from tracker.render.records import load_report_view

    with session_scope(open_db(db)) as session:
        report = load_files(session, files)
    if json:
        emit_json(asdict(report) | {"changed": report.changed})
    else:
        emit(load_report_view(report))


@app.command()
def show(
    name: Annotated[str, typer.Argument(metavar="NAME-OR-SLUG", help="An actor or a record.")],
    as_of: AsOfOpt = None,
    db: DbOption = None,
    json: JsonOption = False,
    limit: LimitOption = 200,
) -> None:
    """Show one actor or record: its fields with their sources (conflicts marked), related
    records, timeline and sources. Names, aliases and small typos are accepted.

    Example: tracker show alibaba --as-of 2026-06-15
    """
    from dataclasses import asdict

    from tracker.dates import parse_date_arg
    from tracker.db import session_scope
    from tracker.records.show import ActorDetail, show
    from tracker.render import emit, emit_json
    from tracker.render.records import show_view

    when = parse_date_arg(as_of) if as_of else None
    with session_scope(open_db(db)) as session:
        detail = show(session, name, as_of=when, limit=limit)
    if json:
        emit_json(
            {"type": "actor" if isinstance(detail, ActorDetail) else "record", **asdict(detail)}
        )
    else:
        emit(show_view(detail))


@app.command()
def demo(db: DbOption = None, limit: LimitOption = 200) -> None:
    """Build the demo knowledge base (the June 2026 distillation story), ingest the bundled
    sample feeds about it (offline; articles are linked to the story's actors) and print its
    timeline. Safe to run again: unchanged records and items are left alone.

    Example: tracker demo --db sqlite:///demo.db
    """
    from tracker.config import feeds_dir
    from tracker.db import session_scope
    from tracker.ingest.run import ingest_paths
    from tracker.query.timeline import build_timeline
    from tracker.records.demo import build_demo
    from tracker.render import emit, note
    from tracker.render.timeline import timeline_view

    engine = open_db(db)
    with session_scope(engine) as session:
        report = build_demo(session)
    feeds = ingest_paths(engine, [feeds_dir() / "samples"])
    with session_scope(engine) as session:
        timeline = build_timeline(session, limit=limit)
    emit(timeline_view(timeline))
    note(
        ("demo records loaded: " if report.changed else "demo records already up to date: ")
        + report.summary()
    )
    note(
        f"sample feeds: {len(feeds.feeds)} feeds, {feeds.new} new items, "
        f"{feeds.updated} updated, {feeds.unchanged} unchanged"
    )
    note(
        "Next: tracker show alibaba · tracker show qwen-distillation-campaign · tracker timeline --actor hagerty"
    )
