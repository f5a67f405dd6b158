"""Official legislative data beyond the core measure tables.

Titles, committee referrals, recorded votes, related measures and enacted laws of a
measure; which official files a measure came from (import provenance); the fields a person
pinned so re-imports keep them (overrides); and uncertain import matches awaiting review.
References to measures that are not loaded yet keep the official id (`*_ref`) and resolve
when the measure arrives.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
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
from tracker.models.base import Base, created_at, enum_check
from tracker.models.records import Measure, Record, Source

TITLE_KINDS = ("display", "official", "short", "popular", "other")
DATASETS = ("billstatus", "congress-json", "designations")
REVIEW_STATUSES = ("pending", "accepted", "rejected")


class MeasureTitle(Base):
    __tablename__ = "measure_titles"
    __table_args__ = (
        UniqueConstraint("measure_id", "kind", "title"),
        enum_check("kind", TITLE_KINDS),
        Index("ix_measure_titles_title", "title"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(1000))
    # The official wording of the title's type, e.g. "Short Titles as Passed House".
    title_type: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    measure: Mapped[Measure] = relationship()


class MeasureCommittee(Base):
    """A committee a measure was referred to (or reported, discharged…), by its system code."""

    __tablename__ = "measure_committees"
    __table_args__ = (UniqueConstraint("measure_id", "code", "activity", "acted_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    committee_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))  # e.g. "SSBK", "HSAS06"
    name: Mapped[str] = mapped_column(String(300))
    chamber: Mapped[str | None] = mapped_column(String(6))
    activity: Mapped[str] = mapped_column(String(60), default="")  # "Referred to", "Markup by"
    acted_on: Mapped[date | None] = mapped_column(Date)

    committee: Mapped[Actor | None] = relationship()


class RecordedVote(Base):
    """A roll-call vote on a measure (or an amendment), from the official record."""

    __tablename__ = "recorded_votes"
    __table_args__ = (
        UniqueConstraint("measure_id", "chamber", "congress", "session", "roll_number"),
        CheckConstraint("roll_number > 0", name="roll_positive"),
        CheckConstraint("yeas IS NULL OR yeas >= 0", name="yeas_non_negative"),
        CheckConstraint("nays IS NULL OR nays >= 0", name="nays_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    chamber: Mapped[str] = mapped_column(String(6))
    congress: Mapped[int] = mapped_column(Integer)
    session: Mapped[int] = mapped_column(Integer)
    roll_number: Mapped[int] = mapped_column(Integer)
    voted_on: Mapped[date | None] = mapped_column(Date)
    question: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(String(40))
    yeas: Mapped[int | None] = mapped_column(Integer)
    nays: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(String(500))


class RelatedMeasure(Base):
    """Another measure the official record relates to this one (identical bill, procedural…).

    `related_ref` is the official id ("hr305-117"); `related_id` is set once it is loaded.
    """

    __tablename__ = "related_measures"
    __table_args__ = (UniqueConstraint("measure_id", "related_ref", "relation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    related_ref: Mapped[str] = mapped_column(String(40), index=True)
    related_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="SET NULL"), index=True
    )
    relation: Mapped[str] = mapped_column(String(120))  # "Identical bill", "Related bill"…
    identified_by: Mapped[str | None] = mapped_column(String(120))


class MeasureLaw(Base):
    """A law a measure became (public or private law number, e.g. 117-263)."""

    __tablename__ = "measure_laws"
    __table_args__ = (UniqueConstraint("measure_id", "law_type", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    law_type: Mapped[str] = mapped_column(String(20))  # "public", "private"
    number: Mapped[str] = mapped_column(String(20), index=True)


class OfficialImport(Base):
    """Which official file a measure was last imported from, per data set.

    The digest makes re-imports of an unchanged file a no-op; `source_updated_at` (the
    file's own update stamp) decides which of two sources (XML, JSON) is newest and so
    provides the measure's fields; both stay linked as sources.
    """

    __tablename__ = "official_imports"
    __table_args__ = (
        UniqueConstraint("measure_id", "dataset"),
        enum_check("dataset", DATASETS),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    dataset: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    path: Mapped[str] = mapped_column(String(1000))
    digest: Mapped[str] = mapped_column(String(64))
    source_updated_at: Mapped[datetime | None] = mapped_column(DateTime())
    imported_at: Mapped[datetime] = created_at()

    source: Mapped[Source | None] = relationship()


class FieldOverride(Base):
    """A value a person set for a field of a record or actor; importers keep it.

    Importers read overrides before writing a field and report each one they kept, so the
    official value and the person's value are both visible.
    """

    __tablename__ = "field_overrides"
    __table_args__ = (
        CheckConstraint("(record_id IS NULL) <> (actor_id IS NULL)", name="one_target"),
        CheckConstraint("field <> ''", name="field_not_empty"),
        UniqueConstraint("record_id", "field"),
        UniqueConstraint("actor_id", "field"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)  # JSON-encoded
    set_by: Mapped[str] = mapped_column(String(120))
    set_at: Mapped[datetime] = created_at()
    note: Mapped[str | None] = mapped_column(Text)

    record: Mapped[Record | None] = relationship()
    actor: Mapped[Actor | None] = relationship()


class ImportReview(Base):
    """An uncertain match an import made (e.g. a listed company that looks like an existing
    actor): the import created `actor_id`; a person decides whether it is `candidate_id`."""

    __tablename__ = "import_reviews"
    __table_args__ = (
        UniqueConstraint("dataset", "actor_id", "candidate_id"),
        enum_check("status", REVIEW_STATUSES),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))  # the name as the data set wrote it
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = created_at()

    actor: Mapped[Actor] = relationship(foreign_keys=[actor_id])
    candidate: Mapped[Actor] = relationship(foreign_keys=[candidate_id])
