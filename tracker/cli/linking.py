"""CLI commands: linking (link, review, actors, actors dedupe/merge, articles)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from tracker.cli import app
from tracker.cli.common import DbOption, JsonOption, LimitOption, open_db

actors_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(actors_app, name="actors")

IdList = Optional[list[int]]  # noqa: UP045 (typer needs Optional on 3.10)


def _session(db: str | None):  # type: ignore[no-untyped-def]
    from tracker.db import session_scope

    return session_scope(open_db(db))


def _show(as_json: bool, data: object, view: str, *args: object) -> None:
    """Print `data` as JSON, or the named view of tracker.render.linking built from args."""
    if as_json:
        from tracker.render import emit_json

        emit_json(data)
        return
    from tracker.render import emit
    from tracker.render import linking as views

    emit(getattr(views, view)(*args))


@app.command()
def link(
    all_: Annotated[
        bool, typer.Option("--all", help="Re-link every article, not only new or changed ones.")
    ] = False,
    accept: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--accept",
            min=0.0,
            max=1.0,
            help="Auto-accept links scoring at least this (default 0.80, env TRACKER_LINK_ACCEPT).",
        ),
    ] = None,
    review_: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--review",
            min=0.0,
            max=1.0,
            help="Queue links scoring at least this for review (default 0.50, env TRACKER_LINK_REVIEW).",
        ),
    ] = None,
    no_fuzzy: Annotated[
        bool, typer.Option("--no-fuzzy", help="Exact and context matching only.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Link articles to actors (new and changed articles; --all after the gazetteer changed).

    Re-linking updates links in place and never duplicates them; review decisions stand.

    Example: tracker link --all --accept 0.85
    """
    from tracker.linking.api import relink_all
    from tracker.linking.matcher import LinkConfig

    config = LinkConfig.from_env(accept=accept, review=review_, fuzzy=False if no_fuzzy else None)
    with _session(db) as session:
        summary = relink_all(session, only_stale=not all_, config=config)
    _show(json, summary, "summary_line", summary)


def _ask(question: str, choices: str) -> str:
    while True:
        answer = typer.prompt(question, default="s", show_default=False).strip().lower()[:1]
        if answer in choices:
            return answer
        typer.echo(f"please answer one of: {', '.join(choices)}", err=True)


def _interactive_review(db: str | None, limit: int, by: str | None) -> None:
    from tracker.linking import judgements
    from tracker.linking.listing import review_queue
    from tracker.records.lookup import find_actor
    from tracker.render import emit, note
    from tracker.render.linking import review_card

    with _session(db) as session:
        items = review_queue(session, limit=limit)
    if not items:
        note("nothing to review")
        return
    done = 0
    for i, item in enumerate(items, 1):
        emit(review_card(item, i, len(items)))
        answer = _ask("[a]ccept [r]eject [p]ick another actor [s]kip [q]uit", "arpsq")
        if answer == "q":
            break
        if answer == "s":
            continue
        with _session(db) as session:  # each decision is its own transaction
            if answer == "p":
                name = typer.prompt("actor (slug or name)").strip()
                actor = find_actor(session, name)
                judgements.pick_actor(session, item.link.link_id, actor.id, by=by)
                note(f"link {item.link.link_id}: {item.link.slug} rejected, {actor.slug} confirmed")
            else:
                decision = "accept" if answer == "a" else "reject"
                result = judgements.decide_link(session, item.link.link_id, decision, by=by)
                note(f"link {item.link.link_id}: {result.status}")
        done += 1
    note(f"{done} decision{'s' if done != 1 else ''} recorded")


@app.command()
def review(
    accept: Annotated[
        IdList, typer.Option("--accept", help="Accept this link id (repeatable).")
    ] = None,
    reject: Annotated[
        IdList, typer.Option("--reject", help="Reject this link id (repeatable).")
    ] = None,
    undo: Annotated[
        IdList, typer.Option("--undo", help="Undo the last decision on this link id.")
    ] = None,
    pick: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--pick", help="Link id naming the wrong actor; give the right one with --actor."
        ),
    ] = None,
    actor: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--actor", help="With --pick: the actor the article really means."),
    ] = None,
    by: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--by", help="Who decides (default: your login name)."),
    ] = None,
    note_: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--note", help="A note kept with the decision."),
    ] = None,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", "-i", help="Step through the queue (default on a terminal)."),
    ] = False,
    suggestions: Annotated[
        bool, typer.Option("--suggestions", help="List articles suggested as sources for records.")
    ] = False,
    accept_suggestion: Annotated[
        IdList, typer.Option("--accept-suggestion", help="Accept this record suggestion id.")
    ] = None,
    reject_suggestion: Annotated[
        IdList, typer.Option("--reject-suggestion", help="Reject this record suggestion id.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    limit: LimitOption = 50,
) -> None:
    """Review uncertain links: accept, reject, pick another actor, or skip.

    On a terminal it steps through the queue; otherwise (or with --json) it lists it.
    Decisions are an append-only log that later re-linking respects.

    --suggestions lists articles suggested as sources for records instead, to accept or
    reject with --accept-suggestion / --reject-suggestion.

    Example: tracker review --reject 42 --accept 43
    """
    from tracker.errors import UsageError

    if suggestions or accept_suggestion or reject_suggestion:
        _review_suggestions(db, json, limit, accept_suggestion or [], reject_suggestion or [])
        return
    if (pick is None) != (actor is None):
        raise UsageError("--pick LINK_ID and --actor NAME go together")
    acting = bool(accept or reject or undo or pick is not None)
    if acting:
        from tracker.linking import judgements
        from tracker.records.lookup import find_actor

        results = []
        with _session(db) as session:
            for decision, ids in (("accept", accept), ("reject", reject), ("undo", undo)):
                for link_id in ids or ():
                    r = judgements.decide_link(session, link_id, decision, by=by, note=note_)
                    results.append({"id": link_id, "decision": decision, "status": r.status})
            if pick is not None:
                target = find_actor(session, actor or "")
                r = judgements.pick_actor(session, pick, target.id, by=by)
                results.append({"id": pick, "decision": "reject", "status": "rejected"})
                results.append({"id": r.link_id, "decision": "accept", "status": r.status})
        if json:
            from tracker.render import emit_json

            emit_json(results)
        else:
            from tracker.render import note

            for res in results:
                note(f"link {res['id']}: {res['decision']} → {res['status']}")
        return
    if interactive or (not json and sys.stdin.isatty() and sys.stdout.isatty()):
        _interactive_review(db, limit, by)
        return
    from tracker.linking.listing import review_queue

    with _session(db) as session:
        items = review_queue(session, limit=limit)
    _show(json, [i.to_dict() for i in items], "review_table", items)


def _review_suggestions(
    db: str | None, json: bool, limit: int, accept: list[int], reject: list[int]
) -> None:
    """List record suggestions, or accept/reject some (each is one status change)."""
    from tracker.linking.judgements import decide_suggestion
    from tracker.linking.listing import suggestion_queue

    with _session(db) as session:
        done = [
            {"id": sid, "status": decide_suggestion(session, sid, decision)}
            for decision, ids in (("accept", accept), ("reject", reject))
            for sid in ids
        ]
        items = [] if done else suggestion_queue(session, limit=limit)
    if not done:
        _show(json, [i.to_dict() for i in items], "suggestions_table", items)
    elif json:
        _show(True, done, "")
    else:
        from tracker.render import note

        for d in done:
            note(f"suggestion {d['id']}: {d['status']}")


@actors_app.callback(invoke_without_command=True)
def actors(
    ctx: typer.Context,
    kind: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--kind", "-k", help="Only this kind (person, company, ai_lab, committee…)."),
    ] = None,
    search: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--search", "-s", help="Only actors whose name, slug or alias contains this."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    limit: LimitOption = 100,
) -> None:
    """List actors with their kind, ids, aliases and number of linked articles; find
    duplicates (tracker actors dedupe) and merge them (tracker actors merge).

    Example: tracker actors --kind person --search kim
    """
    if ctx.invoked_subcommand:
        return
    from tracker.linking.listing import list_actors

    with _session(db) as session:
        rows = list_actors(session, kind=kind, search=search, limit=limit)
    _show(json, [r.to_dict() for r in rows], "actors_table", rows)


@actors_app.command("dedupe")
def actors_dedupe(
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help="Lowest pair score shown (0–1).")
    ] = 0.85,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", "-i", help="Decide each pair: same (merge) or different."),
    ] = False,
    by: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--by", help="Who decides (default: your login name)."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    limit: LimitOption = 50,
) -> None:
    """Find likely duplicate actors (rapidfuzz over all their names); pairs already judged
    are skipped. With --interactive, 'same' merges the second into the first.

    Example: tracker actors dedupe --threshold 0.9 --interactive
    """
    from tracker.linking.dedupe import candidates

    with _session(db) as session:
        pairs = candidates(session, threshold=threshold, limit=limit)
    _show(json, pairs, "dedupe_table", pairs)
    if json or not interactive:
        return
    from tracker.linking.dedupe import judge, merge_actors
    from tracker.models import Actor
    from tracker.render import note

    for p in pairs:
        answer = _ask(f"{p.left} / {p.right}: [y] same (merge) [n] different [s]kip [q]uit", "ynsq")
        if answer == "q":
            break
        if answer == "s":
            continue
        with _session(db) as session:
            if answer == "y":
                keep, drop = session.get(Actor, p.left_id), session.get(Actor, p.right_id)
                merge_actors(session, keep, drop, by=by)  # type: ignore[arg-type]
                note(f"merged {p.right} into {p.left}")
            else:
                judge(session, p.left_id, p.right_id, "different", by=by, score=p.score)
                note(f"{p.left} and {p.right} marked as different")


@actors_app.command("merge")
def actors_merge(
    keep: Annotated[str, typer.Argument(help="The actor to keep (slug or name).")],
    duplicate: Annotated[str, typer.Argument(help="The duplicate to merge into it.")],
    by: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--by", help="Who decides (default: your login name)."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Merge DUPLICATE into KEEP: aliases, ids, roles, record roles, claims and article
    links move over; the duplicate remains, marked as merged.

    Example: tracker actors merge alibaba alibaba-group-holding
    """
    from tracker.linking.dedupe import merge_actors
    from tracker.records.lookup import find_actor

    with _session(db) as session:
        a, b = find_actor(session, keep), find_actor(session, duplicate)
        slugs = (a.slug, b.slug)
        merge_actors(session, a, b, by=by)
    if json:
        from tracker.render import emit_json

        emit_json({"kept": slugs[0], "merged": slugs[1]})
        return
    from tracker.render import note

    note(f"merged {slugs[1]} into {slugs[0]}")


@app.command()
def articles(
    actor: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--actor", "-a", help="Only articles linked to this actor (slug or name)."),
    ] = None,
    since: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--since", help="Only articles published on or after this date (or e.g. 7d)."),
    ] = None,
    review_: Annotated[
        bool, typer.Option("--with-review", help="Also show links still waiting for review.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
    limit: LimitOption = 100,
) -> None:
    """Articles, newest first, with the actors they are linked to.

    --json prints [{"url", "title", "published", "feed", "actors": [{"slug", "name", "kind",
    "ids", "score", "status", "mentions"}]}].

    Example: tracker articles --actor "Andy Kim" --since 2026-06-01 --json
    """
    from tracker.dates import parse_date_arg
    from tracker.linking.listing import list_articles

    since_d = parse_date_arg(since) if since else None
    with _session(db) as session:
        views = list_articles(
            session, actor=actor, since=since_d, limit=limit, include_review=review_
        )
    _show(json, [v.to_dict() for v in views], "articles_table", views)
