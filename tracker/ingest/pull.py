"""Pulling one feed: fetch and parse outside any transaction, then one transaction that
stores the items, updates the feed's health and schedule, and writes its ingest-log row.

When the pull is part of a leased run (ingest_due), the feed row is only updated while
this worker still holds the lease; otherwise the whole transaction is rolled back and the
feed is reported as skipped, so a feed whose lease expired and was taken over by another
worker is never stored twice.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tracker.dates import utcnow
from tracker.db import session_scope
from tracker.errors import FetchError, ParseError, TrackerError
from tracker.ingest import schedule
from tracker.ingest.fetch import FetchLimits, FetchResult, HttpError, fetch
from tracker.ingest.parse import ParsedFeed, parse_feed, publishing_gaps
from tracker.ingest.report import FeedReport
from tracker.ingest.store import StoreResult, store_items
from tracker.models.feeds import Article, Feed, IngestReport
from tracker.text import one_line

if TYPE_CHECKING:
    import httpx
    from sqlalchemy.engine import Engine

    from tracker.linking.prematch import Matches, Prematcher


@dataclass(frozen=True)
class FeedState:
    """What a pull needs to know about a feed, read when it was claimed."""

    id: int
    url: str
    label: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    interval: int
    failures: int


@dataclass(frozen=True)
class PullContext:
    engine: Engine
    run_id: int
    client: httpx.Client | None
    limits: FetchLimits
    policy: schedule.Policy
    worker: str | None  # set when the feed was leased to this worker
    now: datetime | None
    link: bool = True
    # the run's gazetteer, loaded by the first feed that links (one snapshot per run: actors
    # added during a run are matched from the next run on, as `tracker link` does for
    # articles already stored)
    linking: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


_LOG = insert(IngestReport.__table__)


class _LeaseLost(Exception):
    pass


def load_states(session: Session, feed_ids: Sequence[int]) -> list[FeedState]:
    """States for feed_ids, in the given order (missing ids are left out)."""
    found: dict[int, FeedState] = {}
    for start in range(0, len(feed_ids), 500):
        chunk = list(feed_ids[start : start + 500])
        rows = session.execute(
            select(
                Feed.id, Feed.url, Feed.name, Feed.title, Feed.etag, Feed.last_modified,
                Feed.body_hash, Feed.interval_seconds, Feed.consecutive_failures,
            ).where(Feed.id.in_(chunk))
        )  # fmt: skip
        for r in rows:
            found[r.id] = FeedState(
                r.id, r.url, r.name or r.title or r.url, r.etag, r.last_modified,
                r.body_hash, r.interval_seconds, r.consecutive_failures,
            )  # fmt: skip
    return [found[i] for i in feed_ids if i in found]


@dataclass(frozen=True)
class Prepared:
    """The network and CPU half of a pull (fetch + parse), small enough to send between
    processes: the body itself stays behind, only its hash travels."""

    fetched: FetchResult | None  # body dropped
    body_hash: str | None
    parsed: ParsedFeed | None  # None: not modified (or failed)
    error: str | None = None
    http_status: int | None = None
    retry_after: float | None = None
    started: float = 0.0  # time.monotonic() when the pull began
    matches: Matches | None = None  # the items' actor matches, when a prematcher was given


def prepare(
    state: FeedState,
    limits: FetchLimits,
    client: httpx.Client | None,
    prematch: Prematcher | None = None,
) -> Prepared:
    """Fetch and parse one feed (and, given a prematcher, find the actors its items
    mention). No database; never raises for feed problems."""
    t0 = time.monotonic()
    fetched: FetchResult | None = None
    try:
        fetched = fetch(
            state.url,
            client=client,
            etag=state.etag,
            last_modified=state.last_modified,
            limits=limits,
        )
        digest = fetched.body_hash
        parsed = None
        matches = None
        if fetched.body is not None and digest != state.body_hash:
            parsed = parse_feed(fetched.body, url=fetched.url, content_type=fetched.content_type)
            if prematch is not None:
                matches = prematch(Article.text(i) for i in parsed.items)  # type: ignore[arg-type]
        return Prepared(replace(fetched, body=None), digest, parsed, started=t0, matches=matches)
    except (FetchError, ParseError) as exc:
        http = isinstance(exc, HttpError)
        return Prepared(
            None,
            None,
            None,
            error=str(exc),
            http_status=exc.status if http else (fetched.status if fetched else None),  # type: ignore[attr-defined]
            retry_after=exc.retry_after if http else None,  # type: ignore[attr-defined]
            started=t0,
        )


def pull_feed(state: FeedState, ctx: PullContext) -> FeedReport:
    """Fetch, parse and store one feed in this process."""
    return finish(state, ctx, prepare(state, ctx.limits, ctx.client))


def finish(state: FeedState, ctx: PullContext, prep: Prepared) -> FeedReport:
    """The database half of a pull: one transaction for the feed's articles, links, health
    and ingest-log row (or, on failure, one for its health and log row)."""
    t0 = prep.started
    base = FeedReport(state.id, state.url, state.label, "error")
    if prep.error is not None or prep.fetched is None:
        report = replace(base, http_status=prep.http_status, error=prep.error or "fetch failed")
        return _fail(state, ctx, report, prep.retry_after, t0)
    fetched, parsed = prep.fetched, prep.parsed
    try:
        with session_scope(ctx.engine) as session:
            at = ctx.now or utcnow()
            stored = StoreResult((), (), 0)
            links = 0
            if parsed is not None:
                stored = store_items(session, state.id, parsed.items, now=at)
                if ctx.link and (stored.new_ids or stored.updated_ids):
                    ids = [*stored.new_ids, *stored.updated_ids]
                    links = _link(session, ids, ctx, prep.matches)
            report, values = _success(
                state, fetched, prep.body_hash, parsed, stored, at, ctx.policy
            )
            report = replace(report, links=links, duration_ms=_ms(t0))
            _update_feed(session, state, ctx, values)
            session.connection().execute(_LOG, _log_values(ctx.run_id, report, at))
            return report
    except _LeaseLost:
        return replace(base, status="skipped", error="claimed by another worker")
    except TrackerError as exc:
        report = replace(base, error=str(exc))
    except Exception as exc:  # a database failure: this feed only, recorded, run goes on
        report = replace(base, error=f"{type(exc).__name__}: {one_line(exc, 300)}")
    return _fail(state, ctx, report, None, t0)


def _link(
    session: Session, article_ids: list[int], ctx: PullContext, matches: Matches | None
) -> int:
    """Entity linking for the new and changed articles, inside the feed's transaction: a
    feed's articles are never committed unlinked (a linking failure rolls the feed back and
    it is retried next run). Returns the number of actor links added."""
    from tracker.linking.api import link_articles
    from tracker.linking.gazetteer import load_gazetteer

    gz = ctx.linking.get("gazetteer")
    if gz is None:
        gz = ctx.linking["gazetteer"] = load_gazetteer(session)
    # No actors yet (a fresh database): nothing to link to. The articles keep linked_at
    # NULL, so `tracker link` picks them up once a knowledge base is loaded.
    if not gz.actors:
        return 0
    config = ctx.linking.get("config")
    return link_articles(session, article_ids, gazetteer=gz, config=config, matched=matches).added


def _update_feed(
    session: Session, state: FeedState, ctx: PullContext, values: dict[str, Any]
) -> None:
    t = Feed.__table__.c
    query = update(Feed.__table__).where(t.id == state.id)
    if ctx.worker is not None:
        query = query.where(t.lease_owner == ctx.worker)
    result = session.connection().execute(
        query.values(**values, lease_owner=None, lease_expires_at=None)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise _LeaseLost()


def _success(
    state: FeedState,
    fetched: FetchResult,
    body_hash: str | None,
    parsed: ParsedFeed | None,
    stored: StoreResult,
    at: datetime,
    policy: schedule.Policy,
) -> tuple[FeedReport, dict[str, Any]]:
    gaps = publishing_gaps(parsed.items) if parsed is not None else []
    interval = schedule.next_interval(
        state.interval or int(policy.default_interval), gaps, stored.new, policy
    )
    next_due = schedule.after_success(at, interval)
    values: dict[str, Any] = {
        "etag": fetched.etag,
        "last_modified": fetched.last_modified,
        "last_attempt_at": at,
        "last_success_at": at,
        "consecutive_failures": 0,
        "interval_seconds": interval,
        "next_due_at": next_due,
    }
    if parsed is not None:
        values.update(
            body_hash=body_hash,
            last_problem=parsed.problem,
            item_count=Feed.item_count + stored.new,
        )
        if parsed.title:
            values["title"] = parsed.title
        if parsed.site_url:
            values["site_url"] = parsed.site_url
    label = state.label
    if label == state.url and parsed is not None and parsed.title:
        label = parsed.title  # a new feed: name it by its title from now on
    report = FeedReport(
        state.id,
        state.url,
        label,
        "ok" if parsed is not None else "not_modified",
        new=stored.new,
        updated=stored.updated,
        unchanged=stored.unchanged,
        http_status=fetched.status,
        problem=parsed.problem if parsed is not None else None,
        next_due_at=next_due,
        new_ids=stored.new_ids,
        updated_ids=stored.updated_ids,
    )
    return report, values


def _fail(
    state: FeedState,
    ctx: PullContext,
    report: FeedReport,
    retry_after: float | None,
    t0: float,
) -> FeedReport:
    """Record a failed pull: failures+1, last error, backoff (or the server's Retry-After)."""
    at = ctx.now or utcnow()
    failures = state.failures + 1
    next_due = schedule.after_failure(at, failures, ctx.policy, retry_after)
    report = replace(report, duration_ms=_ms(t0), next_due_at=next_due)
    values = {
        "consecutive_failures": Feed.consecutive_failures + 1,
        "last_attempt_at": at,
        "last_error_at": at,
        "last_error": report.error,
        "next_due_at": next_due,
    }
    try:
        with session_scope(ctx.engine) as session:
            _update_feed(session, state, ctx, values)
            session.connection().execute(_LOG, _log_values(ctx.run_id, report, at))
    except _LeaseLost:
        return replace(report, status="skipped", error="claimed by another worker")
    return report


def _log_values(run_id: int, report: FeedReport, at: datetime) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "feed_id": report.feed_id,
        "feed_url": report.url,
        "status": report.status,
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "http_status": report.http_status,
        "error": report.error,
        "problem": report.problem,
        "duration_ms": report.duration_ms,
        "at": at,
    }


def _ms(t0: float) -> int:
    return int((time.monotonic() - t0) * 1000)
