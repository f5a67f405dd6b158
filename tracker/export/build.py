"""Build an export Document from the query layer: timeline, records or articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.export.entries import Document, Entry, stable_key
from tracker.models.actors import Actor
from tracker.models.feeds import Article, Feed
from tracker.models.links import ArticleActor
from tracker.query.common import (
    ARTICLE_LINK_STATUSES,
    SourceRef,
    actor_and_merged_ids,
    end_of_day,
    partial_of,
    resolve_actor,
    start_of_day,
)
from tracker.query.options import TABLE_KINDS


def _sources_cell(sources: Sequence[SourceRef]) -> str:
    return " | ".join(
        " ".join(x for x in (s.outlet or s.title, f"<{s.url}>" if s.url else "") if x)
        for s in sources
    )


def timeline_document(session: Session, **filters: Any) -> Document:
    from tracker.query.timeline import build_timeline

    tl = build_timeline(session, **filters)
    entries = []
    rows = []
    for r in tl.rows:
        summary = [f"{r.kind}, {r.meaning}"]
        if r.detail:
            summary.append(r.detail)
        if r.conflicting:
            alts = "; ".join(
                f"{a.value} ({', '.join(s.outlet or s.title for s in a.sources)})"
                for a in r.alternatives
            )
            summary.append(f"Conflicting: {alts}")
        entries.append(
            Entry(
                key=stable_key("timeline", r.kind, r.meaning, r.record, r.date.iso(), r.title),
                kind=r.kind,
                title=r.title,
                date=r.date,
                summary=". ".join(summary),
                url=next((s.url for s in r.sources if s.url), None),
                record=r.record,
                conflicting=r.conflicting,
                sources=r.sources,
            )
        )
        rows.append(
            (
                r.date.iso(),
                r.date.precision,
                r.kind,
                r.meaning,
                r.title,
                r.record or "",
                r.detail or "",
                "yes" if r.conflicting else "",
                _sources_cell(r.sources),
            )
        )
    subject = tl.actor_name or tl.record or "everything"
    return Document(
        what="timeline",
        title=f"Timeline: {subject}",
        entries=tuple(entries),
        data=tl.to_dict(),
        columns=(
            "date",
            "precision",
            "kind",
            "meaning",
            "title",
            "record",
            "detail",
            "conflicting",
            "sources",
        ),
        rows=tuple(rows),
    )


def records_document(
    session: Session,
    *,
    kinds: Sequence[str] = (),
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    tags: Sequence[str] = (),
    limit: int | None = None,
    **_: Any,
) -> Document:
    from tracker.query.tables import list_records

    wanted = [k for k in TABLE_KINDS if not kinds or k in kinds]
    tag = tags[0] if tags else None
    records = []
    for kind in wanted:
        table = list_records(session, kind, actor=actor, since=since, until=until, tag=tag)
        records.extend(table.rows)
    records.sort(key=lambda r: (r.date.start if r.date else date.max, r.slug))
    if limit is not None:
        records = records[:limit]
    entries = []
    rows = []
    for r in records:
        people = "; ".join(f"{role}: {name}" for role, name in r.actors)
        summary = ", ".join(x for x in (r.kind, r.status and f"status {r.status}") if x)
        if people:
            summary += f". {people}"
        if r.conflicting:
            summary += f". Sources disagree on: {', '.join(r.conflicting)}"
        entries.append(
            Entry(
                key=stable_key("record", r.slug),
                kind=r.kind,
                title=r.title,
                date=r.date,
                summary=summary,
                record=r.slug,
                conflicting=bool(r.conflicting),
            )
        )
        rows.append(
            (
                r.kind,
                r.slug,
                r.title,
                r.status or "",
                r.date.iso() if r.date else "",
                r.date_meaning,
                people,
                ", ".join(r.conflicting),
                ", ".join(r.tags),
                r.sources,
            )
        )
    return Document(
        what="records",
        title="Records",
        entries=tuple(entries),
        data={"records": [r.to_dict() for r in records]},
        columns=(
            "kind",
            "slug",
            "title",
            "status",
            "date",
            "date_meaning",
            "actors",
            "conflicting",
            "tags",
            "sources",
        ),
        rows=tuple(rows),
    )


def articles_document(
    session: Session,
    *,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
    **_: Any,
) -> Document:
    stmt = (
        select(Article, Feed.name, Feed.title, Feed.url)
        .join(Feed, Feed.id == Article.feed_id)
        .order_by(Article.published_at.desc(), Article.id.desc())
    )
    label = "Articles"
    if actor is not None:
        ref = resolve_actor(session, actor)
        label = f"Articles: {ref.name}"
        ids = actor_and_merged_ids(session, ref.id)
        stmt = stmt.where(
            Article.id.in_(
                select(ArticleActor.article_id).where(
                    ArticleActor.actor_id.in_(ids), ArticleActor.status.in_(ARTICLE_LINK_STATUSES)
                )
            )
        )
    if since is not None:
        stmt = stmt.where(Article.published_at >= start_of_day(since))
    if until is not None:
        stmt = stmt.where(Article.published_at <= end_of_day(until))
    if limit is not None:
        stmt = stmt.limit(limit)
    found = list(session.execute(stmt))
    links = _article_actors(session, [a.id for a, *_ in found])
    entries, rows, data = [], [], []
    for article, fname, ftitle, furl in found:
        outlet = fname or ftitle or furl
        precision = article.published_precision if article.published_precision != "time" else "day"
        pd = partial_of(article.published_at, precision)
        title = article.title or article.link or "(untitled)"
        actors = links.get(article.id, [])
        entries.append(
            Entry(
                key=stable_key("article", article.id, article.identity),
                kind="article",
                title=title,
                date=pd,
                summary=article.summary_text or "",
                url=article.link,
                sources=(SourceRef(title, article.link, outlet, pd.iso() if pd else None),),
                timestamp=article.published_at,
            )
        )
        names = ", ".join(a["name"] for a in actors)
        published = article.published_at.isoformat() if article.published_at else ""
        rows.append((published, title, article.link or "", outlet, names))
        data.append(
            {
                "url": article.link,
                "title": title,
                "published": published or None,
                "feed": outlet,
                "summary": article.summary_text,
                "actors": actors,
            }
        )
    return Document(
        what="articles",
        title=label,
        entries=tuple(entries),
        data=data,
        columns=("published", "title", "url", "feed", "actors"),
        rows=tuple(rows),
    )


def _article_actors(session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for start in range(0, len(ids), 500):
        stmt = (
            select(
                ArticleActor.article_id,
                Actor.slug,
                Actor.name,
                Actor.kind,
                ArticleActor.status,
                ArticleActor.score,
            )
            .join(Actor, Actor.id == ArticleActor.actor_id)
            .where(
                ArticleActor.article_id.in_(ids[start : start + 500]),
                ArticleActor.status.in_(ARTICLE_LINK_STATUSES),
            )
            .order_by(ArticleActor.article_id, Actor.name)
        )
        for aid, slug, name, kind, status, score in session.execute(stmt):
            out.setdefault(aid, []).append(
                {"slug": slug, "name": name, "kind": kind, "status": status, "score": score}
            )
    return out
