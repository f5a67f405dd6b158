"""Article → record suggestions: an article naming a record's actors and its key words is
offered as a source for that record (Hagerty + Kim + "amendment" → the Hagerty–Kim
amendment). Suggestions a person accepted or rejected are never touched again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.linking.normalize import fold, words

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MIN_SCORE = 0.6
_STOP = words(
    "a an and the of on in to for by with from at as about over after against its their his her "
    "new us u s act bill law re vs"
)


@dataclass(frozen=True)
class RecordMatch:
    record_id: int
    score: float
    reason: str


def _keywords(title: str, actor_words: set[str]) -> set[str]:
    return {
        w
        for w in fold(title).split()
        if len(w) > 2 and w not in _STOP and w not in actor_words and not w.isdigit()
    }


def score_record(
    linked: set[int], words: set[str], actors: set[int], keywords: set[str]
) -> RecordMatch | None:
    """Score one record for one article: shared actors count most, its key words confirm."""
    shared = linked & actors
    if not shared:
        return None
    hit = keywords & words
    actor_part = min(1.0, len(shared) / min(2, len(actors)))
    kw_part = len(hit) / len(keywords) if keywords else 0.0
    if len(shared) < 2 and kw_part < 0.25:
        return None
    score = round(0.6 * actor_part + 0.4 * kw_part, 4)
    if score < MIN_SCORE:
        return None
    reason = f"{len(shared)} of its actors named"
    if hit:
        reason += "; words: " + ", ".join(sorted(hit)[:6])
    return RecordMatch(0, score, reason)


def suggest_records(session: Session, article_ids: list[int]) -> int:
    """Create or refresh suggestions for these articles; returns how many are new."""
    from sqlalchemy import select

    from tracker.models import Actor, Record, RecordActor
    from tracker.models.feeds import Article
    from tracker.models.links import ArticleActor, RecordSuggestion
    from tracker.sqlbulk import among, dialect_of

    dialect = dialect_of(session)
    linked: dict[int, set[int]] = defaultdict(set)
    for art_id, actor_id in session.execute(
        select(ArticleActor.article_id, ArticleActor.actor_id).where(
            among(ArticleActor.article_id, article_ids, dialect),
            ArticleActor.status.in_(("auto", "confirmed")),
        )
    ):
        linked[art_id].add(actor_id)
    all_actors = set().union(*linked.values()) if linked else set()
    record_actors: dict[int, set[int]] = defaultdict(set)
    if all_actors:
        wanted = select(RecordActor.record_id).where(
            among(RecordActor.actor_id, sorted(all_actors), dialect)
        )
        for rid, aid in session.execute(
            select(RecordActor.record_id, RecordActor.actor_id).where(
                RecordActor.record_id.in_(wanted)
            )
        ):
            record_actors[rid].add(aid)
    existing = {
        (s.article_id, s.record_id): s
        for s in session.scalars(
            select(RecordSuggestion).where(among(RecordSuggestion.article_id, article_ids, dialect))
        )
    }
    matches: dict[tuple[int, int], RecordMatch] = {}
    if record_actors:
        rids = sorted(record_actors)
        titles = {
            rid: title
            for rid, title in session.execute(
                select(Record.id, Record.title).where(Record.id.in_(rids))
            )
        }
        names = {
            aid: name
            for aid, name in session.execute(
                select(Actor.id, Actor.name).where(
                    Actor.id.in_(sorted(set().union(*record_actors.values())))
                )
            )
        }
        keywords = {}
        for rid in rids:
            actor_words = {w for a in record_actors[rid] for w in fold(names.get(a, "")).split()}
            keywords[rid] = _keywords(titles.get(rid, ""), actor_words)
        by_actor: dict[int, list[int]] = defaultdict(list)
        for rid, aids in record_actors.items():
            for aid in aids:
                by_actor[aid].append(rid)
        texts = dict(
            (a.id, a.text()) for a in session.scalars(select(Article).where(Article.id.in_(linked)))
        )
        for art_id, actors in linked.items():
            words = set(fold(texts.get(art_id, "")).split())
            for rid in sorted({r for a in actors for r in by_actor.get(a, ())}):
                m = score_record(actors, words, record_actors[rid], keywords[rid])
                if m is not None:
                    matches[(art_id, rid)] = RecordMatch(rid, m.score, m.reason)
    statuses = {key: "suggested" for key in matches}
    for key, om in _official(session, article_ids).items():
        mine = matches.get(key)
        reason = f"{om.method}: {om.reason}" + (f"; {mine.reason}" if mine else "")
        matches[key] = RecordMatch(
            key[1], round(max(om.score, mine.score if mine else 0), 4), reason
        )
        # a bill number that resolves to one measure is certain; names are suggestions
        statuses[key] = "accepted" if om.method == "citation" else "suggested"
    new = 0
    for key, m in matches.items():
        row = existing.pop(key, None)
        if row is None:
            session.add(
                RecordSuggestion(
                    article_id=key[0],
                    record_id=key[1],
                    score=m.score,
                    reason=m.reason,
                    status=statuses[key],
                )
            )
            new += 1
        elif row.status == "suggested" and (row.score, row.reason, row.status) != (
            m.score, m.reason, statuses[key]
        ):  # fmt: skip
            row.score, row.reason, row.status = m.score, m.reason, statuses[key]
    for row in existing.values():
        if row.status == "suggested":  # no longer supported by the text; decided rows stay
            session.delete(row)
    session.flush()
    return new


def _official(session: Session, article_ids: list[int]) -> dict:  # type: ignore[type-arg]
    """Bill and amendment citations, popular names and sponsor-named measures, from the
    legislation package's resolver (tracker.legislation.measure_links), when present."""
    try:
        from tracker.legislation.measure_links import measure_matches
    except ImportError:  # the legislation package is optional to linking
        return {}
    return measure_matches(session, article_ids)
