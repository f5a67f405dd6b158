"""CLI commands: feeds (subscriptions) and ingest (pulling them).

Exit codes of `tracker ingest`: 0 every feed pulled (or nothing new), 1 some feeds failed,
2 could not run (bad arguments, unusable database), 3 another ingest holds the SQLite lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli import app
from tracker.cli.common import DbOption, JsonOption, LimitOption, open_db

feeds_app = typer.Typer(
    help="Manage feed subscriptions (add, list, remove, import/export OPML).",
    no_args_is_help=True,
)
app.add_typer(feeds_app, name="feeds")

TagsOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--tag", "-t", help="Tag the feed (repeatable)."),
]


@feeds_app.command("add")
def feeds_add(
    source: Annotated[str, typer.Argument(help="Feed URL (http/https) or a local feed file.")],
    name: Annotated[Optional[str], typer.Option("--name", help="A display name.")] = None,  # noqa: UP045
    tag: TagsOpt = None,
    db: DbOption = None,
) -> None:
    """Subscribe to a feed; it is pulled by the next `tracker ingest`.

    Example: tracker feeds add https://www.example.gov/news/rss.xml --name "Example" --tag policy
    """
    from tracker.db import session_scope
    from tracker.ingest.sources import add_feed
    from tracker.render import note

    engine = open_db(db)
    with session_scope(engine) as session:
        feed = add_feed(session, source, name=name, tags=tag or [])
        fid, url = feed.id, feed.url
    note(f"subscribed to {url} (feed {fid})")


@feeds_app.command("list")
def feeds_list(
    tag: Annotated[
        str | None, typer.Option("--tag", "-t", help="Only feeds with this tag.")
    ] = None,
    failing: Annotated[
        bool, typer.Option("--failing", help="Only feeds whose last pull failed.")
    ] = False,
    all_: Annotated[bool, typer.Option("--all", help="Include removed (paused) feeds.")] = False,
    db: DbOption = None,
    json: JsonOption = False,
    limit: LimitOption = 1000,
) -> None:
    """List subscriptions with their health: last success, last error, items, next due.

    Example: tracker feeds list --failing
    """
    from tracker.dates import utcnow
    from tracker.db import session_scope
    from tracker.ingest.sources import list_feeds
    from tracker.render import emit, emit_json
    from tracker.render.feeds import feeds_table

    engine = open_db(db)
    now = utcnow()
    with session_scope(engine) as session:
        rows = list_feeds(
            session, tag=tag, failing=failing, include_inactive=all_, limit=limit, now=now
        )
    if json:
        emit_json([r.to_dict() for r in rows])
    else:
        emit(feeds_table(rows, now))


@feeds_app.command("remove")
def feeds_remove(
    feed: Annotated[str, typer.Argument(help="Feed id, URL, file path or name.")],
    purge: Annotated[
        bool, typer.Option("--purge", help="Also delete the feed's stored articles.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Unsubscribe from a feed (its articles are kept unless --purge).

    Example: tracker feeds remove 12
    """
    from tracker.db import session_scope
    from tracker.ingest.sources import remove_feed
    from tracker.render import note

    engine = open_db(db)
    with session_scope(engine) as session:
        url, deleted = remove_feed(session, feed, purge=purge)
    if purge:
        note(f"removed {url} and {deleted} stored articles")
    else:
        note(f"unsubscribed from {url} (articles kept; --purge deletes them)")


@feeds_app.command("import")
def feeds_import(
    file: Annotated[Path, typer.Argument(help="An OPML file.")],
    tag: TagsOpt = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Subscribe to every feed in an OPML file (all or nothing).

    Example: tracker feeds import subscriptions.opml --tag news
    """
    from tracker.db import session_scope
    from tracker.ingest.opml import import_opml
    from tracker.render import emit_json, note

    engine = open_db(db)
    with session_scope(engine) as session:
        result = import_opml(session, file, tags=tag or [])
    if json:
        emit_json({"added": result.added, "existing": result.existing, "feeds": result.feeds})
    else:
        note(f"{file}: {result.added} feeds added, {result.existing} already subscribed")


@feeds_app.command("export")
def feeds_export(
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write to this file instead of stdout."),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include removed (paused) feeds.")] = False,
    db: DbOption = None,
) -> None:
    """Write the subscriptions as OPML 2.0 (importable by any feed reader).

    Example: tracker feeds export -o subscriptions.opml
    """
    import sys

    from tracker.db import session_scope
    from tracker.errors import UsageError
    from tracker.ingest.opml import export_opml

    engine = open_db(db)
    with session_scope(engine) as session:
        text = export_opml(session, include_inactive=all_)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


@app.command()
def ingest(
    sources: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(help="URLs, feed files or folders to pull now (default: every due feed)."),
    ] = None,
    loop: Annotated[
        bool, typer.Option("--loop", help="Keep running: pull again every --every.")
    ] = False,
    every: Annotated[
        str, typer.Option("--every", help="Interval for --loop, e.g. 15m, 1h.")
    ] = "15m",
    wait: Annotated[
        bool,
        typer.Option(
            "--wait", help="Wait for another running ingest instead of exiting with code 3."
        ),
    ] = False,
    worker: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--worker", help="Worker name recorded with the run (default host:pid)."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, max=600, help="Per-request read timeout, seconds.")
    ] = 20.0,
    no_link: Annotated[
        bool, typer.Option("--no-link", help="Store articles without linking them.")
    ] = False,
    jobs: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            max=32,
            help="Processes that fetch and parse (default: up to 4, by CPU count; 1: none).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="A log line for every feed.")
    ] = False,
    log_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--log-file", help="Append one line per feed to this file."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    limit: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--limit", min=1, help="Pull at most this many due feeds."),
    ] = None,
) -> int:
    """Pull feeds: every feed that is due, or the given URLs/files/folders.

    Exit codes: 0 ok, 1 some feeds failed, 2 could not run, 3 another ingest holds the lock.

    Example: tracker ingest --loop --every 15m --log-file ~/tracker-ingest.log
    """
    import time
    from dataclasses import replace

    from tracker.dates import parse_duration
    from tracker.errors import LockedError, UsageError
    from tracker.ingest.fetch import FetchLimits
    from tracker.ingest.run import Options, count_due, ingest_due, ingest_paths
    from tracker.ingest.sources import expand_sources
    from tracker.render import emit, emit_json, note, to_json
    from tracker.render.feeds import progress, run_table

    if quiet and verbose:
        raise UsageError("--quiet and --verbose cannot be used together")
    period = parse_duration(every).total_seconds()
    if log_file is not None:
        log_file = log_file.expanduser()
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            log_file.open("a").close()
        except OSError as exc:
            raise UsageError(
                f"cannot write the log file {log_file}: {exc.strerror or exc}"
            ) from None
    if sources:
        expand_sources(sources)  # bad paths are a usage error before anything runs
    engine = open_db(db)
    options = replace(
        Options(), limits=FetchLimits(read_timeout=timeout), link=not no_link, wait=wait
    )
    if jobs is not None:
        options = replace(options, jobs=jobs)

    def once() -> int:
        total = len(expand_sources(sources)) if sources else count_due(engine)
        limit_total = min(total, limit) if limit else total
        with progress(limit_total, quiet=quiet or json, verbose=verbose, log_file=log_file) as cb:
            if sources:
                report = ingest_paths(engine, sources, options=options, progress=cb, worker=worker)
            else:
                report = ingest_due(
                    engine, worker=worker, limit=limit, options=options, progress=cb
                )
        if json:
            if loop:
                typer.echo(to_json(report.to_dict()).replace("\n", " "))
            else:
                emit_json(report.to_dict())
        elif not quiet and (report.feeds or not loop):
            emit(run_table(report))
        return report.exit_code

    if not loop:
        return once()
    while True:
        started = time.monotonic()
        try:
            once()
        except LockedError as exc:
            note(f"skipping this round: {exc}")
        time.sleep(max(period - (time.monotonic() - started), 1.0))
