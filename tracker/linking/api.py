"""Linking articles to actors in the database: what ingestion and `tracker link` call.

`link_articles` matches the given articles against the cached gazetteer and makes their
stored links equal the result: new links are added, changed ones updated in place
(mentions included), vanished ones removed — so linking twice changes nothing. Review
decisions win over the matcher: an accepted pair stays confirmed even if the matcher no
longer finds it, a rejected pair stays rejected and never re-enters the review queue.
Neither function commits; the caller owns the transaction.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from tracker.linking.gazetteer import Gazetteer, load_gazetteer, sync_generated_aliases
from tracker.linking.judgements import in_force
from tracker.linking.matcher import Candidate, Found, LinkConfig, match_text
from tracker.linking.prematch import Matches, text_key

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models.links import ArticleActor

CHUNK = 500


@dataclass(frozen=True)
class LinkSummary:
    """What one linking call did."""

    articles: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    auto: int = 0  # links in force afterwards, by status
    review: int = 0
    confirmed: int = 0
    rejected: int = 0
    mentions: int = 0
    suggestions: int = 0
    stories: int = 0
    seconds: float = 0.0

    def __add__(self, other: LinkSummary) -> LinkSummary:
        return LinkSummary(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def _mention_key(m: object) -> tuple[object, ...]:
    return (m.start, m.end, m.text, m.method, round(m.score, 4))  # type: ignore[attr-defined]


def _sync_link(link: ArticleActor, cand: Candidate | None, judged: str | None) -> bool:
    """Make one stored link agree with a candidate and the decision in force."""
    from tracker.models.links import Mention

    changed = False
    if cand is not None:
        status = {"accept": "confirmed", "reject": "rejected"}.get(judged or "", cand.status)
        score = round(cand.score, 4)
        for attr, value in (
            ("method", cand.method),
            ("score", score),
            ("status", status),
            ("reason", cand.reason),
        ):
            if getattr(link, attr) != value:
                setattr(link, attr, value)
                changed = True
        old = {m.start: m for m in link.mentions}
        new = {f.start: f for f in cand.mentions}
        for start, m in old.items():
            f = new.get(start)
            if f is None:
                link.mentions.remove(m)
                changed = True
            elif _mention_key(m) != _mention_key(f):
                m.end, m.text, m.method, m.score = f.end, f.text[:300], f.method, round(f.score, 4)
                changed = True
        for start, f in new.items():
            if start not in old:
                link.mentions.append(
                    Mention(
                        start=f.start,
                        end=f.end,
                        text=f.text[:300],
                        method=f.method,
                        score=round(f.score, 4),
                    )
                )
                changed = True
    elif judged == "accept" and link.status != "confirmed":
        link.status = "confirmed"
        changed = True
    return changed


def _insert_links(
    session: Session,
    rows: list[dict[str, object]],
    mentions: dict[tuple[int, int], tuple[Found, ...]],
) -> None:
    """New links and their mentions in two bulk INSERTs (RETURNING gives the link ids)."""
    from tracker.models.links import ArticleActor, Mention
    from tracker.sqlbulk import insert_rows

    if not rows:
        return
    # Core inserts on the tables: the ORM's bulk path adds nothing for plain rows
    conn = session.connection()
    ids = insert_rows(
        conn, ArticleActor.__table__, rows, returning=("id", "article_id", "actor_id"), narrow=True
    )
    out = [
        {"link_id": link_id, "start": f.start, "end": f.end, "text": f.text[:300],
         "method": f.method, "score": round(f.score, 4)}
        for link_id, art, actor in ids
        for f in mentions[(art, actor)]
    ]  # fmt: skip
    insert_rows(conn, Mention.__table__, out, narrow=True)


def link_articles(
    session: Session,
    article_ids: Iterable[int],
    *,
    config: LinkConfig | None = None,
    stories: bool = True,
    suggestions: bool = True,
    gazetteer: Gazetteer | None = None,
    matched: Matches | None = None,
) -> LinkSummary:
    """Link these articles to actors (idempotent, judgement-respecting, no commit).

    `gazetteer` lets a caller that links many batches in one go (an ingest run) load it
    once (`load_gazetteer`) instead of checking its version on every call; such a caller
    sees actor changes from its next run on. `matched` holds match_text results computed
    ahead (prematch.py) with the same gazetteer and config, by text digest; an article
    whose text has no entry is matched here.
    """
    from sqlalchemy import select, update
    from sqlalchemy.orm import selectinload
    from sqlalchemy.orm.attributes import set_committed_value
    from sqlalchemy.orm.util import identity_key

    from tracker.dates import utcnow
    from tracker.models.feeds import Article
    from tracker.models.links import ArticleActor
    from tracker.sqlbulk import among, dialect_of

    t0 = time.perf_counter()
    cfg = config or LinkConfig.from_env()
    ids = sorted({int(i) for i in article_ids})
    if not ids:
        return LinkSummary()
    session.flush()  # articles the caller just added must be visible to the queries below
    gz = gazetteer if gazetteer is not None else load_gazetteer(session)
    total = LinkSummary()
    dialect = dialect_of(session)
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        # plain columns, not ORM objects: Article.text() reads three of them
        articles = session.execute(
            select(
                Article.id, Article.title, Article.summary_text, Article.content_text,
                Article.published_at,
            ).where(among(Article.id, chunk, dialect))
        ).all()  # fmt: skip
        existing: dict[int, dict[int, ArticleActor]] = defaultdict(dict)
        for link in session.scalars(
            select(ArticleActor)
            .where(among(ArticleActor.article_id, chunk, dialect))
            .options(selectinload(ArticleActor.mentions))
        ):
            existing[link.article_id][link.actor_id] = link
        judged = in_force(session, chunk)
        counts = dict.fromkeys(("added", "updated", "removed", "unchanged", "mentions"), 0)
        new_links: list[dict[str, object]] = []
        new_mentions: dict[tuple[int, int], tuple[Found, ...]] = {}
        now = utcnow()
        with session.no_autoflush:
            for art in articles:
                text = Article.text(art)
                ahead = matched.get(text_key(text)) if matched else None
                found = ahead if ahead is not None else match_text(gz, text, cfg)
                cands = {c.actor_id: c for c in found}
                stored = existing.pop(art.id, {})
                for actor_id, cand in cands.items():
                    key = (art.id, actor_id)
                    link = stored.pop(actor_id, None)
                    if link is None:
                        status = {"accept": "confirmed", "reject": "rejected"}.get(
                            judged.get(key, ""), cand.status
                        )
                        new_links.append({
                            "article_id": art.id, "actor_id": actor_id, "method": cand.method,
                            "score": round(cand.score, 4), "status": status,
                            "reason": cand.reason, "created_at": now, "updated_at": now,
                            "published_at": art.published_at,
                        })  # fmt: skip
                        new_mentions[key] = cand.mentions
                        counts["added"] += 1
                    elif _sync_link(link, cand, judged.get(key)):
                        counts["updated"] += 1
                    else:
                        counts["unchanged"] += 1
                    counts["mentions"] += len(cand.mentions)
                for actor_id, link in stored.items():  # links the text no longer supports
                    decision = judged.get((art.id, actor_id))
                    if decision == "accept":  # a person said so: it stays, confirmed
                        counts["updated" if _sync_link(link, None, "accept") else "unchanged"] += 1
                    else:  # a rejection stays in the log even when the row goes
                        session.delete(link)
                        counts["removed"] += 1
            session.flush()
        _insert_links(session, new_links, new_mentions)
        session.execute(
            update(Article).where(among(Article.id, chunk, dialect)).values(linked_at=now),
            execution_options={"synchronize_session": False},
        )
        for art_id in chunk:  # articles the caller holds show the new value too
            obj = session.identity_map.get(identity_key(Article, art_id))
            if obj is not None:
                set_committed_value(obj, "linked_at", now)
        total = total + LinkSummary(articles=len(articles), **counts)
        if suggestions:
            from tracker.linking.suggest import suggest_records

            total = total + LinkSummary(suggestions=suggest_records(session, chunk))
        if stories:
            from tracker.linking.stories import group_stories

            total = total + LinkSummary(stories=group_stories(session, chunk))
    status = _status_counts(session, ids)
    return LinkSummary(
        **{
            **{f.name: getattr(total, f.name) for f in fields(total)},
            **status,
            "seconds": round(time.perf_counter() - t0, 4),
        }
    )


def _status_counts(session: Session, ids: list[int]) -> dict[str, int]:
    from sqlalchemy import func, select

    from tracker.models.links import ArticleActor
    from tracker.sqlbulk import among, chunks, dialect_of

    out = {"auto": 0, "review": 0, "confirmed": 0, "rejected": 0}
    dialect = dialect_of(session)
    for part in chunks(ids, dialect):
        for status, n in session.execute(
            select(ArticleActor.status, func.count())
            .where(among(ArticleActor.article_id, part, dialect))
            .group_by(ArticleActor.status)
        ):
            out[status] += n
    return out


def stale_article_ids(session: Session, *, only_stale: bool = True) -> list[int]:
    """Articles never linked, or changed since they were (all articles with only_stale=False)."""
    from sqlalchemy import or_, select

    from tracker.models.feeds import Article

    stmt = select(Article.id).order_by(Article.id)
    if only_stale:
        stmt = stmt.where(
            or_(
                Article.linked_at.is_(None),
                Article.last_updated_at > Article.linked_at,
            )
        )
    return list(session.scalars(stmt))


def relink_all(
    session: Session,
    *,
    only_stale: bool = True,
    config: LinkConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LinkSummary:
    """Refresh generated aliases, then link stale articles (or every article); no commit.

    Safe to repeat: links are updated in place, never duplicated.
    """
    sync_generated_aliases(session)
    ids = stale_article_ids(session, only_stale=only_stale)
    total = LinkSummary()
    t0 = time.perf_counter()
    for i in range(0, len(ids), CHUNK):
        part = link_articles(session, ids[i : i + CHUNK], config=config)
        total = total + LinkSummary(
            **{
                f.name: getattr(part, f.name)
                for f in fields(part)
                if f.name not in ("auto", "review", "confirmed", "rejected", "seconds")
            }
        )
        if progress is not None:
            progress(min(i + CHUNK, len(ids)), len(ids))
    status = _status_counts(session, ids)
    return LinkSummary(
        **{
            **{f.name: getattr(total, f.name) for f in fields(total)},
            **status,
            "seconds": round(time.perf_counter() - t0, 4),
        }
    )
