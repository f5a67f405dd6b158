"""CLI commands: query (timeline, search, record tables, watchlists, digest, export, stats).

Each command parses options, opens a session, makes one library call in tracker.query and
renders the result (tracker.render.*) or prints its stable JSON. Heavy imports stay inside
the functions so `tracker --help` stays fast.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from tracker.cli import app
from tracker.cli.common import DbOption, JsonOption, LimitOption, open_db

# typer needs Optional[...] on 3.10
ActorOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--actor",
        "-a",
        help="Only what involves this actor (name, alias or slug; typos are tolerated).",
    ),
]
SinceOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--since", help="From this date: YYYY, YYYY-MM, YYYY-MM-DD, 'June 2026', or 7d/2w/3m/1y."
    ),
]
UntilOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--until", help="Up to this date (inclusive; 'June 2026' means up to June 30)."),
]
PagerOpt = Annotated[bool, typer.Option("--pager", help="Page long output (on a terminal).")]


def _session(db: str | None):  # type: ignore[no-untyped-def]
    from tracker.db import session_scope

    return session_scope(open_db(db))


@app.command()
def timeline(
    actor: ActorOpt = None,
    record: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--record", "-r", help="Only this record (slug or title) and its events."),
    ] = None,
    kind: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--kind",
            "-k",
            help="incident, letter, measure, designation, event or article (repeat or comma-separate).",
        ),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    tag: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--tag", "-t", help="Only records with this tag (articles: feeds with it)."),
    ] = None,
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--as-of", help="Show the knowledge base as it stood at the end of this date."
        ),
    ] = None,
    pager: PagerOpt = False,
    db: DbOption = None,
    json: JsonOption = False,
    limit: LimitOption = 200,
) -> None:
    """One chronological view: record events, dated fields, measure actions, challenges and
    linked articles, grouped by month, with sources and conflicting dates marked.

    Example: tracker timeline --actor alibaba --since 2026-06 --as-of 2026-06-15
    """
    from tracker.query.common import parse_date_option, parse_until_option
    from tracker.query.timeline import build_timeline, parse_kinds

    kinds = parse_kinds(kind)
    since_d = parse_date_option(since, "--since")
    until_d = parse_until_option(until)
    as_of_d = parse_date_option(as_of, "--as-of")
    with _session(db) as session:
        result = build_timeline(
            session,
            actor=actor,
            record=record,
            kinds=kinds,
            since=since_d,
            until=until_d,
            tags=tag,
            as_of=as_of_d,
            limit=limit,
        )
    if json:
        from tracker.render import emit_json

        emit_json(result.to_dict())
        return
    from tracker.render import emit
    from tracker.render.timeline import timeline_view

    emit(timeline_view(result), pager=pager)
