"""Subscriptions: turning user input (URLs, files, folders) into Feed rows, and managing them.

Library functions take a session and do not commit; the caller owns the transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.dates import utcnow
from tracker.errors import NotFound, UsageError
from tracker.ingest import schedule
from tracker.models.feeds import Article, Feed, FeedTag

SCHEMES = ("http", "https", "file")
_TAG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")


def is_url(value: str) -> bool:
    return urlsplit(value).scheme.lower() in SCHEMES and "://" in value


def feed_url(source: str | Path) -> str:
    """An http(s)/file URL for a user-given URL or path. Raises UsageError for anything else."""
    text = str(source).strip()
    if not text:
        raise UsageError("empty feed source")
    if is_url(text):
        parts = urlsplit(text)
        if parts.scheme.lower() in ("http", "https") and not parts.hostname:
            raise UsageError(f"not a feed URL (no host): {text}")
        if len(text) > 2000:
            raise UsageError("feed URL is longer than 2000 characters")
        return text
    scheme = urlsplit(text).scheme
    if scheme and len(scheme) > 1 and "://" in text:  # ftp://, feed://… (but not C:\ paths)
        raise UsageError(f"unsupported URL scheme {scheme!r}: use http, https or a file path")
    path = Path(text).expanduser()
    if not path.exists():
        raise UsageError(f"not a feed URL, and no such file or directory: {text}")
    return path.resolve().as_uri()


def expand_sources(sources: Iterable[str | Path]) -> list[str]:
    """URLs for the given sources; a directory stands for every non-hidden file below it."""
    urls: list[str] = []
    seen: set[str] = set()
    for source in sources:
        text = str(source)
        if not is_url(text) and Path(text).expanduser().is_dir():
            root = Path(text).expanduser()
            files = sorted(
                p
                for p in root.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(root).parts)
            )
            candidates = [p.resolve().as_uri() for p in files]
        else:
            candidates = [feed_url(text)]
        for url in candidates:
            if url not in seen:
                seen.add(url)
                urls.append(url)
    return urls


def ensure_feeds(session: Session, urls: Sequence[str]) -> list[int]:
    """Feed ids for urls, in order, creating (or reactivating) rows as needed."""
    ids: dict[str, int] = {}
    chunk = 500
    for start in range(0, len(urls), chunk):
        part = urls[start : start + chunk]
        for fid, url in session.execute(select(Feed.id, Feed.url).where(Feed.url.in_(part))):
            ids[url] = fid
    missing = [u for u in urls if u not in ids]
    if missing:
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        now = utcnow()
        rows = [
            {
                "url": u,
                "active": True,
                "created_at": now,
                "consecutive_failures": 0,
                "interval_seconds": int(schedule.Policy().default_interval),
                "item_count": 0,
            }
            for u in missing
        ]
        session.execute(insert(Feed).on_conflict_do_nothing(index_elements=["url"]), rows)
        for start in range(0, len(missing), chunk):
            part = missing[start : start + chunk]
            for fid, url in session.execute(select(Feed.id, Feed.url).where(Feed.url.in_(part))):
                ids[url] = fid
    return [ids[u] for u in urls]


def normalize_tag(tag: str) -> str:
    value = "-".join(tag.strip().lower().split())
    if not _TAG.match(value):
        raise UsageError(f"not a valid tag: {tag!r} (letters, digits, '.', '_' and '-'; ≤ 60)")
    return value


def add_feed(
    session: Session, source: str, *, name: str | None = None, tags: Sequence[str] = ()
) -> Feed:
    """Subscribe to a feed (URL or file). Re-adding a removed feed resumes it; adding an
    active one again is a usage error."""
    url = feed_url(source)
    if url.startswith("file:") and Path(unquote(urlsplit(url).path)).is_dir():
        raise UsageError(
            f"{source} is a folder: add its feed files, or pull it with `tracker ingest`"
        )
    clean_tags = sorted({normalize_tag(t) for t in tags})
    feed = session.scalars(select(Feed).where(Feed.url == url)).first()
    if feed is not None and feed.active:
        raise UsageError(f"already subscribed: {url} (feed {feed.id})")
    if feed is None:
        feed = Feed(url=url, interval_seconds=int(schedule.Policy().default_interval))
        session.add(feed)
    feed.active = True
    feed.next_due_at = None  # due now
    if name is not None:
        feed.name = " ".join(name.split())[:300] or None
    have = {t.tag for t in feed.tags}
    for tag in clean_tags:
        if tag not in have:
            feed.tags.append(FeedTag(tag=tag))
    session.flush()
    return feed


def find_feed(session: Session, key: str) -> Feed:
    """A feed by id, URL, file path or exact name."""
    key = key.strip()
    feed = None
    if key.isdigit():
        feed = session.get(Feed, int(key))
    if feed is None:
        feed = session.scalars(select(Feed).where(Feed.url == key)).first()
    if feed is None and not is_url(key) and Path(key).expanduser().exists():
        url = Path(key).expanduser().resolve().as_uri()
        feed = session.scalars(select(Feed).where(Feed.url == url)).first()
    if feed is None:
        found = list(session.scalars(select(Feed).where(Feed.name == key)).all())
        if len(found) == 1:
            feed = found[0]
    if feed is None:
        like = session.scalars(
            select(Feed.url).where(Feed.url.contains(key, autoescape=True)).limit(3)
        ).all()
        raise NotFound(f"no feed {key!r}", suggestions=list(like))
    return feed


def remove_feed(session: Session, key: str, *, purge: bool = False) -> tuple[str, int]:
    """Unsubscribe: stop pulling the feed but keep its articles; purge=True deletes both.
    Returns (url, articles deleted)."""
    feed = find_feed(session, key)
    url = feed.url
    if not purge:
        feed.active = False
        feed.lease_owner = feed.lease_expires_at = None
        return url, 0
    count = session.scalar(select(func.count()).where(Article.feed_id == feed.id)) or 0
    session.delete(feed)
    session.flush()
    return url, count


@dataclass(frozen=True)
class FeedStatus:
    """A feed as `tracker feeds list` shows it."""

    id: int
    url: str
    name: str | None
    title: str | None
    tags: tuple[str, ...]
    active: bool
    health: str  # new / ok / failing / dead / paused
    items: int
    consecutive_failures: int
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    last_problem: str | None
    next_due_at: datetime | None
    interval_seconds: int

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__, tags=list(self.tags))


def list_feeds(
    session: Session,
    *,
    tag: str | None = None,
    failing: bool = False,
    include_inactive: bool = False,
    limit: int | None = None,
    now: datetime | None = None,
) -> list[FeedStatus]:
    now = now or utcnow()
    query = select(Feed).order_by(Feed.id)
    if not include_inactive:
        query = query.where(Feed.active.is_(True))
    if tag:
        query = query.where(Feed.tags.any(FeedTag.tag == normalize_tag(tag)))
    if failing:
        query = query.where(Feed.consecutive_failures > 0)
    if limit:
        query = query.limit(limit)
    feeds = list(session.scalars(query))
    counts = dict(
        session.execute(
            select(Article.feed_id, func.count())
            .where(Article.feed_id.in_([f.id for f in feeds]))
            .group_by(Article.feed_id)
        ).all()
    ) if feeds else {}  # fmt: skip
    return [
        FeedStatus(
            id=f.id,
            url=f.url,
            name=f.name,
            title=f.title,
            tags=tuple(t.tag for t in f.tags),
            active=f.active,
            health=schedule.health(
                active=f.active,
                failures=f.consecutive_failures,
                last_success_at=f.last_success_at,
                created_at=f.created_at,
                last_attempt_at=f.last_attempt_at,
                now=now,
            ),
            items=counts.get(f.id, 0),
            consecutive_failures=f.consecutive_failures,
            last_success_at=f.last_success_at,
            last_error=f.last_error,
            last_error_at=f.last_error_at,
            last_problem=f.last_problem,
            next_due_at=f.next_due_at,
            interval_seconds=f.interval_seconds,
        )
        for f in feeds
    ]
