"""CLI commands: official-data imports (`tracker import …`), registered on import_app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tracker.cli import import_app
from tracker.cli.common import DbOption, JsonOption, LimitOption, open_db

VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="List every change.")]


def _show(reports: list, as_json: bool, verbose: bool) -> int:  # type: ignore[type-arg]
    from tracker.render import emit, emit_json, error
    from tracker.render.legislation import import_reports, report_json

    if as_json:
        emit_json([report_json(r) for r in reports])
    else:
        emit(import_reports(reports, verbose=verbose))
    failed = sum(1 for r in reports if not r.ok)
    if failed:
        error(f"{failed} of {len(reports)} files could not be imported (the reasons are listed)")
    return 1 if failed else 0


@import_app.command("legislators")
def legislators(
    path: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="legislators-current.yaml (congress-legislators format).",
        ),
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Import members of Congress as person actors with ids, aliases and roles.

    Re-importing updates them in place (matched by bioguide id).

    Example: tracker import legislators legislators-current.yaml
    """
    from tracker.db import session_scope
    from tracker.legislation.legislators import import_legislators

    engine = open_db(db)
    with session_scope(engine) as session:
        report = import_legislators(session, path)
    raise typer.Exit(_show([report], as_json, verbose))


@import_app.command("committees")
def committees(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="committees-current.yaml.")
    ],
    membership: Annotated[
        Optional[Path],  # noqa: UP045 (typer needs Optional on 3.10)
        typer.Argument(
            exists=True, dir_okay=False, help="committee-membership-current.yaml (optional)."
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Import committees and subcommittees (and their members) as actors and roles.

    Example: tracker import committees committees-current.yaml committee-membership-current.yaml
    """
    from tracker.db import session_scope
    from tracker.legislation.committees import import_committees

    engine = open_db(db)
    with session_scope(engine) as session:
        report = import_committees(session, path, membership)
    raise typer.Exit(_show([report], as_json, verbose))


PathsArgument = Annotated[
    list[Path], typer.Argument(help="Files, or folders to search recursively.", show_default=False)
]


def _import_many(
    kind: str, paths: list[Path], db: str | None, as_json: bool, verbose: bool
) -> None:
    from tracker.legislation.importer import import_paths

    engine = open_db(db)
    raise typer.Exit(_show(import_paths(engine, kind, paths), as_json, verbose))


@import_app.command("billstatus")
def billstatus(
    paths: PathsArgument,
    db: DbOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Import GovInfo BILLSTATUS XML files (legacy and 3.0.0 schemas): bills, amendments,
    sponsors, committees, actions, votes, related bills and laws.

    Each file is one transaction; a malformed file is reported and skipped (exit code 1).

    Example: tracker import billstatus BILLSTATUS-117hr7900.xml data/billstatus/
    """
    _import_many("billstatus", paths, db, as_json, verbose)


@import_app.command("congress-json")
def congress_json(
    paths: PathsArgument,
    db: DbOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Import unitedstates/congress data.json files (bills and amendments).

    The same bill from BILLSTATUS XML and from data.json becomes one measure with both
    files as sources. An amendment to a bill not loaded yet keeps the reference.

    Example: tracker import congress-json data/congress/119/
    """
    _import_many("congress-json", paths, db, as_json, verbose)


@import_app.command("designations")
def designations(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A CSV list file.")],
    list_name: Annotated[
        str, typer.Option("--list", help="The list's name, as designations will show it.")
    ] = "Section 1260H list (Chinese military companies)",
    authority: Annotated[
        str, typer.Option("--authority", help="Who publishes the list.")
    ] = "Department of Defense",
    db: DbOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Import a designation list (entity, aliases, parent, date added, date removed, source
    URL per row): companies become or join actors, each row a designation, removals events.

    Close but inexact name matches are queued in import_reviews instead of being merged.

    Example: tracker import designations 1260h.csv --list "Section 1260H list"
    """
    from tracker.db import session_scope
    from tracker.legislation.designations import import_designations

    engine = open_db(db)
    with session_scope(engine) as session:
        report = import_designations(session, path, list_name=list_name, authority=authority)
    raise typer.Exit(_show([report], as_json, verbose))


@import_app.command("auto")
def auto(
    paths: PathsArgument,
    db: DbOption = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Import official files of any supported kind, recognised by their content
    (BILLSTATUS XML, congress data.json, designation CSV, legislators/committees YAML).

    Files no importer handles are listed with the reason (exit code 1).

    Example: tracker import auto data/legislation/
    """
    from tracker.legislation.importer import import_auto

    engine = open_db(db)
    raise typer.Exit(_show(import_auto(engine, paths), as_json, verbose))


@import_app.command("citations")
def citations(
    since: Annotated[
        Optional[str],  # noqa: UP045 (typer needs Optional on 3.10)
        typer.Option("--since", help="Only articles published since (YYYY-MM-DD or 30d)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Link articles to the bills and amendments they mention ("H.R. 3838", "the NDAA",
    "the Hagerty–Kim amendment"). Citations are accepted; names are suggested for review.

    Example: tracker import citations --since 30d
    """
    from sqlalchemy import select

    from tracker.dates import parse_date_arg
    from tracker.db import session_scope
    from tracker.legislation.measure_links import link_article_measures
    from tracker.models.feeds import Article
    from tracker.render import emit_json, note

    engine = open_db(db)
    with session_scope(engine) as session:
        stmt = select(Article.id)
        if since:
            stmt = stmt.where(Article.published_at >= parse_date_arg(since))
        ids = list(session.scalars(stmt))
        new = link_article_measures(session, ids)
    if as_json:
        emit_json({"articles": len(ids), "new_suggestions": new})
    else:
        note(f"{len(ids)} articles read; {new} new links to measures")


@import_app.command("reviews")
def reviews(
    accept: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--accept", metavar="ID", help="Same company: merge the imported actor."),
    ] = None,
    reject: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--reject", metavar="ID", help="Different companies: keep them apart."),
    ] = None,
    status: Annotated[
        str, typer.Option("--status", help="pending, accepted, rejected or all.")
    ] = "pending",
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: LimitOption = 100,
) -> None:
    """List the uncertain matches imports queued (a listed company that looks like an
    existing actor), or decide one.

    Example: tracker import reviews --accept 3
    """
    import dataclasses

    from tracker.db import session_scope
    from tracker.errors import UsageError
    from tracker.legislation.reviews import decide, list_reviews
    from tracker.render import emit, emit_json, note
    from tracker.render.legislation import reviews_table

    if accept is not None and reject is not None:
        raise UsageError("give --accept or --reject, not both")
    if status not in ("pending", "accepted", "rejected", "all"):
        raise UsageError(f"unknown status {status!r} (pending, accepted, rejected, all)")
    engine = open_db(db)
    with session_scope(engine) as session:
        if accept is not None or reject is not None:
            done = decide(
                session,
                accept if accept is not None else reject,  # type: ignore[arg-type]
                accept=accept is not None,
            )
            rows = [done]
        else:
            rows = list_reviews(session, status=status, limit=limit)
    if as_json:
        emit_json([dataclasses.asdict(r) for r in rows])
    elif accept is not None or reject is not None:
        note(f"#{rows[0].id} {rows[0].status}: {rows[0].actor} / {rows[0].candidate}")
    else:
        emit(reviews_table(rows))


@import_app.command("pin")
def pin(
    name: Annotated[str, typer.Argument(help="A record or actor (slug or name).")],
    field: Annotated[str, typer.Argument(help="The field, e.g. title, status, added_on.")],
    value: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="The value to keep; omit with --clear."),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Hand the field back to imports.")] = False,
    by: Annotated[str, typer.Option("--by", help="Who pins it.")] = "user",
    db: DbOption = None,
) -> None:
    """Pin a field of a record or actor so that official re-imports keep your value
    (each import then reports the pin beside the official value).

    Example: tracker import pin hr3838-119 title "FY2026 NDAA (House)"
    """
    from tracker.db import session_scope
    from tracker.errors import UsageError
    from tracker.legislation.overrides import clear_override, set_override
    from tracker.records.lookup import find_any
    from tracker.render import note

    if clear == (value is not None):
        raise UsageError("give a VALUE to pin, or --clear to remove the pin")
    engine = open_db(db)
    with session_scope(engine) as session:
        target = find_any(session, name)
        if clear:
            removed = clear_override(session, target, field)
            message = (
                f"{target.slug}: {field} unpinned"
                if removed
                else f"{target.slug}: {field} was not pinned"
            )
        else:
            parsed: object = value
            if field.endswith("_on") and value:
                from tracker.dates import parse_partial

                parsed = parse_partial(value).start
            set_override(session, target, field, parsed, by=by)
            message = f"{target.slug}: {field} pinned to {value!r}"
    note(message)
