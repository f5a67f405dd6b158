"""Feeds (subscriptions), articles (feed items, stored once) and the ingest log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, created_at, enum_check

RUN_STATUSES = ("running", "ok", "partial", "failed", "interrupted")
REPORT_STATUSES = ("ok", "not_modified", "error", "skipped")


class Feed(Base):
    __tablename__ = "feeds"
    __table_args__ = (
        CheckConstraint("consecutive_failures >= 0", name="failures_non_negative"),
        CheckConstraint("interval_seconds > 0", name="interval_positive"),
        Index("ix_feeds_due", "active", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # http(s) URL, or file:// URL for local/archived feed files.
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(500))
    site_url: Mapped[str | None] = mapped_column(String(2000))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at()
    # conditional GET
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    # sha256 of the last body we parsed: an unchanged body is "nothing new" even when the
    # server ignores conditional GET (and for file:// feeds, which have no validators)
    body_hash: Mapped[str | None] = mapped_column(String(64))
    # health
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_problem: Mapped[str | None] = mapped_column(Text)  # e.g. a bozo parse warning
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    # scheduling (the interval adapts to how often the feed publishes)
    interval_seconds: Mapped[int] = mapped_column(Integer, default=3600)
    next_due_at: Mapped[datetime | None] = mapped_column(DateTime)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    # lease for concurrent workers (PostgreSQL): who is pulling this feed, until when
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime)

    tags: Mapped[list[FeedTag]] = relationship(
        back_populates="feed", cascade="all, delete-orphan", order_by="FeedTag.tag"
    )

    def label(self) -> str:
        return self.name or self.title or self.url


class FeedTag(Base):
    __tablename__ = "feed_tags"
    __table_args__ = (UniqueConstraint("feed_id", "tag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(60), index=True)

    feed: Mapped[Feed] = relationship(back_populates="tags")


class Article(Base):
    """One feed item, stored once per feed (unique identity), updated in place."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("feed_id", "identity"),
        CheckConstraint(
            "(published_at IS NULL AND published_precision IS NULL) OR "
            "(published_at IS NOT NULL AND published_precision IN ('day', 'month', 'year', 'time'))",
            name="published_precision_valid",
        ),
        Index("ix_articles_canonical_url", "canonical_url"),
        Index("ix_articles_id_published", "id", "published_at"),  # 0006_query_indexes
        # also serves published_at alone (0007 dropped the index on that column only)
        Index("ix_articles_published_id", "published_at", "id"),  # 0006_query_indexes
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    # sha256 hex of "guid:<guid>", else "link:<canonical link>", else "hash:<content hash>"
    identity: Mapped[str] = mapped_column(String(64))
    guid: Mapped[str | None] = mapped_column(String(2000))
    link: Mapped[str | None] = mapped_column(String(2000))
    canonical_url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(500))
    summary_html: Mapped[str | None] = mapped_column(Text)
    summary_text: Mapped[str | None] = mapped_column(Text)
    content_html: Mapped[str | None] = mapped_column(Text)
    content_text: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(20))
    # UTC, naive; precision says how much of it the feed actually gave ("time" = full timestamp)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_precision: Mapped[str | None] = mapped_column(String(5))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = created_at()
    last_updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    # linking bookkeeping: when this article was last linked (NULL = needs linking)
    linked_at: Mapped[datetime | None] = mapped_column(DateTime)
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True
    )

    feed: Mapped[Feed] = relationship()

    @property
    def published_on(self) -> date | None:
        return self.published_at.date() if self.published_at else None

    def text(self) -> str:
        """The article's plain text for search and linking: title, summary, content."""
        parts = [self.title or "", self.summary_text or ""]
        if self.content_text and self.content_text != self.summary_text:
            parts.append(self.content_text)
        return "\n\n".join(p for p in parts if p)


class IngestRun(Base):
    __tablename__ = "ingest_runs"
    __table_args__ = (enum_check("status", RUN_STATUSES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = created_at()
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(12), default="running")
    worker: Mapped[str | None] = mapped_column(String(200))
    feeds: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)

    reports: Mapped[list[IngestReport]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="IngestReport.id"
    )


class IngestReport(Base):
    """The ingest log: what one run did to one feed."""

    __tablename__ = "ingest_reports"
    __table_args__ = (enum_check("status", REPORT_STATUSES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True
    )
    feed_id: Mapped[int | None] = mapped_column(
        ForeignKey("feeds.id", ondelete="SET NULL"), index=True
    )
    feed_url: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(12))
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    http_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    problem: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = created_at()

    run: Mapped[IngestRun] = relationship(back_populates="reports")
