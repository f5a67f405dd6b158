"""Entity links (article → actor, with their mentions), review judgements, record
suggestions and stories (the same news from several outlets)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.actors import Actor
from tracker.models.base import Base, created_at, enum_check, updated_at

LINK_STATUSES = ("auto", "review", "confirmed", "rejected")
LINK_METHODS = ("exact", "alias", "fuzzy", "context", "manual")
DECISIONS = ("accept", "reject", "undo")
SUGGESTION_STATUSES = ("suggested", "accepted", "rejected")


class Story(Base):
    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    first_published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    created_at: Mapped[datetime] = created_at()


class ArticleActor(Base):
    """An article linked to an actor: the best score over its mentions, and a status."""

    __tablename__ = "article_actors"
    __table_args__ = (
        UniqueConstraint("article_id", "actor_id"),
        enum_check("status", LINK_STATUSES),
        enum_check("method", LINK_METHODS),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
        # an actor's newest links, newest first (0008); also an actor's links as a set or a
        # count, index-only. The UNIQUE constraint's index serves article_id (0007, 0009
        # dropped the indexes this one and that one cover)
        Index("ix_article_actors_actor_date", "actor_id", "published_at", "article_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)  # why: the evidence, in words
    # the article's publication date, copied so an actor's newest links come straight from
    # an index; kept equal to the article's by triggers (migration 0008)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    actor: Mapped[Actor] = relationship()
    mentions: Mapped[list[Mention]] = relationship(
        back_populates="link", cascade="all, delete-orphan", order_by="Mention.start"
    )


class Mention(Base):
    """Where in the article the actor is mentioned (character span in Article.text())."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("link_id", "start"),
        CheckConstraint("start >= 0 AND \"end\" > start", name="span_valid"),
        enum_check("method", LINK_METHODS),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("article_actors.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column(Float)

    link: Mapped[ArticleActor] = relationship(back_populates="mentions")


class LinkJudgement(Base):
    """Append-only review decisions about an (article, actor) pair.

    The newest row for a pair is in force; `undo` cancels the previous decision. Rows are
    never updated except to point at the row that superseded them.
    """

    __tablename__ = "link_judgements"
    __table_args__ = (
        enum_check("decision", DECISIONS),
        Index("ix_link_judgements_pair", "article_id", "actor_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(8))
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = created_at()
    score: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("link_judgements.id", ondelete="SET NULL")
    )


class RecordSuggestion(Base):
    """An article suggested as a source for a record (e.g. it names Hagerty, Kim, 'amendment')."""

    __tablename__ = "record_suggestions"
    __table_args__ = (
        UniqueConstraint("article_id", "record_id"),
        enum_check("status", SUGGESTION_STATUSES),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="suggested")
    created_at: Mapped[datetime] = created_at()


ACTOR_DECISIONS = ("same", "different", "undo")


class ActorJudgement(Base):
    """Append-only decisions on whether two actors are one (actor dedupe, like an xref).

    The pair is stored ordered (left_id < right_id). As with LinkJudgement, a new row
    supersedes the one in force and `undo` cancels it; dedupe never re-proposes a pair
    judged 'different'.
    """

    __tablename__ = "actor_judgements"
    __table_args__ = (
        enum_check("decision", ACTOR_DECISIONS),
        CheckConstraint("left_id < right_id", name="pair_ordered"),
        Index("ix_actor_judgements_pair", "left_id", "right_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    left_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    right_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = created_at()
    score: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("actor_judgements.id", ondelete="SET NULL")
    )
