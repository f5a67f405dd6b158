"""Records (incidents, letters, measures, designations, events), their sources and claims.

Every record shares one row in `records` (joined-table inheritance), so claims, sources,
tags, links between records and watchlists point at one table. Partial dates are a date
column `<x>` plus `<x>_precision`; each date says what it is (occurred, disclosed, sent,
made public, added, effective…).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from tracker.models.actors import Actor
from tracker.models.base import (
    Base,
    created_at,
    enum_check,
    precision_check,
    precision_column,
    updated_at,
)

RECORD_KINDS = ("incident", "letter", "measure", "designation", "event")

STATUSES: dict[str, tuple[str, ...]] = {
    "incident": ("alleged", "disputed", "confirmed", "dismissed"),
    "letter": ("draft", "sent", "public", "answered"),
    "measure": (
        "proposed", "offered", "introduced", "referred", "reported", "passed_house",
        "passed_senate", "passed", "adopted", "failed", "enacted", "vetoed", "withdrawn",
        "dead",
    ),
    "designation": ("pending", "active", "challenged", "removed"),
    "event": ("occurred", "scheduled", "cancelled"),
}

# Roles an actor plays in a record.
ACTOR_ROLES = (
    "perpetrator", "target", "author", "signatory", "recipient", "sponsor", "cosponsor",
    "subject", "authority", "challenger", "participant", "mentioned",
)
RELATIONS = ("related", "responds_to", "amends", "precedent", "part_of", "about", "cites")
SOURCE_KINDS = (
    "article", "letter", "press_release", "filing", "official_record", "dataset", "other",
)
MEASURE_TYPES = ("bill", "resolution", "joint_resolution", "concurrent_resolution", "amendment")
CHAMBERS = ("house", "senate", "joint")
CHALLENGE_OUTCOMES = ("pending", "won", "lost", "withdrawn", "settled")
FIGURE_QUALIFIERS = (
    "exactly", "approximately", "nearly", "roughly", "about", "more_than", "at_least",
    "up_to", "less_than",
)


def _status_check() -> CheckConstraint:
    parts = []
    for kind, values in STATUSES.items():
        quoted = ", ".join(f"'{v}'" for v in values)
        parts.append(f"(kind = '{kind}' AND status IN ({quoted}))")
    return CheckConstraint("status IS NULL OR " + " OR ".join(parts), name="status_valid")


class Record(Base):
    __tablename__ = "records"
    __table_args__ = (
        enum_check("kind", RECORD_KINDS),
        _status_check(),
        CheckConstraint("slug <> ''", name="slug_not_empty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    actors: Mapped[list[RecordActor]] = relationship(
        back_populates="record", cascade="all, delete-orphan",
        order_by="(RecordActor.role, RecordActor.position)",
    )
    sources: Mapped[list[RecordSource]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="RecordSource.id"
    )
    tags: Mapped[list[RecordTag]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="RecordTag.tag"
    )
    claims: Mapped[list[Claim]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="Claim.id",
        foreign_keys="Claim.record_id",
    )

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "record"}

    def actors_in(self, role: str) -> list[Actor]:
        return [ra.actor for ra in self.actors if ra.role == role]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.slug}>"


class RecordActor(Base):
    __tablename__ = "record_actors"
    __table_args__ = (
        UniqueConstraint("record_id", "actor_id", "role"),
        enum_check("role", ACTOR_ROLES),
        CheckConstraint("end_on IS NULL OR start_on IS NULL OR end_on >= start_on", name="dates_ordered"),
        Index("ix_record_actors_actor_role", "actor_id", "role"),
        Index("ix_record_actors_actor_record", "actor_id", "record_id"),  # 0006_query_indexes
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # e.g. when a cosponsor joined or withdrew
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(300))

    record: Mapped[Record] = relationship(back_populates="actors")
    actor: Mapped[Actor] = relationship()


class RecordLink(Base):
    """A typed edge between two records (a letter about an incident, a precedent…)."""

    __tablename__ = "record_links"
    __table_args__ = (
        UniqueConstraint("from_id", "to_id", "relation"),
        enum_check("relation", RELATIONS),
        CheckConstraint("from_id <> to_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    to_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(20), default="related")

    from_record: Mapped[Record] = relationship(foreign_keys=[from_id])
    to_record: Mapped[Record] = relationship(foreign_keys=[to_id])


class RecordTag(Base):
    __tablename__ = "record_tags"
    __table_args__ = (UniqueConstraint("record_id", "tag"), Index("ix_record_tags_tag", "tag"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(60))

    record: Mapped[Record] = relationship(back_populates="tags")


class Incident(Record):
    __tablename__ = "incidents"
    __table_args__ = (
        precision_check("activity_start_on"),
        precision_check("activity_end_on"),
        precision_check("disclosed_on"),
        CheckConstraint(
            "activity_end_on IS NULL OR activity_start_on IS NULL OR activity_end_on >= activity_start_on",
            name="activity_ordered",
        ),
    )
    __mapper_args__ = {"polymorphic_identity": "incident"}

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    incident_kind: Mapped[str] = mapped_column(String(40))
    activity_start_on: Mapped[date | None] = mapped_column(Date)
    activity_start_on_precision: Mapped[str | None] = precision_column()
    activity_end_on: Mapped[date | None] = mapped_column(Date)
    activity_end_on_precision: Mapped[str | None] = precision_column()
    disclosed_on: Mapped[date | None] = mapped_column(Date)
    disclosed_on_precision: Mapped[str | None] = precision_column()

    figures: Mapped[list[IncidentFigure]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentFigure.id"
    )
    capabilities: Mapped[list[IncidentCapability]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentCapability.id"
    )


class IncidentFigure(Base):
    """A number stated about an incident, with the qualifier the source used ("nearly 28.8M")."""

    __tablename__ = "incident_figures"
    __table_args__ = (
        UniqueConstraint("incident_id", "metric"),
        CheckConstraint("value >= 0", name="value_non_negative"),
        enum_check("qualifier", FIGURE_QUALIFIERS, name="qualifier_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(16), default="exactly")
    unit: Mapped[str | None] = mapped_column(String(20))

    incident: Mapped[Incident] = relationship(back_populates="figures")


class IncidentCapability(Base):
    __tablename__ = "incident_capabilities"
    __table_args__ = (UniqueConstraint("incident_id", "capability"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    capability: Mapped[str] = mapped_column(String(120))

    incident: Mapped[Incident] = relationship(back_populates="capabilities")


class Letter(Record):
    __tablename__ = "letters"
    __table_args__ = (
        precision_check("sent_on"),
        precision_check("made_public_on"),
        CheckConstraint(
            "made_public_on IS NULL OR sent_on IS NULL OR made_public_on >= sent_on",
            name="public_after_sent",
        ),
    )
    __mapper_args__ = {"polymorphic_identity": "letter"}

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    subject: Mapped[str | None] = mapped_column(String(500))
    sent_on: Mapped[date | None] = mapped_column(Date)
    sent_on_precision: Mapped[str | None] = precision_column()
    made_public_on: Mapped[date | None] = mapped_column(Date)
    made_public_on_precision: Mapped[str | None] = precision_column()

    asks: Mapped[list[LetterAsk]] = relationship(
        back_populates="letter", cascade="all, delete-orphan", order_by="LetterAsk.position"
    )


class LetterAsk(Base):
    __tablename__ = "letter_asks"
    __table_args__ = (UniqueConstraint("letter_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))

    letter: Mapped[Letter] = relationship(back_populates="asks")


class Measure(Record):
    """A bill, resolution or amendment."""

    __tablename__ = "measures"
    __table_args__ = (
        enum_check("measure_type", MEASURE_TYPES),
        CheckConstraint(f"chamber IS NULL OR chamber IN ({', '.join(repr(c) for c in CHAMBERS)})", name="chamber_valid"),
        CheckConstraint("congress IS NULL OR congress > 0", name="congress_positive"),
        CheckConstraint("vehicle_id IS NULL OR vehicle_id <> id", name="not_own_vehicle"),
        precision_check("introduced_on"),
    )
    __mapper_args__ = {"polymorphic_identity": "measure"}

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    measure_type: Mapped[str] = mapped_column(String(24))
    chamber: Mapped[str | None] = mapped_column(String(6))
    congress: Mapped[int | None] = mapped_column(Integer)
    # Official id in the congress scrapers' form, e.g. "hr3838-119", "samdt3748-119".
    official_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    # The measure this amends (the vehicle); vehicle_ref keeps the official id even when the
    # vehicle is not loaded yet, so the reference resolves when it arrives.
    vehicle_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="SET NULL"), index=True
    )
    vehicle_ref: Mapped[str | None] = mapped_column(String(120))
    introduced_on: Mapped[date | None] = mapped_column(Date)
    introduced_on_precision: Mapped[str | None] = precision_column()

    vehicle: Mapped[Measure | None] = relationship(
        remote_side="Measure.id", foreign_keys=[vehicle_id]
    )
    actions: Mapped[list[MeasureAction]] = relationship(
        back_populates="measure", cascade="all, delete-orphan",
        order_by="(MeasureAction.acted_on, MeasureAction.position)",
    )


class MeasureAction(Base):
    """A dated step in a measure's life: proposed, introduced, markup, adopted, failed…"""

    __tablename__ = "measure_actions"
    __table_args__ = (
        precision_check("acted_on"),
        CheckConstraint("acted_on IS NOT NULL", name="acted_on_required"),
        UniqueConstraint("measure_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    acted_on: Mapped[date] = mapped_column(Date, index=True)
    acted_on_precision: Mapped[str | None] = precision_column()
    action_type: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    chamber: Mapped[str | None] = mapped_column(String(6))
    code: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))

    measure: Mapped[Measure] = relationship(back_populates="actions")
    source: Mapped[Source | None] = relationship()


class Designation(Record):
    """A listing of an actor on an official list (e.g. the Section 1260H list)."""

    __tablename__ = "designations"
    __table_args__ = (
        precision_check("added_on"),
        precision_check("effective_on"),
        precision_check("removed_on"),
        CheckConstraint("removed_on IS NULL OR added_on IS NULL OR removed_on >= added_on", name="removed_after_added"),
        Index("ix_designations_authority_id", "authority_id"),  # 0006_query_indexes
    )
    __mapper_args__ = {"polymorphic_identity": "designation"}

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    list_name: Mapped[str] = mapped_column(String(200), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="RESTRICT"), index=True)
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    added_on: Mapped[date | None] = mapped_column(Date)
    added_on_precision: Mapped[str | None] = precision_column()
    effective_on: Mapped[date | None] = mapped_column(Date)
    effective_on_precision: Mapped[str | None] = precision_column()
    removed_on: Mapped[date | None] = mapped_column(Date)
    removed_on_precision: Mapped[str | None] = precision_column()

    subject: Mapped[Actor] = relationship(foreign_keys=[subject_id])
    authority: Mapped[Actor | None] = relationship(foreign_keys=[authority_id])
    challenges: Mapped[list[DesignationChallenge]] = relationship(
        back_populates="designation", cascade="all, delete-orphan",
        order_by="DesignationChallenge.filed_on",
    )


class DesignationChallenge(Base):
    __tablename__ = "designation_challenges"
    __table_args__ = (
        precision_check("filed_on"),
        precision_check("decided_on"),
        enum_check("outcome", CHALLENGE_OUTCOMES),
        UniqueConstraint("designation_id", "challenger_id", "venue"),
        Index("ix_designation_challenges_challenger_id", "challenger_id"),  # 0006_query_indexes
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    designation_id: Mapped[int] = mapped_column(ForeignKey("designations.id", ondelete="CASCADE"))
    challenger_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    venue: Mapped[str] = mapped_column(String(200), default="")
    filed_on: Mapped[date | None] = mapped_column(Date)
    filed_on_precision: Mapped[str | None] = precision_column()
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_on_precision: Mapped[str | None] = precision_column()
    outcome: Mapped[str] = mapped_column(String(10), default="pending")
    description: Mapped[str | None] = mapped_column(Text)

    designation: Mapped[Designation] = relationship(back_populates="challenges")
    challenger: Mapped[Actor] = relationship()


class Event(Record):
    """A dated happening (a memo, an executive order, a hearing) tied to records and actors."""

    __tablename__ = "events"
    __table_args__ = (
        precision_check("occurred_on"),
        CheckConstraint("occurred_on IS NOT NULL", name="occurred_on_required"),
    )
    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # events has two foreign keys to records (its own id and subject_record_id).
        return {
            "polymorphic_identity": "event",
            "inherit_condition": cls.__table__.c.id == Record.__table__.c.id,
        }

    id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    occurred_on_precision: Mapped[str | None] = precision_column()
    # The record this event belongs to on a timeline, if any (e.g. the lawsuit → designation).
    subject_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("records.id", ondelete="SET NULL"), index=True
    )

    subject_record: Mapped[Record | None] = relationship(foreign_keys=[subject_record_id])


class Source(Base):
    """Where a fact comes from: an article, a letter, a press release, a filing, a data set."""

    __tablename__ = "sources"
    __table_args__ = (
        enum_check("kind", SOURCE_KINDS),
        precision_check("published_on"),
        CheckConstraint("url IS NOT NULL OR slug IS NOT NULL", name="identified"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str | None] = mapped_column(String(120), unique=True)
    url: Mapped[str | None] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    outlet: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="article")
    published_on: Mapped[date | None] = mapped_column(Date)
    published_on_precision: Mapped[str | None] = precision_column()
    created_at: Mapped[datetime] = created_at()

    def label(self) -> str:
        parts = [self.outlet or "", self.title]
        return " — ".join(p for p in parts if p)


class RecordSource(Base):
    __tablename__ = "record_sources"
    __table_args__ = (UniqueConstraint("record_id", "source_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    note: Mapped[str | None] = mapped_column(String(300))
    added_at: Mapped[datetime] = created_at()

    record: Mapped[Record] = relationship(back_populates="sources")
    source: Mapped[Source] = relationship()


class Claim(Base):
    """One source's statement of one field of a record or actor.

    Claims are append-only: a changed statement supersedes the old claim (superseded_at and
    superseded_by_id are set), a withdrawn one gets retracted_at; neither is deleted, so the
    knowledge base can be read as of any date.
    """

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("(record_id IS NULL) <> (actor_id IS NULL)", name="one_target"),
        CheckConstraint("retracted_at IS NULL OR retracted_at >= recorded_at", name="retracted_after_recorded"),
        CheckConstraint("superseded_at IS NULL OR superseded_at >= recorded_at", name="superseded_after_recorded"),
        CheckConstraint("field <> ''", name="field_not_empty"),
        Index(
            "uq_claims_active_key",
            "claim_key",
            unique=True,
            sqlite_where=CheckConstraint("retracted_at IS NULL AND superseded_at IS NULL").sqltext,
            postgresql_where=CheckConstraint("retracted_at IS NULL AND superseded_at IS NULL").sqltext,
        ),
        Index("ix_claims_record_field", "record_id", "field"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(60))
    # JSON-encoded value (canonical form, so equal values compare equal as text).
    value: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"), index=True)
    # Where in the source ("headline", "TL;DR", "para 12") and the words it used.
    locator: Mapped[str | None] = mapped_column(String(120))
    quote: Mapped[str | None] = mapped_column(Text)
    # Identity of the statement (target, field, value, source, locator) for idempotent loads.
    claim_key: Mapped[str] = mapped_column(String(64))
    # When the knowledge base learned this (defaults to the source's date when loading records).
    recorded_at: Mapped[datetime] = mapped_column(DateTime(), index=True)
    retracted_at: Mapped[datetime | None] = mapped_column(DateTime())
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime())
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(300))

    record: Mapped[Record | None] = relationship(back_populates="claims", foreign_keys=[record_id])
    actor: Mapped[Actor | None] = relationship()
    source: Mapped[Source] = relationship()

    def active_at(self, when: datetime | None) -> bool:
        if when is None:
            return self.retracted_at is None and self.superseded_at is None
        if self.recorded_at > when:
            return False
        return all(t is None or t > when for t in (self.retracted_at, self.superseded_at))
