"""CLI commands: watchlists (watch add/list/remove) and the digest of what changed for them."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from tracker.cli import app
from tracker.cli.common import DbOption, JsonOption, LimitOption, PagerOpt, open_session

watch_app = typer.Typer(
    help="Follow actors and records; `tracker digest` reports what changed for them.",
    no_args_is_help=True,
)
app.add_typer(watch_app, name="watch")
ListOpt = Annotated[str, typer.Option("--list", "-l", help="The watchlist to use.")]


@watch_app.command("add")
def watch_add(
    name: Annotated[str, typer.Argument(help="An actor or record: name, alias or slug.")],
    watchlist: ListOpt = "default",
    actor: Annotated[bool, typer.Option("--actor", help="NAME is an actor.")] = False,
    record: Annotated[bool, typer.Option("--record", help="NAME is a record.")] = False,
    note: Annotated[Optional[str], typer.Option("--note", help="Why you watch it.")] = None,  # noqa: UP045
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Watch an actor or a record (adding it twice changes nothing).

    Example: tracker watch add "Alibaba Group" --note "1260H lawsuit"
    """
    from tracker.errors import UsageError
    from tracker.query.watch import add_watch

    if actor and record:
        raise UsageError("give at most one of --actor and --record")
    target = "actor" if actor else "record" if record else None
    with open_session(db) as session:
        item, created = add_watch(session, name, watchlist=watchlist, target=target, note=note)
    if json:
        from tracker.render import emit_json

        emit_json({**item.to_dict(), "created": created})
        return
    from tracker.render import note as say

    verb = "now watching" if created else "already watching"
    say(f"{verb} {item.target} {item.name} ({item.slug}) on list {item.watchlist!r}")


@watch_app.command("list")
def watch_list(
    watchlist: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--list", "-l", help="Only this watchlist (default: all)."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    limit: LimitOption = 1000,
) -> None:
    """List what is watched.

    Example: tracker watch list --json
    """
    from tracker.query.watch import list_watches

    with open_session(db) as session:
        items = list_watches(session, watchlist)[:limit]
    if json:
        from tracker.render import emit_json

        emit_json([i.to_dict() for i in items])
        return
    from tracker.render import emit
    from tracker.render.digest import watch_list_view

    emit(watch_list_view(items))


@watch_app.command("remove")
def watch_remove(
    name: Annotated[str, typer.Argument(help="The watched actor or record.")],
    watchlist: ListOpt = "default",
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Stop watching an actor or a record.

    Example: tracker watch remove alibaba
    """
    from tracker.query.watch import remove_watch

    with open_session(db) as session:
        item = remove_watch(session, name, watchlist=watchlist)
    if json:
        from tracker.render import emit_json

        emit_json({**item.to_dict(), "removed": True})
        return
    from tracker.render import note as say

    say(f"stopped watching {item.target} {item.name} ({item.slug}) on list {item.watchlist!r}")


@app.command()
def digest(
    since: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--since", help="From this date or span (7d); default: the last digest."),
    ] = None,
    watchlist: ListOpt = "default",
    keep: Annotated[
        bool, typer.Option("--keep", help="Do not record this digest as read.")
    ] = False,
    pager: PagerOpt = False,
    db: DbOption = None,
    json: JsonOption = False,
    limit: LimitOption = 500,
) -> None:
    """What changed for your watched actors and records: new articles, events, status changes,
    measure actions, challenges and new conflicting claims. Without --since it covers the time
    since the last digest (or 7 days) and records this one as read.

    Example: tracker digest --since 7d
    """
    from dataclasses import replace

    from tracker.query.common import parse_date_option, start_of_day
    from tracker.query.digest import build_digest, mark_digest

    since_d = parse_date_option(since, "--since")
    with open_session(db) as session:
        result = build_digest(
            session, watchlist=watchlist, since=start_of_day(since_d) if since_d else None
        )
        if since_d is None and not keep:
            mark_digest(session, result)
    result = replace(result, items=result.items[:limit])
    if json:
        from tracker.render import emit_json

        emit_json(result.to_dict())
        return
    from tracker.render import emit
    from tracker.render.digest import digest_view

    emit(digest_view(result), pager=pager)
