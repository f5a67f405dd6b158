"""Actors: people and organizations, with aliases, hierarchy, external ids and dated roles."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, created_at, enum_check, updated_at

ACTOR_KINDS = (
    "person",
    "organization",
    "company",
    "ai_lab",
    "legislature",
    "committee",
    "agency",
    "executive_office",
    "court",
    "media_outlet",
    "country",
    "party",
)

# curated: written by a person or a records file; imported: from an official data set;
# generated: derived by the gazetteer (normalized variants), rebuilt at will.
ALIAS_ORIGINS = ("curated", "imported", "generated")


class Actor(Base):
    __tablename__ = "actors"
    __table_args__ = (
        enum_check("kind", ACTOR_KINDS),
        CheckConstraint("slug <> ''", name="slug_not_empty"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    country: Mapped[str | None] = mapped_column(String(2))
    description: Mapped[str | None] = mapped_column(Text)
    # Set when this actor was merged into another; merged actors stay for provenance.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    parent: Mapped[Actor | None] = relationship(
        remote_side="Actor.id", foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list[Actor]] = relationship(
        back_populates="parent", foreign_keys=[parent_id], order_by="Actor.name"
    )
    aliases: Mapped[list[ActorAlias]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", order_by="ActorAlias.id"
    )
    external_ids: Mapped[list[ActorExternalId]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", order_by="ActorExternalId.scheme"
    )
    roles: Mapped[list[ActorRole]] = relationship(
        back_populates="actor",
        cascade="all, delete-orphan",
        foreign_keys="ActorRole.actor_id",
        order_by="ActorRole.start_on",
    )

    def ids(self) -> dict[str, str]:
        return {x.scheme: x.value for x in self.external_ids}

    def __repr__(self) -> str:
        return f"<Actor {self.slug}>"


class ActorAlias(Base):
    __tablename__ = "actor_aliases"
    __table_args__ = (
        UniqueConstraint("actor_id", "normalized", "origin"),
        enum_check("origin", ALIAS_ORIGINS),
        CheckConstraint("normalized <> ''", name="normalized_not_empty"),
        Index("ix_actor_aliases_normalized", "normalized"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    normalized: Mapped[str] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(String(10), default="curated")
    # e.g. "nickname", "official_full", "abbreviation", "former_name"
    note: Mapped[str | None] = mapped_column(String(40))

    actor: Mapped[Actor] = relationship(back_populates="aliases")


class ActorExternalId(Base):
    __tablename__ = "actor_external_ids"
    __table_args__ = (
        UniqueConstraint("scheme", "value"),
        UniqueConstraint("actor_id", "scheme"),
        CheckConstraint("scheme <> '' AND value <> ''", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(200))

    actor: Mapped[Actor] = relationship(back_populates="external_ids")


class ActorRole(Base):
    """A dated position: Senator (R-TN), chair of a committee, ranking member, CEO…"""

    __tablename__ = "actor_roles"
    __table_args__ = (
        CheckConstraint("end_on IS NULL OR start_on IS NULL OR end_on >= start_on", name="dates_ordered"),
        UniqueConstraint("actor_id", "title", "organization_id", "start_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    party: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str | None] = mapped_column(String(2))
    district: Mapped[str | None] = mapped_column(String(10))
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    # "curated" (records file), "imported" (official data): an import only replaces its own rows.
    origin: Mapped[str] = mapped_column(String(10), default="curated")

    actor: Mapped[Actor] = relationship(back_populates="roles", foreign_keys=[actor_id])
    organization: Mapped[Actor | None] = relationship(foreign_keys=[organization_id])

    def label(self) -> str:
        tag = ""
        if self.party or self.state:
            tag = " (" + "-".join(x for x in (self.party and self.party[:1], self.state) if x) + ")"
        org = f", {self.organization.name}" if self.organization else ""
        return f"{self.title}{org}{tag}"
