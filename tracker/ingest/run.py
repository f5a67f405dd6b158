"""Ingest runs: fetch → parse → store, one transaction per feed, a report per feed.

Two entry points:
- ingest_paths(engine, paths): pull the given URLs, files or directories now (adds a Feed
  row per source; files become file:// URLs).
- ingest_due(engine): pull every subscribed feed that is due. On PostgreSQL several workers
  can run this at once: each claims a few due feeds with SELECT … FOR UPDATE SKIP LOCKED and
  a lease, so a feed is pulled by one worker and each item stored once. On SQLite one run
  holds the ingest lock (lock.py).

Each feed's articles, health and ingest-log row commit together: a crash leaves every
finished feed complete and the rest due for the next run.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from tracker.dates import utcnow
from tracker.db import session_scope
from tracker.errors import FetchError, ParseError, TrackerError, UsageError
from tracker.ingest import schedule
from tracker.ingest.fetch import FetchLimits, FetchResult, HttpError, fetch, make_client
from tracker.ingest.lock import ingest_lock
from tracker.ingest.parse import ParsedFeed, parse_feed, publishing_gaps
from tracker.ingest.sources import ensure_feeds, expand_sources
from tracker.ingest.store import StoreResult, store_items
from tracker.models.feeds import Feed, IngestReport, IngestRun
from tracker.text import one_line

if TYPE_CHECKING:
    import httpx
    from sqlalchemy.engine import Engine

EXIT_OK, EXIT_FEEDS_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


@dataclass(frozen=True)
class FeedReport:
    """What one run did to one feed (also stored as an IngestReport row)."""

    feed_id: int | None
    url: str
    label: str
    status: str  # ok / not_modified / error / skipped
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    http_status: int | None = None
    error: str | None = None
    problem: str | None = None
    duration_ms: int = 0
    next_due_at: datetime | None = None


@dataclass(frozen=True)
class RunReport:
    run_id: int | None
    worker: str
    started_at: datetime
    finished_at: datetime
    status: str  # ok / partial / failed / interrupted
    feeds: tuple[FeedReport, ...]

    @property
    def new(self) -> int:
        return sum(f.new for f in self.feeds)

    @property
    def updated(self) -> int:
        return sum(f.updated for f in self.feeds)

    @property
    def unchanged(self) -> int:
        return sum(f.unchanged for f in self.feeds)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.feeds if f.status == "error")

    @property
    def exit_code(self) -> int:
        """0 when every feed was pulled (or had nothing new), 1 when some failed."""
        return EXIT_FEEDS_FAILED if self.errors else EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "worker": self.worker,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "totals": {
                "feeds": len(self.feeds),
                "new": self.new,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "errors": self.errors,
            },
            "feeds": [f.__dict__ for f in self.feeds],
        }


@dataclass(frozen=True)
class Options:
    limits: FetchLimits = field(default_factory=FetchLimits)
    policy: schedule.Policy = field(default_factory=schedule.Policy.from_env)
    link: bool = True  # link new/updated articles in the same transaction (when linking exists)
    wait: bool = False  # wait for the SQLite ingest lock instead of failing at once
    lease_seconds: int = 900
    claim_batch: int = 4


Progress = Callable[[FeedReport], None]


def default_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def ingest_paths(
    engine: Engine,
    paths: Iterable[str | Path],
    *,
    now: datetime | None = None,
    options: Options | None = None,
    progress: Progress | None = None,
    worker: str | None = None,
) -> RunReport:
    """Pull the given sources now, due or not: http(s)/file URLs, feed files, or folders of
    feed files (searched recursively). Each source gets (or keeps) a Feed row."""
    options = options or Options()
    urls = expand_sources(paths)
    if not urls:
        raise UsageError("no feed files found in the given sources")
    with ingest_lock(engine, wait=options.wait):
        with session_scope(engine) as session:
            feed_ids = ensure_feeds(session, urls)
        return _run(engine, iter([feed_ids]), now, options, progress, worker or default_worker())


def ingest_due(
    engine: Engine,
    *,
    worker: str | None = None,
    now: datetime | None = None,
    limit: int | None = None,
    options: Options | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Pull every active feed whose next_due_at has passed (at most `limit` feeds)."""
    options = options or Options()
    worker = worker or default_worker()
    with ingest_lock(engine, wait=options.wait):
        claims = _claims(engine, worker, now, limit, options)
        return _run(engine, claims, now, options, progress, worker, leased=True)


def count_due(engine: Engine, *, now: datetime | None = None) -> int:
    from sqlalchemy import func

    now = now or utcnow()
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Feed).where(*_due(now))) or 0


def _due(now: datetime) -> tuple[Any, ...]:
    return (
        Feed.active.is_(True),
        or_(Feed.next_due_at.is_(None), Feed.next_due_at <= now),
        or_(Feed.lease_expires_at.is_(None), Feed.lease_expires_at < now),
    )


def _claims(
    engine: Engine, worker: str, now: datetime | None, limit: int | None, options: Options
) -> Iterable[list[int]]:
    """Batches of feed ids this worker has leased; stops when nothing is due (or at limit)."""
    taken = 0
    postgres = engine.dialect.name == "postgresql"
    while limit is None or taken < limit:
        at = now or utcnow()
        batch = options.claim_batch if postgres else 500
        if limit is not None:
            batch = min(batch, limit - taken)
        with session_scope(engine) as session:
            query = (
                select(Feed.id)
                .where(*_due(at))
                .order_by(Feed.next_due_at.asc().nulls_first(), Feed.id)
                .limit(batch)
            )
            if postgres:
                query = query.with_for_update(skip_locked=True)
            ids = list(session.scalars(query))
            if ids:
                session.execute(
                    update(Feed)
                    .where(Feed.id.in_(ids))
                    .values(
                        lease_owner=worker,
                        lease_expires_at=at + timedelta(seconds=options.lease_seconds),
                    )
                )
        if not ids:
            return
        taken += len(ids)
        yield ids


def _run(
    engine: Engine,
    batches: Iterable[list[int]],
    now: datetime | None,
    options: Options,
    progress: Progress | None,
    worker: str,
    *,
    leased: bool = False,
) -> RunReport:
    started = now or utcnow()
    with session_scope(engine) as session:
        if engine.dialect.name == "sqlite":  # we hold the lock: any "running" run is dead
            session.execute(
                update(IngestRun).where(IngestRun.status == "running").values(status="interrupted")
            )
        run = IngestRun(started_at=started, worker=worker[:200], status="running")
        session.add(run)
        session.flush()
        run_id = run.id
    reports: list[FeedReport] = []
    status = "interrupted"
    client = make_client(options.limits)
    try:
        for batch in batches:
            for feed_id in batch:
                report = _pull(engine, feed_id, run_id, now, options, client, worker, leased)
                if report is None:
                    continue
                reports.append(report)
                if progress:
                    progress(report)
        errors = sum(1 for r in reports if r.status == "error")
        status = "ok" if not errors else ("failed" if errors == len(reports) else "partial")
    finally:
        client.close()
        finished = now or utcnow()
        with session_scope(engine) as session:
            session.execute(
                update(IngestRun)
                .where(IngestRun.id == run_id)
                .values(
                    status=status,
                    finished_at=finished,
                    feeds=len(reports),
                    new=sum(r.new for r in reports),
                    updated=sum(r.updated for r in reports),
                    unchanged=sum(r.unchanged for r in reports),
                    errors=sum(1 for r in reports if r.status == "error"),
                )
            )
    return RunReport(run_id, worker, started, finished, status, tuple(reports))


@dataclass(frozen=True)
class _State:
    id: int
    url: str
    label: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    interval: int
    failures: int


def _state(engine: Engine, feed_id: int) -> _State | None:
    with session_scope(engine) as session:
        feed = session.get(Feed, feed_id)
        if feed is None:
            return None
        return _State(
            feed.id,
            feed.url,
            feed.label(),
            feed.etag,
            feed.last_modified,
            feed.body_hash,
            feed.interval_seconds,
            feed.consecutive_failures,
        )


def _pull(
    engine: Engine,
    feed_id: int,
    run_id: int,
    now: datetime | None,
    options: Options,
    client: httpx.Client,
    worker: str,
    leased: bool,
) -> FeedReport | None:
    state = _state(engine, feed_id)
    if state is None:  # removed meanwhile
        return None
    t0 = time.monotonic()
    base = FeedReport(feed_id, state.url, state.label, "error")
    fetched: FetchResult | None = None
    parsed: ParsedFeed | None = None
    try:
        fetched = fetch(
            state.url,
            client=client,
            etag=state.etag,
            last_modified=state.last_modified,
            limits=options.limits,
        )
        if fetched.body is not None and fetched.body_hash != state.body_hash:
            parsed = parse_feed(fetched.body, url=fetched.url, content_type=fetched.content_type)
    except (FetchError, ParseError) as exc:
        retry = exc.retry_after if isinstance(exc, HttpError) else None
        http = exc.status if isinstance(exc, HttpError) else (fetched.status if fetched else None)
        report = replace(base, http_status=http, error=str(exc))
        return _record_failure(engine, report, run_id, now, options, worker, leased, retry, t0)
    try:
        with session_scope(engine) as session:
            feed = _lock_feed(session, feed_id, worker if leased else None)
            if feed is None:
                return replace(base, status="skipped", error="claimed by another worker")
            at = now or utcnow()
            stored = StoreResult((), (), 0)
            if parsed is not None:
                stored = store_items(session, feed_id, parsed.items, now=at)
            report = _succeed(feed, fetched, parsed, stored, at, options.policy)
            report = replace(report, duration_ms=_ms(t0))
            session.add(_log_row(run_id, report, at))
            return report
    except TrackerError as exc:
        report = replace(base, error=str(exc))
    except Exception as exc:  # a database or linking failure: this feed only
        report = replace(base, error=f"{type(exc).__name__}: {one_line(exc, 300)}")
    return _record_failure(engine, report, run_id, now, options, worker, leased, None, t0)


def _lock_feed(session: Session, feed_id: int, worker: str | None) -> Feed | None:
    query = select(Feed).where(Feed.id == feed_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    feed = session.scalars(query).first()
    if feed is None or (worker is not None and feed.lease_owner != worker):
        return None
    return feed


def _succeed(
    feed: Feed,
    fetched: FetchResult | None,
    parsed: ParsedFeed | None,
    stored: StoreResult,
    at: datetime,
    policy: schedule.Policy,
) -> FeedReport:
    assert fetched is not None
    feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
    feed.last_attempt_at = feed.last_success_at = at
    feed.consecutive_failures = 0
    feed.lease_owner = feed.lease_expires_at = None
    gaps: list[float] = []
    if parsed is not None:
        feed.body_hash = fetched.body_hash
        feed.title = parsed.title or feed.title
        feed.site_url = parsed.site_url or feed.site_url
        feed.last_problem = parsed.problem
        feed.item_count = (feed.item_count or 0) + stored.new
        gaps = publishing_gaps(parsed.items)
    feed.interval_seconds = schedule.next_interval(
        feed.interval_seconds or int(policy.default_interval), gaps, stored.new, policy
    )
    feed.next_due_at = schedule.after_success(at, feed.interval_seconds)
    return FeedReport(
        feed.id,
        feed.url,
        feed.label(),
        "ok" if parsed is not None else "not_modified",
        new=stored.new,
        updated=stored.updated,
        unchanged=stored.unchanged,
        http_status=fetched.status,
        problem=parsed.problem if parsed is not None else None,
        next_due_at=feed.next_due_at,
    )


def _record_failure(
    engine: Engine,
    report: FeedReport,
    run_id: int,
    now: datetime | None,
    options: Options,
    worker: str,
    leased: bool,
    retry_after: float | None,
    t0: float,
) -> FeedReport:
    with session_scope(engine) as session:
        feed = _lock_feed(session, report.feed_id or 0, worker if leased else None)
        if feed is None:
            return replace(report, status="skipped", error="claimed by another worker")
        at = now or utcnow()
        feed.consecutive_failures = (feed.consecutive_failures or 0) + 1
        feed.last_attempt_at = feed.last_error_at = at
        feed.last_error = report.error
        feed.lease_owner = feed.lease_expires_at = None
        feed.next_due_at = schedule.after_failure(
            at, feed.consecutive_failures, options.policy, retry_after
        )
        report = replace(report, duration_ms=_ms(t0), next_due_at=feed.next_due_at)
        session.add(_log_row(run_id, report, at))
        return report


def _log_row(run_id: int, report: FeedReport, at: datetime) -> IngestReport:
    return IngestReport(
        run_id=run_id,
        feed_id=report.feed_id,
        feed_url=report.url,
        status=report.status,
        new=report.new,
        updated=report.updated,
        unchanged=report.unchanged,
        http_status=report.http_status,
        error=report.error,
        problem=report.problem,
        duration_ms=report.duration_ms,
        at=at,
    )


def _ms(t0: float) -> int:
    return int((time.monotonic() - t0) * 1000)
