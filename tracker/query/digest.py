"""The digest: what changed for a watchlist's actors and records since a moment.

New articles linked to a watched actor (first seen since then), new or newly dated events,
measure actions and designation challenges, status changes (from status claims, and from
the status each watched record had at the previous digest), and new conflicting claims.
`mark_digest` records the run so the next digest starts where this one ended.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.dates import utcnow
from tracker.models import Claim, DesignationChallenge, Event, MeasureAction, Record
from tracker.models.actors import Actor
from tracker.models.feeds import Article, Feed
from tracker.models.links import ArticleActor
from tracker.models.watch import DEFAULT_WATCHLIST, DigestState, Watch
from tracker.query.common import ARTICLE_LINK_STATUSES, SourceRef, actor_and_merged_ids, partial_of
from tracker.query.timeline import actor_scope
from tracker.query.watch import WatchItem, check_watchlist, current_status, list_watches

SECTIONS = ("status", "conflict", "event", "action", "challenge", "article")
SECTION_TITLES = {
    "status": "Status changes",
    "conflict": "New conflicting claims",
    "event": "New events",
    "action": "Measure actions",
    "challenge": "Challenges",
    "article": "New articles",
}
DEFAULT_SPAN = timedelta(days=7)
MAX_ARTICLES = 200


@dataclass(frozen=True)
class DigestItem:
    section: str  # see SECTIONS
    title: str
    when: str | None  # ISO date (partial) or timestamp
    record: str | None = None  # slug
    detail: str | None = None
    watched: tuple[str, ...] = ()  # slugs of the watched items this concerns
    sources: tuple[SourceRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "title": self.title,
            "when": self.when,
            "record": self.record,
            "detail": self.detail,
            "watched": list(self.watched),
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True)
class Digest:
    watchlist: str
    since: datetime
    until: datetime
    since_last_digest: bool  # the start is the previous digest (not --since)
    watched: tuple[WatchItem, ...]
    items: tuple[DigestItem, ...]

    def section(self, name: str) -> tuple[DigestItem, ...]:
        return tuple(i for i in self.items if i.section == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "watchlist": self.watchlist,
            "since": self.since.isoformat(timespec="seconds"),
            "until": self.until.isoformat(timespec="seconds"),
            "since_last_digest": self.since_last_digest,
            "watched": [w.to_dict() for w in self.watched],
            "counts": {s: len(self.section(s)) for s in SECTIONS},
            "items": [i.to_dict() for i in self.items],
        }


def last_digest_at(session: Session, watchlist: str) -> datetime | None:
    return session.scalar(
        select(DigestState.last_digest_at).where(DigestState.watchlist == watchlist)
    )


def build_digest(
    session: Session,
    *,
    watchlist: str = DEFAULT_WATCHLIST,
    since: datetime | None = None,
    now: datetime | None = None,
) -> Digest:
    """What changed for `watchlist` since `since` (default: its last digest, else 7 days)."""
    watchlist = check_watchlist(watchlist)
    now = now or utcnow()
    since_last = since is None
    if since is None:
        since = last_digest_at(session, watchlist) or now - DEFAULT_SPAN
    watched = list_watches(session, watchlist)
    # record id -> slugs of the watched things it concerns
    concern: dict[int, set[str]] = {}
    actor_ids: dict[int, str] = {}
    for w in watched:
        if w.target == "record":
            concern.setdefault(w.target_id, set()).add(w.slug)
        else:
            for aid in actor_and_merged_ids(session, w.target_id):
                actor_ids[aid] = w.slug
            for rid in actor_scope(session, actor_and_merged_ids(session, w.target_id)):
                concern.setdefault(rid, set()).add(w.slug)
    if concern:
        # Events that belong to a watched record concern it too.
        for eid, subject in session.execute(
            select(Event.__table__.c.id, Event.__table__.c.subject_record_id).where(
                Event.__table__.c.subject_record_id.in_(list(concern))
            )
        ):
            concern.setdefault(eid, set()).update(concern.get(subject, set()))
    items: list[DigestItem] = []
    items += _status_items(session, watched, concern, since)
    items += _conflict_items(session, concern, since)
    items += _event_items(session, concern, since)
    items += _action_items(session, concern, since)
    items += _challenge_items(session, concern, since)
    items += _article_items(session, actor_ids, since)
    order = {s: i for i, s in enumerate(SECTIONS)}
    items.sort(key=lambda i: (order[i.section], i.when or "", i.title))
    return Digest(watchlist, since, now, since_last, watched, tuple(items))


def mark_digest(session: Session, digest: Digest) -> None:
    """Remember this digest: the next one starts at its end, statuses are the new baseline."""
    state = session.scalars(
        select(DigestState).where(DigestState.watchlist == digest.watchlist)
    ).first()
    if state is None:
        session.add(DigestState(watchlist=digest.watchlist, last_digest_at=digest.until))
    else:
        state.last_digest_at = digest.until
    for w in session.scalars(
        select(Watch).where(Watch.watchlist == digest.watchlist, Watch.record_id.is_not(None))
    ):
        assert w.record_id is not None
        w.last_status = current_status(session, w.record_id)
    session.flush()


def _slugs(concern: dict[int, set[str]], rid: int) -> tuple[str, ...]:
    return tuple(sorted(concern.get(rid, ())))


def _status_items(
    session: Session, watched: tuple[WatchItem, ...], concern: dict[int, set[str]], since: datetime
) -> list[DigestItem]:
    out: list[DigestItem] = []
    seen: set[tuple[int, str]] = set()
    ids = list(concern)
    for start in range(0, len(ids), 500):
        stmt = (
            select(Claim, Record.slug, Record.title)
            .join(Record, Record.id == Claim.record_id)
            .where(
                Claim.record_id.in_(ids[start : start + 500]),
                Claim.field == "status",
                Claim.recorded_at >= since,
            )
            .order_by(Claim.recorded_at)
        )
        for claim, slug, title in session.execute(stmt):
            value = str(json.loads(claim.value))
            assert claim.record_id is not None
            seen.add((claim.record_id, value))
            src = claim.source
            out.append(
                DigestItem(
                    "status", f"{title}: {value}", claim.recorded_at.isoformat(timespec="seconds"),
                    record=slug, detail=f"status now {value}",
                    watched=_slugs(concern, claim.record_id),
                    sources=(SourceRef(src.title, src.url, src.outlet),),
                )
            )  # fmt: skip
    for w in watched:
        if w.target != "record":
            continue
        now_status = current_status(session, w.target_id)
        if now_status != w.status and (w.target_id, now_status or "") not in seen:
            out.append(
                DigestItem(
                    "status", f"{w.name}: {w.status or 'none'} → {now_status or 'none'}", None,
                    record=w.slug, detail=f"was {w.status or 'none'} at the last digest",
                    watched=(w.slug,),
                )
            )  # fmt: skip
    return out


def _conflict_items(
    session: Session, concern: dict[int, set[str]], since: datetime
) -> list[DigestItem]:
    if not concern:
        return []
    from tracker.query.common import source_from_claim
    from tracker.records.claims import resolve_fields

    fresh: set[tuple[int, str]] = set()
    ids = list(concern)
    for start in range(0, len(ids), 500):
        stmt = select(Claim.record_id, Claim.field).where(
            Claim.record_id.in_(ids[start : start + 500]), Claim.recorded_at >= since
        )
        fresh.update((r, f) for r, f in session.execute(stmt) if r is not None)
    if not fresh:
        return []
    records = sorted({r for r, _ in fresh})
    resolved = resolve_fields(session, records)
    slugs = dict(
        session.execute(select(Record.id, Record.slug).where(Record.id.in_(records))).all()
    )
    titles = dict(
        session.execute(select(Record.id, Record.title).where(Record.id.in_(records))).all()
    )
    out = []
    for rid, field in sorted(fresh):
        rf = resolved.get(rid, {}).get(field)
        if rf is None or not rf.conflicting:
            continue
        values = " vs ".join(str(v) for v in rf.values())
        out.append(
            DigestItem(
                "conflict", f"{titles[rid]}: sources disagree on {field}",
                max(c.recorded_at for c in rf.active_claims).isoformat(timespec="seconds"),
                record=slugs[rid], detail=values, watched=_slugs(concern, rid),
                sources=tuple(dict.fromkeys(source_from_claim(c) for c in rf.active_claims)),
            )
        )  # fmt: skip
    return out


def _event_items(
    session: Session, concern: dict[int, set[str]], since: datetime
) -> list[DigestItem]:
    if not concern:
        return []
    ev, rec = Event.__table__, Record.__table__
    out = []
    ids = list(concern)
    for start in range(0, len(ids), 500):
        stmt = (
            select(ev.c.id, ev.c.occurred_on, ev.c.occurred_on_precision, rec.c.slug, rec.c.title)
            .select_from(ev.join(rec, rec.c.id == ev.c.id))
            .where(
                ev.c.id.in_(ids[start : start + 500]),
                or_(rec.c.created_at >= since, ev.c.occurred_on >= since.date()),
            )
        )
        for row in session.execute(stmt):
            pd = partial_of(row.occurred_on, row.occurred_on_precision)
            out.append(
                DigestItem("event", row.title, pd.iso() if pd else None, record=row.slug,
                           watched=_slugs(concern, row.id))
            )  # fmt: skip
    return out


def _action_items(
    session: Session, concern: dict[int, set[str]], since: datetime
) -> list[DigestItem]:
    if not concern:
        return []
    stmt = (
        select(MeasureAction, Record.slug, Record.title)
        .join(Record, Record.id == MeasureAction.measure_id)
        .where(MeasureAction.measure_id.in_(list(concern)), MeasureAction.acted_on >= since.date())
        .order_by(MeasureAction.acted_on, MeasureAction.position)
    )
    out = []
    for action, slug, title in session.execute(stmt):
        pd = partial_of(action.acted_on, action.acted_on_precision)
        out.append(
            DigestItem(
                "action", f"{title}: {action.action_type.replace('_', ' ')}",
                pd.iso() if pd else None, record=slug, detail=action.text,
                watched=_slugs(concern, action.measure_id),
            )
        )  # fmt: skip
    return out


def _challenge_items(
    session: Session, concern: dict[int, set[str]], since: datetime
) -> list[DigestItem]:
    if not concern:
        return []
    c = DesignationChallenge
    stmt = (
        select(c, Actor.name, Record.slug, Record.title)
        .join(Actor, Actor.id == c.challenger_id)
        .join(Record, Record.id == c.designation_id)
        .where(
            c.designation_id.in_(list(concern)),
            or_(c.filed_on >= since.date(), c.decided_on >= since.date()),
        )
    )
    out = []
    for ch, name, slug, title in session.execute(stmt):
        decided = ch.decided_on is not None and ch.decided_on >= since.date()
        pd = (
            partial_of(ch.decided_on, ch.decided_on_precision)
            if decided
            else partial_of(ch.filed_on, ch.filed_on_precision)
        )
        verb = f"challenge decided ({ch.outcome})" if decided else "challenged"
        out.append(
            DigestItem(
                "challenge", f"{title}: {verb} by {name}", pd.iso() if pd else None,
                record=slug, detail=ch.venue or None, watched=_slugs(concern, ch.designation_id),
            )
        )  # fmt: skip
    return out


def _article_items(
    session: Session, actor_ids: dict[int, str], since: datetime
) -> list[DigestItem]:
    if not actor_ids:
        return []
    stmt = (
        select(
            Article.id,
            Article.title,
            Article.link,
            Article.published_at,
            Article.first_seen_at,
            ArticleActor.actor_id,
            Feed.name,
            Feed.title.label("feed_title"),
            Feed.url,
        )
        .select_from(ArticleActor)
        .join(Article, Article.id == ArticleActor.article_id)
        .join(Feed, Feed.id == Article.feed_id)
        .where(
            ArticleActor.actor_id.in_(list(actor_ids)),
            ArticleActor.status.in_(ARTICLE_LINK_STATUSES),
            Article.first_seen_at >= since,
        )
        .order_by(Article.first_seen_at.desc(), Article.id.desc())
        .limit(MAX_ARTICLES)
    )
    by_article: dict[int, DigestItem] = {}
    for row in session.execute(stmt):
        slug = actor_ids[row.actor_id]
        prev = by_article.get(row.id)
        if prev is not None:
            by_article[row.id] = DigestItem(
                "article", prev.title, prev.when, detail=prev.detail,
                watched=tuple(sorted({*prev.watched, slug})), sources=prev.sources,
            )  # fmt: skip
            continue
        when = (row.published_at or row.first_seen_at).isoformat(timespec="minutes")
        outlet = row.name or row.feed_title or row.url
        title = row.title or row.link or "(untitled)"
        by_article[row.id] = DigestItem(
            "article", title, when, detail=outlet, watched=(slug,),
            sources=(SourceRef(title, row.link, outlet, when[:10]),),
        )  # fmt: skip
    return list(by_article.values())
