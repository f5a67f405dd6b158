"""Counts, feed health and the review queue, for `tracker stats`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.dates import utcnow
from tracker.models import Actor, ActorAlias, Claim, Record, Source
from tracker.models.feeds import Article, Feed, IngestRun
from tracker.models.links import ArticleActor, RecordSuggestion, Story
from tracker.models.watch import Watch

STALE_AFTER = timedelta(days=2)


@dataclass(frozen=True)
class FeedProblem:
    feed: str
    failures: int
    last_error: str | None
    last_success_at: datetime | None


@dataclass(frozen=True)
class FeedHealth:
    total: int
    active: int
    ok: int  # active, fetched, last attempt succeeded
    failing: int  # active with consecutive failures
    stale: int  # active, no success for STALE_AFTER (or never fetched)
    never_fetched: int
    problems: tuple[FeedProblem, ...]  # worst first, at most 10


@dataclass(frozen=True)
class Stats:
    counts: dict[str, int]
    records: dict[str, int]  # by kind
    links: dict[str, int]  # article-actor links by status
    conflicting_fields: int  # record fields whose active claims disagree
    review_links: int  # links awaiting review
    review_suggestions: int  # article → record suggestions awaiting review
    feeds: FeedHealth
    last_run: dict[str, Any] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        f = self.feeds
        return {
            "counts": self.counts,
            "records": self.records,
            "links": self.links,
            "conflicting_fields": self.conflicting_fields,
            "review": {"links": self.review_links, "record_suggestions": self.review_suggestions},
            "feeds": {
                "total": f.total, "active": f.active, "ok": f.ok, "failing": f.failing,
                "stale": f.stale, "never_fetched": f.never_fetched,
                "problems": [
                    {"feed": p.feed, "failures": p.failures, "last_error": p.last_error,
                     "last_success_at": p.last_success_at.isoformat() if p.last_success_at else None}
                    for p in f.problems
                ],
            },
            "last_run": self.last_run,
        }  # fmt: skip


def _count(session: Session, column: Any) -> int:
    return int(session.scalar(select(func.count(column))) or 0)


def _grouped(session: Session, column: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column)).all()
    return {str(k): int(n) for k, n in sorted(rows, key=lambda r: str(r[0]))}


def conflicting_fields(session: Session) -> int:
    """How many record fields have active claims that disagree (as claims resolve them)."""
    from tracker.records.claims import resolve_fields

    active = (Claim.retracted_at.is_(None), Claim.superseded_at.is_(None))
    candidates = session.execute(
        select(Claim.record_id, Claim.field)
        .where(Claim.record_id.is_not(None), *active)
        .group_by(Claim.record_id, Claim.field)
        .having(func.count(func.distinct(Claim.value)) > 1)
    ).all()
    if not candidates:
        return 0
    resolved = resolve_fields(session, sorted({r for r, _ in candidates}))
    return sum(1 for rid, name in candidates if (rf := resolved[rid].get(name)) and rf.conflicting)


def feed_health(session: Session, now: datetime | None = None) -> FeedHealth:
    now = now or utcnow()
    feeds = list(session.scalars(select(Feed)))
    active = [f for f in feeds if f.active]
    never = [f for f in active if f.last_attempt_at is None]
    failing = [f for f in active if f.consecutive_failures > 0]
    stale = [
        f for f in active if f.last_success_at is None or now - f.last_success_at > STALE_AFTER
    ]
    ok = [f for f in active if f.last_attempt_at is not None and f.consecutive_failures == 0]
    worst = sorted(
        failing, key=lambda f: (-f.consecutive_failures, f.last_success_at or datetime.min)
    )[:10]
    problems = tuple(
        FeedProblem(f.label(), f.consecutive_failures, f.last_error, f.last_success_at)
        for f in worst
    )
    return FeedHealth(
        len(feeds), len(active), len(ok), len(failing), len(stale), len(never), problems
    )


def build_stats(session: Session) -> Stats:
    counts = {
        "actors": _count(session, Actor.id),
        "aliases": _count(session, ActorAlias.id),
        "records": _count(session, Record.id),
        "sources": _count(session, Source.id),
        "claims": _count(session, Claim.id),
        "feeds": _count(session, Feed.id),
        "articles": _count(session, Article.id),
        "stories": _count(session, Story.id),
        "watches": _count(session, Watch.id),
    }
    links = _grouped(session, ArticleActor.status)
    suggestions = _grouped(session, RecordSuggestion.status)
    run = session.scalars(select(IngestRun).order_by(IngestRun.started_at.desc()).limit(1)).first()
    last_run = None
    if run is not None:
        last_run = {
            "started_at": run.started_at.isoformat(timespec="seconds"),
            "finished_at": run.finished_at.isoformat(timespec="seconds") if run.finished_at else None,
            "status": run.status, "feeds": run.feeds, "new": run.new, "updated": run.updated,
            "errors": run.errors,
        }  # fmt: skip
    return Stats(
        counts=counts,
        records=_grouped(session, Record.kind),
        links=links,
        conflicting_fields=conflicting_fields(session),
        review_links=links.get("review", 0),
        review_suggestions=suggestions.get("suggested", 0),
        feeds=feed_health(session),
        last_run=last_run,
    )
