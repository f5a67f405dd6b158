"""What an ingest run did, per feed and in total (also kept in the database as the ingest log)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Exit codes of `tracker ingest` (and RunReport.exit_code).
EXIT_OK = 0  # every feed pulled, or had nothing new
EXIT_FEEDS_FAILED = 1  # the run finished, some feeds failed (see the report)
EXIT_USAGE = 2  # could not run: bad arguments, missing files, unusable database
EXIT_LOCKED = 3  # another ingest holds this SQLite database's lock (LockedError)


@dataclass(frozen=True)
class FeedReport:
    feed_id: int | None
    url: str
    label: str
    status: str  # ok / not_modified / error / skipped
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    http_status: int | None = None
    error: str | None = None
    problem: str | None = None  # a warning: the feed was malformed but usable
    duration_ms: int = 0
    next_due_at: datetime | None = None
    links: int = 0  # actor links added by entity linking for this feed's new/changed articles
    new_ids: tuple[int, ...] = field(default=(), repr=False)
    updated_ids: tuple[int, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "feed_id": self.feed_id,
            "url": self.url,
            "label": self.label,
            "status": self.status,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "http_status": self.http_status,
            "error": self.error,
            "problem": self.problem,
            "duration_ms": self.duration_ms,
            "next_due_at": self.next_due_at,
            "links": self.links,
        }


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
    def article_ids(self) -> tuple[int, ...]:
        """Ids of the articles this run inserted or changed."""
        return tuple(i for f in self.feeds for i in (*f.new_ids, *f.updated_ids))

    @property
    def exit_code(self) -> int:
        return EXIT_FEEDS_FAILED if self.errors else EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "worker": self.worker,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "exit_code": self.exit_code,
            "totals": {
                "feeds": len(self.feeds),
                "new": self.new,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "errors": self.errors,
                "links": sum(f.links for f in self.feeds),
            },
            "feeds": [f.to_dict() for f in self.feeds],
        }
