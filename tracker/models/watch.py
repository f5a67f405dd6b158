"""Watchlists and digest state.

A watch points at one actor or one record. It keeps the record's status as last reported
by a digest, so the next digest can say "challenged" or "adopted" even when nothing else
recorded the change. The full-text index (search_fts_*) is hand-written SQL in migration
0004_query, not an ORM table: FTS5 and tsvector have no portable description.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.actors import Actor
from tracker.models.base import Base, created_at
from tracker.models.records import Record

DEFAULT_WATCHLIST = "default"


class Watch(Base):
    __tablename__ = "watches"
    __table_args__ = (
        CheckConstraint("(actor_id IS NULL) <> (record_id IS NULL)", name="one_target"),
        CheckConstraint("watchlist <> ''", name="watchlist_not_empty"),
        UniqueConstraint("watchlist", "target_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watchlist: Mapped[str] = mapped_column(String(60), default=DEFAULT_WATCHLIST)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), index=True
    )
    # "actor:<id>" or "record:<id>": one watch per target per list, NULL-safe on every backend.
    target_key: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = created_at()
    # The record's status when the watch was added or last reported by a digest.
    last_status: Mapped[str | None] = mapped_column(String(20))

    actor: Mapped[Actor | None] = relationship()
    record: Mapped[Record | None] = relationship()


class DigestState(Base):
    """When each watchlist's digest last ran: the default start of the next one."""

    __tablename__ = "digest_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watchlist: Mapped[str] = mapped_column(String(60), unique=True)
    last_digest_at: Mapped[datetime] = mapped_column(DateTime())
