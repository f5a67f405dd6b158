"""CLI commands: query (timeline, search, record tables, watchlists, digest, export, stats).

Each command parses options, opens a session, makes one library call in tracker.query and
renders the result (tracker.render.*) or prints its stable JSON. Heavy imports stay inside
the functions so `tracker --help` stays fast.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from tracker.cli import app
from tracker.cli.common import (
    DbOption,
    JsonOption,
    LimitOption,
    PagerOpt,
    open_session,
)
from tracker.query.options import SORTS

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
    with open_session(db) as session:
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


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='Words (all must match), "a phrase", OR, -word, prefix*.')
    ],
    actor: ActorOpt = None,
    kind: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--kind", "-k", help="article, incident, letter, measure, designation or event."
        ),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    pager: PagerOpt = False,
    db: DbOption = None,
    json: JsonOption = False,
    limit: LimitOption = 20,
) -> None:
    """Full-text search over articles and records, best matches first, with snippets.

    Example: tracker search '"section 1260h" alibaba' --since 2026-06 --kind article
    """
    from tracker.query.common import parse_date_option, parse_until_option
    from tracker.query.search import search as run_search

    since_d = parse_date_option(since, "--since")
    until_d = parse_until_option(until)
    with open_session(db) as session:
        result = run_search(
            session, query, actor=actor, kinds=kind, since=since_d, until=until_d, limit=limit
        )
    if json:
        from tracker.render import emit_json

        emit_json(result.to_dict())
        return
    from tracker.render import emit
    from tracker.render.search import search_view

    emit(search_view(result), pager=pager)


def _record_table(
    kind: str,
    *,
    actor: str | None,
    status: str | None,
    tag: str | None,
    since: str | None,
    until: str | None,
    sort: str | None,
    reverse: bool,
    pager: bool,
    db: str | None,
    json: bool,
    limit: int,
) -> None:
    from tracker.query.common import parse_date_option, parse_until_option
    from tracker.query.tables import list_records

    since_d = parse_date_option(since, "--since")
    until_d = parse_until_option(until)
    with open_session(db) as session:
        table = list_records(
            session, kind, actor=actor, status=status, tag=tag, since=since_d,
            until=until_d, sort=sort, reverse=reverse, limit=limit,
        )  # fmt: skip
    if json:
        from tracker.render import emit_json

        emit_json(table.to_dict())
        return
    from tracker.render import emit
    from tracker.render.tables import record_table_view

    emit(record_table_view(table), pager=pager)


StatusOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--status", "-s", help="Only records with this status."),
]
TagOpt = Annotated[Optional[str], typer.Option("--tag", "-t", help="Only records with this tag.")]  # noqa: UP045
ReverseOpt = Annotated[bool, typer.Option("--reverse", help="Reverse the sort order.")]


def _sort(kind: str) -> object:
    """An Annotated --sort option restricted to the kind's sort keys (bad value: exit 2)."""
    return Annotated[
        Optional[Literal[SORTS[kind]]],  # type: ignore[valid-type]  # noqa: UP045
        typer.Option("--sort", help=f"Sort by (default {SORTS[kind][0]}).", show_default=False),
    ]


_TABLES = {
    "incidents": (
        "incident",
        "Incidents as a table: perpetrators, targets, figures (exchanges, accounts), status.",
        "tracker incidents --sort exchanges --limit 10",
    ),
    "letters": (
        "letter",
        "Letters as a table: sent and made-public dates, authors, recipients, number of asks.",
        'tracker letters --actor "Bill Hagerty" --sort public',
    ),
    "measures": (
        "measure",
        "Bills and amendments as a table: official id, sponsors, status, last action.",
        "tracker measures --sort last-action --status adopted",
    ),
    "designations": (
        "designation",
        "Designations (e.g. the Section 1260H list) as a table: subject, dates, challenges.",
        "tracker designations --status challenged --sort challenges",
    ),
}


def _table_command(name: str, kind: str, summary: str, example: str) -> None:
    """Register `tracker NAME`: the record table of one kind (same options for every kind)."""

    def command(
        actor: ActorOpt = None,
        status: StatusOpt = None,
        tag: TagOpt = None,
        since: SinceOpt = None,
        until: UntilOpt = None,
        sort: Optional[str] = None,  # noqa: UP045 (annotation replaced below)
        reverse: ReverseOpt = False,
        pager: PagerOpt = False,
        db: DbOption = None,
        json: JsonOption = False,
        limit: LimitOption = 100,
    ) -> None:
        _record_table(
            kind, actor=actor, status=status, tag=tag, since=since, until=until, sort=sort,
            reverse=reverse, pager=pager, db=db, json=json, limit=limit,
        )  # fmt: skip

    command.__annotations__["sort"] = _sort(kind)
    command.__doc__ = f"{summary}\n\nExample: {example}"
    command.__name__ = name
    app.command(name)(command)


for _name, (_kind, _summary, _example) in _TABLES.items():
    _table_command(_name, _kind, _summary, _example)


@app.command()
def export(
    what: Annotated[
        Literal["timeline", "records", "articles"],
        typer.Argument(help="What to export: timeline, records or articles."),
    ],
    fmt: Annotated[
        Literal["json", "csv", "ics", "md", "atom"],
        typer.Option(
            "--format", "-f", help="json, csv, ics (calendar), md (briefing), atom (feed)."
        ),
    ] = "json",
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
    actor: ActorOpt = None,
    record: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--record", "-r", help="Timeline: only this record and its events."),
    ] = None,
    kind: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--kind", "-k", help="Timeline/records: only these kinds."),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    tag: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--tag", "-t", help="Only records with this tag."),
    ] = None,
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--as-of", help="Timeline: as the knowledge base stood on this date."),
    ] = None,
    db: DbOption = None,
    limit: LimitOption = 1000,
) -> None:
    """Export the timeline, records or articles: JSON, CSV, an iCalendar file for calendar apps,
    a one-page Markdown briefing with footnoted sources, or an Atom feed for feed readers.

    Example: tracker export timeline --actor alibaba --format md -o alibaba-briefing.md
    """
    from tracker.errors import UsageError
    from tracker.export import export as run_export
    from tracker.query.common import parse_date_option, parse_until_option
    from tracker.query.timeline import parse_kinds

    filters: dict[str, object] = {
        "actor": actor,
        "since": parse_date_option(since, "--since"),
        "until": parse_until_option(until),
        "limit": limit,
    }
    if what == "timeline":
        filters |= {
            "record": record, "kinds": parse_kinds(kind), "tags": tag or (),
            "as_of": parse_date_option(as_of, "--as-of"),
        }  # fmt: skip
    else:
        if record or as_of:
            raise UsageError("--record and --as-of apply to `export timeline` only")
        if what == "records":
            filters |= {"kinds": parse_kinds(kind), "tags": tag or ()}
        elif kind or tag:
            raise UsageError("--kind and --tag apply to timeline and records exports")
    with open_session(db) as session:
        document = run_export(session, what, fmt, **filters)
    if output is None:
        import sys

        sys.stdout.write(document)
        sys.stdout.flush()
        return
    _write_atomically(output, document)
    from tracker.render import note as say

    say(f"wrote {what} as {fmt} to {output}")


def _write_atomically(path: str, text: str) -> None:
    """Write through a temporary file and rename, so a failed export leaves no half file."""
    import os
    import tempfile

    from tracker.errors import UsageError

    target = os.path.abspath(os.path.expanduser(path))
    folder = os.path.dirname(target)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tracker-export-")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        os.unlink(tmp)
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


@app.command()
def stats(db: DbOption = None, json: JsonOption = False) -> None:
    """Counts, feed health, and what awaits review (links, record suggestions, conflicts).

    Example: tracker stats --json
    """
    from tracker.query.stats import build_stats

    with open_session(db) as session:
        result = build_stats(session)
    if json:
        from tracker.render import emit_json

        emit_json(result.to_dict())
        return
    from tracker.render import emit
    from tracker.render.stats import stats_view

    emit(stats_view(result))
