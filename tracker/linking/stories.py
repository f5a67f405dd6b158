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


def _items(session: Session, ids: list[int] | None, start=None, end=None, actors=None):  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from tracker.models.feeds import Article
    from tracker.models.links import ArticleActor

    when = func.coalesce(Article.published_at, Article.first_seen_at)
    stmt = select(
        Article.id, Article.feed_id, when, Article.title, Article.summary_text, Article.story_id
    )
    if ids is not None:
        stmt = stmt.where(Article.id.in_(ids))
    else:
        linked = select(ArticleActor.article_id).where(
            ArticleActor.actor_id.in_(sorted(actors)),
            ArticleActor.status.in_(("auto", "confirmed")),
        )
        stmt = stmt.where(when >= start, when <= end, Article.id.in_(linked))
    rows = session.execute(stmt).all()
    by_art: dict[int, set[int]] = defaultdict(set)
    row_ids = [r[0] for r in rows]
    for i in range(0, len(row_ids), 900):
        for art_id, actor_id in session.execute(
            select(ArticleActor.article_id, ArticleActor.actor_id).where(
                ArticleActor.article_id.in_(row_ids[i : i + 900]),
                ArticleActor.status.in_(("auto", "confirmed")),
            )
        ):
            by_art[art_id].add(actor_id)
    return [
        StoryItem(r[0], r[1], r[2], r[3] or "", r[4] or "", frozenset(by_art[r[0]]), r[5])
        for r in rows
    ]


def group_stories(session: Session, article_ids: list[int]) -> int:
    """Put these articles into stories with similar articles; returns how many joined one."""
    from tracker.models.feeds import Article
    from tracker.models.links import Story

    mine = [i for i in _items(session, article_ids) if i.story_id is None and i.actors]
    if not mine:
        return 0
    start = min(i.when for i in mine) - WINDOW
    end = max(i.when for i in mine) + WINDOW
    actors = set().union(*(i.actors for i in mine))
    pool = {i.id: i for i in _items(session, None, start, end, actors)}
    story_of = {i.id: i.story_id for i in pool.values()}
    by_actor: dict[int, list[StoryItem]] = defaultdict(list)
    for item in pool.values():
        for a in item.actors:
            by_actor[a].append(item)
    joined = 0
    for item in sorted(mine, key=lambda i: (i.when, i.id)):
        if story_of.get(item.id):
            continue
        seen: set[int] = set()
        best: tuple[float, StoryItem] | None = None
        for a in item.actors:
            for other in by_actor[a]:
                if other.id in seen:
                    continue
                seen.add(other.id)
                if same_story(item, other):
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
