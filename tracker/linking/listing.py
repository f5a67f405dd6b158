"""Read-only views for the linking commands: actors, the review queue, linked articles.

Each function takes a session and returns frozen dataclasses; the CLI renders them as
tables or JSON (`to_dict` is the stable JSON shape scripts rely on).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SHOWN_STATUSES = ("auto", "confirmed")


@dataclass(frozen=True)
class ActorRow:
    id: int
    slug: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    ids: dict[str, str]
    articles: int
    merged_into: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "ids": self.ids,
            "articles": self.articles,
            "merged_into": self.merged_into,
        }


@dataclass(frozen=True)
class MentionView:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class LinkedActor:
    link_id: int
    slug: str
    name: str
    kind: str
    ids: dict[str, str]
    score: float
    status: str
    method: str
    reason: str | None
    mentions: tuple[MentionView, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "kind": self.kind,
            "ids": self.ids,
            "score": self.score,
            "status": self.status,
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True)
class ArticleView:
    id: int
    url: str | None
    title: str | None
    published: datetime | None
    feed: str
    text: str
    actors: tuple[LinkedActor, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "feed": self.feed,
            "actors": [a.to_dict() for a in self.actors],
        }


def list_actors(
    session: Session,
    *,
    kind: str | None = None,
    search: str | None = None,
    limit: int = 100,
    include_merged: bool = False,
) -> list[ActorRow]:
    """Actors by name, optionally of one kind and matching a search (name, slug or alias)."""
    from sqlalchemy import func, or_, select
    from sqlalchemy.orm import selectinload

    from tracker.errors import UsageError
    from tracker.linking.normalize import normalize
    from tracker.models import ACTOR_KINDS, Actor, ActorAlias
    from tracker.models.links import ArticleActor

    if kind and kind not in ACTOR_KINDS:
        raise UsageError(f"unknown actor kind {kind!r}; use one of {', '.join(ACTOR_KINDS)}")
    stmt = select(Actor).options(selectinload(Actor.aliases), selectinload(Actor.external_ids))
    if kind:
        stmt = stmt.where(Actor.kind == kind)
    if not include_merged:
        stmt = stmt.where(Actor.merged_into_id.is_(None))
    if search:
        norm = normalize(search)
        like = f"%{norm}%"
        by_alias = select(ActorAlias.actor_id).where(ActorAlias.normalized.like(like))
        stmt = stmt.where(
            or_(
                func.lower(Actor.name).like(f"%{search.lower()}%"),
                Actor.slug.like(f"%{norm.replace(' ', '-')}%"),
                Actor.id.in_(by_alias),
            )
        )
    actors = list(session.scalars(stmt.order_by(Actor.name, Actor.id).limit(limit)))
    counts = dict(
        session.execute(
            select(ArticleActor.actor_id, func.count())
            .where(
                ArticleActor.actor_id.in_([a.id for a in actors]),
                ArticleActor.status.in_(SHOWN_STATUSES),
            )
            .group_by(ArticleActor.actor_id)
        ).all()
    )
    slugs = {}
    merged = [a.merged_into_id for a in actors if a.merged_into_id]
    if merged:
        slugs = dict(
            session.execute(select(Actor.id, Actor.slug).where(Actor.id.in_(merged))).all()
        )
    return [
        ActorRow(
            a.id,
            a.slug,
            a.name,
            a.kind,
            tuple(x.alias for x in a.aliases if x.origin != "generated"),
            a.ids(),
            counts.get(a.id, 0),
            slugs.get(a.merged_into_id) if a.merged_into_id else None,
        )
        for a in actors
    ]


def _linked(
    session: Session, article_ids: list[int], statuses: tuple[str, ...]
) -> dict[int, list[LinkedActor]]:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from tracker.models import Actor
    from tracker.models.links import ArticleActor

    out: dict[int, list[LinkedActor]] = {i: [] for i in article_ids}
    for i in range(0, len(article_ids), 900):
        links = session.scalars(
            select(ArticleActor)
            .where(
                ArticleActor.article_id.in_(article_ids[i : i + 900]),
                ArticleActor.status.in_(statuses),
            )
            .options(
                selectinload(ArticleActor.mentions),
                selectinload(ArticleActor.actor).selectinload(Actor.external_ids),
            )
            .order_by(ArticleActor.score.desc(), ArticleActor.id)
        )
        for link in links:
            out[link.article_id].append(
                LinkedActor(
                    link.id,
                    link.actor.slug,
                    link.actor.name,
                    link.actor.kind,
                    link.actor.ids(),
                    round(link.score, 4),
                    link.status,
                    link.method,
                    link.reason,
                    tuple(MentionView(m.text, m.start, m.end) for m in link.mentions),
                )
            )
    return out


def list_articles(
    session: Session,
    *,
    actor: str | None = None,
    since: date | None = None,
    limit: int = 100,
    include_review: bool = False,
) -> list[ArticleView]:
    """Articles, newest first, with their linked actors; only those linked to `actor` if given."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import selectinload

    from tracker.models.feeds import Article
    from tracker.models.links import ArticleActor

    statuses = SHOWN_STATUSES + (("review",) if include_review else ())
    when = func.coalesce(Article.published_at, Article.first_seen_at)
    stmt = select(Article).options(selectinload(Article.feed))
    if actor:
        from tracker.records.lookup import find_actor

        target = find_actor(session, actor)
        stmt = stmt.where(
            Article.id.in_(
                select(ArticleActor.article_id).where(
                    ArticleActor.actor_id == target.id, ArticleActor.status.in_(SHOWN_STATUSES)
                )
            )
        )
    if since:
        stmt = stmt.where(when >= datetime(since.year, since.month, since.day))
    articles = list(session.scalars(stmt.order_by(when.desc(), Article.id.desc()).limit(limit)))
    linked = _linked(session, [a.id for a in articles], statuses)
    return [
        ArticleView(
            a.id,
            a.canonical_url or a.link,
            a.title,
            a.published_at,
            a.feed.label(),
            a.text(),
            tuple(linked[a.id]),
        )
        for a in articles
    ]


@dataclass(frozen=True)
class ReviewItem:
    link: LinkedActor
    article: ArticleView

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.link.link_id,
            "article": {
                "url": self.article.url,
                "title": self.article.title,
                "published": self.article.published.isoformat() if self.article.published else None,
                "feed": self.article.feed,
            },
            "actor": {"slug": self.link.slug, "name": self.link.name, "kind": self.link.kind},
            "score": self.link.score,
            "method": self.link.method,
            "reason": self.link.reason,
            "mentions": [m.to_dict() for m in self.link.mentions],
        }


def review_queue(session: Session, *, limit: int = 50) -> list[ReviewItem]:
    """Links waiting for a person, most promising first."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from tracker.models.feeds import Article
    from tracker.models.links import ArticleActor

    rows = list(
        session.execute(
            select(ArticleActor.id, ArticleActor.article_id)
            .where(ArticleActor.status == "review")
            .order_by(ArticleActor.score.desc(), ArticleActor.id)
            .limit(limit)
        ).all()
    )
    if not rows:
        return []
    art_ids = sorted({a for _, a in rows})
    arts = {
        a.id: a
        for a in session.scalars(
            select(Article).where(Article.id.in_(art_ids)).options(selectinload(Article.feed))
        )
    }
    linked = _linked(session, art_ids, ("review",))
    by_id = {la.link_id: la for links in linked.values() for la in links}
    out = []
    for link_id, art_id in rows:
        a = arts[art_id]
        view = ArticleView(
            a.id, a.canonical_url or a.link, a.title, a.published_at, a.feed.label(), a.text(), ()
        )
        out.append(ReviewItem(by_id[link_id], view))
    return out


@dataclass(frozen=True)
class SuggestionItem:
    id: int
    record: str  # slug
    record_title: str
    article_title: str | None
    url: str | None
    score: float
    reason: str | None
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "record": self.record,
            "record_title": self.record_title,
            "article": {"title": self.article_title, "url": self.url},
            "score": self.score,
            "reason": self.reason,
            "status": self.status,
        }


def suggestion_queue(session: Session, *, limit: int = 50) -> list[SuggestionItem]:
    """Articles suggested as sources for records, waiting for a person, best first."""
    from sqlalchemy import select

    from tracker.models import Record
    from tracker.models.feeds import Article
    from tracker.models.links import RecordSuggestion

    rows = session.execute(
        select(
            RecordSuggestion,
            Record.slug,
            Record.title,
            Article.title,
            Article.link,
            Article.canonical_url,
        )
        .join(Record, Record.id == RecordSuggestion.record_id)
        .join(Article, Article.id == RecordSuggestion.article_id)
        .where(RecordSuggestion.status == "suggested")
        .order_by(RecordSuggestion.score.desc(), RecordSuggestion.id)
        .limit(limit)
    ).all()
    return [
        SuggestionItem(
            s.id, slug, title, a_title, canon or link, round(s.score, 4), s.reason, s.status
        )
        for s, slug, title, a_title, link, canon in rows
    ]
