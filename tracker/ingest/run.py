"""Ingest runs: which feeds to pull, in what order, and the run's own bookkeeping.

Two entry points:
- ingest_paths(engine, paths): pull the given URLs, files or directories now (adds a Feed
  row per source; files become file:// URLs).
- ingest_due(engine): pull every subscribed feed that is due. On PostgreSQL several workers
  can run this at once: each claims a few due feeds with SELECT … FOR UPDATE SKIP LOCKED and
  a lease, so a feed is pulled by one worker and each item stored once. On SQLite one run
  at a time holds the ingest lock (lock.py).

Each feed's articles, health and ingest-log row commit together (pull.py): a crash leaves
every finished feed complete and the rest due for the next run.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from tracker.dates import utcnow
from tracker.db import session_scope
from tracker.errors import UsageError
from tracker.ingest import schedule
from tracker.ingest.fetch import FetchLimits
from tracker.ingest.lock import ingest_lock
from tracker.ingest.parallel import MIN_FEEDS, Preparer, default_jobs
from tracker.ingest.pull import FeedState, PullContext, finish, load_states
from tracker.ingest.report import (
    EXIT_FEEDS_FAILED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    FeedReport,
    RunReport,
)
from tracker.ingest.sources import ensure_feeds, expand_sources
from tracker.models.feeds import Feed, IngestReport, IngestRun

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tracker.linking.prematch import Prematcher

__all__ = [
    "EXIT_FEEDS_FAILED",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_USAGE",
    "FeedReport",
    "Options",
    "RunReport",
    "count_due",
    "ingest_due",
    "ingest_paths",
]


@dataclass(frozen=True)
class Options:
    limits: FetchLimits = field(default_factory=FetchLimits)
    policy: schedule.Policy = field(default_factory=schedule.Policy.from_env)
    link: bool = True  # link new/updated articles to actors in the feed's transaction
    wait: bool = False  # wait for the SQLite ingest lock instead of failing at once
    lease_seconds: int = 900  # how long a claimed feed stays ours (PostgreSQL workers)
    claim_batch: int = 8  # feeds claimed per round trip by one PostgreSQL worker
    jobs: int = field(default_factory=default_jobs)  # fetch+parse processes (1: in-process)


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
            states = load_states(session, ensure_feeds(session, urls))
        return _run(
            engine, iter([states]), now, options, progress, worker or default_worker(),
            expected=len(states),
        )  # fmt: skip


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
        expected = count_due(engine, now=now)
        if limit is not None:
            expected = min(expected, limit)
        claims = _claims(engine, worker, now, limit, options)
        return _run(engine, claims, now, options, progress, worker, expected=expected, leased=True)


def count_due(engine: Engine, *, now: datetime | None = None) -> int:
    """How many feeds ingest_due would pull now (for a progress bar's total)."""
    with session_scope(engine) as session:
        query = select(func.count()).select_from(Feed).where(*_due(now or utcnow()))
        return session.scalar(query) or 0


def _due(now: datetime) -> tuple[Any, ...]:
    return (
        Feed.active.is_(True),
        or_(Feed.next_due_at.is_(None), Feed.next_due_at <= now),
        or_(Feed.lease_expires_at.is_(None), Feed.lease_expires_at < now),
    )


def _claims(
    engine: Engine, worker: str, now: datetime | None, limit: int | None, options: Options
) -> Iterator[list[FeedState]]:
    """Batches of feeds leased to this worker, until nothing is due (or `limit` is reached).
    A claimed feed's next_due_at moves into the future when it is pulled, so one run never
    claims the same feed twice; a crashed worker's lease simply expires."""
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
            if not ids:
                return
            session.execute(
                update(Feed)
                .where(Feed.id.in_(ids))
                .values(
                    lease_owner=worker[:200],
                    lease_expires_at=at + timedelta(seconds=options.lease_seconds),
                )
            )
            states = load_states(session, ids)
        taken += len(ids)
        yield states


def _run(
    engine: Engine,
    batches: Iterable[list[FeedState]],
    now: datetime | None,
    options: Options,
    progress: Progress | None,
    worker: str,
    *,
    expected: int,
    leased: bool = False,
) -> RunReport:
    started = now or utcnow()
    with session_scope(engine) as session:
        _mark_dead_runs(session, engine.dialect.name, started, options.lease_seconds)
        run = IngestRun(started_at=started, worker=worker[:200], status="running")
        session.add(run)
        session.flush()
        run_id = run.id
    reports: list[FeedReport] = []
    status = "interrupted"
    ctx = PullContext(
        engine=engine,
        run_id=run_id,
        client=None,
        limits=options.limits,
        policy=options.policy,
        worker=worker[:200] if leased else None,
        now=now,
        link=options.link,
    )
    jobs = options.jobs if expected >= MIN_FEEDS else 1
    prematch = _prematcher(engine, ctx) if options.link and jobs > 1 else None
    try:
        with Preparer(options.limits, jobs, prematch) as preparer, _run_snapshots():
            for batch in batches:
                for state, prepared in preparer.stream(batch):
                    report = finish(state, ctx, prepared)
                    reports.append(report)
                    if progress:
                        progress(report)
        errors = sum(1 for r in reports if r.status == "error")
        status = "ok" if not errors else ("failed" if errors == len(reports) else "partial")
    finally:
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


def _run_snapshots():  # type: ignore[no-untyped-def]
    """One measure index per run, like the gazetteer (record suggestions for bill citations)."""
    from tracker.legislation.measure_links import one_index_per_run

    return one_index_per_run()


def _prematcher(engine: Engine, ctx: PullContext) -> Prematcher | None:
    """The run's gazetteer and link thresholds, loaded before the workers start so they
    can match what they parse (and the parent links with the very same snapshot)."""
    from tracker.linking.candidates import LinkConfig
    from tracker.linking.gazetteer import load_gazetteer
    from tracker.linking.prematch import Prematcher

    with session_scope(engine) as session:
        gz = ctx.linking["gazetteer"] = load_gazetteer(session)
    config = ctx.linking["config"] = LinkConfig.from_env()
    return Prematcher(gz, config) if gz.actors else None


def _mark_dead_runs(session: Session, dialect: str, now: datetime, lease_seconds: int) -> None:
    """Runs left "running" by a crashed process become "interrupted". On SQLite we hold the
    lock, so every such run is dead; on PostgreSQL a run is dead once it has written no
    ingest-log row for longer than a lease."""
    query = update(IngestRun).where(IngestRun.status == "running")
    if dialect != "sqlite":
        cutoff = now - timedelta(seconds=lease_seconds)
        recent = select(IngestReport.id).where(
            IngestReport.run_id == IngestRun.id, IngestReport.at >= cutoff
        )
        query = query.where(IngestRun.started_at < cutoff, ~recent.exists())
    session.execute(
        query.values(status="interrupted"), execution_options={"synchronize_session": False}
    )
