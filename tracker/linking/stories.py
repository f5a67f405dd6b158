"""Stories: the same news from several outlets, grouped so a timeline shows it once.

Two articles are the same story when they come from different feeds, were published
within a few days of each other, share linked actors, and their titles (and summaries)
are similar by rapidfuzz's token-set ratio. A new article joins its match's story, or the
two start one. Articles already in a story are left where they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

WINDOW = timedelta(days=3)
THRESHOLD = 57.0


@dataclass(frozen=True)
class StoryItem:
    id: int
    feed_id: int
    when: datetime
    title: str
    summary: str
    actors: frozenset[int]
    story_id: int | None


def similarity(a: StoryItem, b: StoryItem) -> float:
    """0–100: how alike two items read (summaries weigh more than headlines, which outlets
    word differently), plus a bonus for shared actors and a penalty for distance in time."""
    title = fuzz.token_set_ratio(a.title, b.title)
    if a.summary and b.summary:
        text = 0.4 * title + 0.6 * fuzz.token_set_ratio(a.summary[:400], b.summary[:400])
    else:
        text = title
    union = a.actors | b.actors
    overlap = len(a.actors & b.actors) / len(union) if union else 0.0
    apart = abs(a.when - b.when)
    return text * 0.8 + 20.0 * overlap - (5.0 if apart > timedelta(days=2) else 0.0)


def same_story(a: StoryItem, b: StoryItem, threshold: float = THRESHOLD) -> bool:
    if a.id == b.id or a.feed_id == b.feed_id or not (a.actors & b.actors):
        return False
    if abs(a.when - b.when) > WINDOW:
        return False
    return similarity(a, b) >= threshold


_LINKED = ("auto", "confirmed")
SHORTLIST = 20  # candidates per article compared in full (most shared actors first)
MAX_RANGES = 40  # time ranges in one pool query; more are merged into one span


def _items(session: Session, ids: list[int]) -> list[StoryItem]:  # type: ignore[no-untyped-def]
    """Articles with their linked actors (auto or confirmed)."""
    from sqlalchemy import func, select

    from tracker.models.feeds import Article
    from tracker.models.links import ArticleActor
    from tracker.sqlbulk import among, chunks, dialect_of

    when = func.coalesce(Article.published_at, Article.first_seen_at)
    rows: list = []
    by_art: dict[int, set[int]] = defaultdict(set)
    dialect = dialect_of(session)
    for part in chunks(ids, dialect):
        rows.extend(
            session.execute(
                select(
                    Article.id, Article.feed_id, when, Article.title, Article.summary_text,
                    Article.story_id,
                ).where(among(Article.id, part, dialect))
            ).all()
        )  # fmt: skip
        for art_id, actor_id in session.execute(
            select(ArticleActor.article_id, ArticleActor.actor_id).where(
                among(ArticleActor.article_id, part, dialect), ArticleActor.status.in_(_LINKED)
            )
        ):
            by_art[art_id].add(actor_id)
    return [
        StoryItem(r[0], r[1], r[2], r[3] or "", r[4] or "", frozenset(by_art[r[0]]), r[5])
        for r in rows
    ]


def _ranges(items: list[StoryItem]) -> list[tuple[datetime, datetime]]:
    spans = sorted((i.when - WINDOW, i.when + WINDOW) for i in items)
    merged: list[list[datetime]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    if len(merged) > MAX_RANGES:
        return [(merged[0][0], merged[-1][1])]
    return [(lo, hi) for lo, hi in merged]


def _shortlist(session: Session, mine: list[StoryItem]) -> dict[int, list[int]]:
    """For each article, the nearby articles from other feeds sharing most actors with it.

    One light query (ids, dates, feeds of links to the same actors in the time ranges);
    the exact per-article window and the ranking happen here. The query starts from the
    articles in the time ranges (the published_at index), not from the actors' links: a
    busy actor has links across all of history, a few days hold a bounded number of
    articles. (`actor_id + 0` keeps planners without statistics, SQLite's, from taking
    the actor index instead.)
    """
    from sqlalchemy import and_, or_, select, union_all

    from tracker.models.feeds import Article
    from tracker.models.links import ArticleActor
    from tracker.sqlbulk import among, dialect_of

    actors = sorted(set().union(*(i.actors for i in mine)))
    dialect = dialect_of(session)
    spans = _ranges(mine)
    published = or_(*(Article.published_at.between(lo, hi) for lo, hi in spans))
    undated = and_(
        Article.published_at.is_(None),
        or_(*(Article.first_seen_at.between(lo, hi) for lo, hi in spans)),
    )
    feeds = {i.feed_id for i in mine}
    parts = []
    for in_range, when in ((published, Article.published_at), (undated, Article.first_seen_at)):
        part = (
            select(ArticleActor.article_id, ArticleActor.actor_id, when, Article.feed_id)
            .select_from(Article)
            .join(ArticleActor, ArticleActor.article_id == Article.id)
            .where(
                in_range,
                among(ArticleActor.actor_id + 0, actors, dialect),
                ArticleActor.status.in_(_LINKED),
            )
        )
        if len(feeds) == 1:  # one feed's batch (ingest): its own articles are never candidates
            part = part.where(Article.feed_id != next(iter(feeds)))
        parts.append(part)
    query = union_all(*parts)
    pool: dict[int, tuple[datetime, int, set[int]]] = {}
    for art_id, actor_id, at, feed_id in session.execute(query):
        pool.setdefault(art_id, (at, feed_id, set()))[2].add(actor_id)
    by_actor: dict[int, list[int]] = defaultdict(list)
    for art_id, (_, _, acts) in pool.items():
        for a in acts:
            by_actor[a].append(art_id)
    out: dict[int, list[int]] = {}
    for item in mine:
        shared: dict[int, int] = defaultdict(int)
        for a in item.actors:
            for other in by_actor[a]:
                shared[other] += 1
        near = [
            o
            for o in shared
            if o != item.id and pool[o][1] != item.feed_id and abs(pool[o][0] - item.when) <= WINDOW
        ]
        near.sort(key=lambda o: (-shared[o], abs(pool[o][0] - item.when), o))
        out[item.id] = near[:SHORTLIST]
    return out


def group_stories(session: Session, article_ids: list[int]) -> int:
    """Put these articles into stories with similar articles; returns how many joined one."""
    from tracker.models.feeds import Article
    from tracker.models.links import Story

    mine = [i for i in _items(session, list(article_ids)) if i.story_id is None and i.actors]
    if not mine:
        return 0
    shortlist = _shortlist(session, mine)
    wanted = sorted({o for ids in shortlist.values() for o in ids})
    others = {i.id: i for i in _items(session, wanted)} if wanted else {}
    others.update({i.id: i for i in mine})
    story_of = {i.id: i.story_id for i in others.values()}
    joined = 0
    for item in sorted(mine, key=lambda i: (i.when, i.id)):
        if story_of.get(item.id):
            continue
        best: tuple[float, StoryItem] | None = None
        for oid in shortlist.get(item.id, ()):
            other = others.get(oid)
            if other is not None and same_story(item, other):
                score = similarity(item, other)
                if best is None or score > best[0]:
                    best = (score, other)
        if best is None:
            continue
        other = best[1]
        sid = story_of.get(other.id)
        if sid is None:
            first = min((item, other), key=lambda i: (i.when, i.id))
            story = Story(title=first.title[:500] or "(untitled)", first_published_at=first.when)
            session.add(story)
            session.flush()
            sid = story.id
            session.get(Article, other.id).story_id = sid  # type: ignore[union-attr]
            story_of[other.id] = sid
            joined += 1
        session.get(Article, item.id).story_id = sid  # type: ignore[union-attr]
        story_of[item.id] = sid
        joined += 1
    session.flush()
    return joined
