"""What `tracker show` shows: one record or one actor, gathered into frozen dataclasses.

The values of a record's dated fields, status and figures come from its claims (resolved
as of a date when asked), so conflicting sources surface here with every claim kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.dates import PartialDate
from tracker.models import (
    Actor,
    Designation,
    Event,
    Incident,
    Letter,
    Measure,
    Record,
    RecordActor,
    RecordLink,
)
from tracker.records.claims import ResolvedField, resolve_fields
from tracker.records.lookup import find_any


@dataclass(frozen=True)
class Ref:
    """A pointer to an actor or a record, with the role or relation that connects it."""

    kind: str
    slug: str
    name: str
    role: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class SourceInfo:
    slug: str | None
    title: str
    outlet: str | None
    url: str | None
    kind: str
    published: str | None


@dataclass(frozen=True)
class Step:
    """A dated item of a record: a measure action or a designation challenge."""

    date: str | None
    what: str
    text: str | None = None
    outcome: str | None = None
    decided: str | None = None


@dataclass(frozen=True)
class RecordDetail:
    kind: str
    slug: str
    title: str
    summary: str | None
    details: tuple[tuple[str, str], ...]
    items: tuple[str, ...]  # letter asks / incident capabilities
    fields: tuple[ResolvedField, ...]
    steps: tuple[Step, ...]
    actors: tuple[Ref, ...]
    related: tuple[Ref, ...]
    sources: tuple[SourceInfo, ...]
    timeline: Any  # tracker.query.timeline.Timeline
    as_of: date | None = None

    @property
    def conflicting(self) -> bool:
        return any(f.conflicting for f in self.fields)


@dataclass(frozen=True)
class ActorRecord:
    ref: Ref
    status: str | None
    fields: tuple[ResolvedField, ...]


@dataclass(frozen=True)
class ArticleRef:
    title: str
    url: str | None
    published: str | None
    status: str
    score: float


@dataclass(frozen=True)
class ActorDetail:
    slug: str
    name: str
    kind: str
    country: str | None
    description: str | None
    parent: Ref | None
    children: tuple[Ref, ...]
    merged_into: Ref | None
    aliases: tuple[tuple[str, str], ...]  # (alias, origin)
    ids: tuple[tuple[str, str], ...]
    roles: tuple[str, ...]
    records: tuple[ActorRecord, ...]
    articles: tuple[ArticleRef, ...]
    as_of: date | None = None
    records_total: int = 0  # before --limit


def _pd(value: date | None, precision: str | None) -> str | None:
    return PartialDate(value, precision or "day").iso() if value else None


def _ref(obj: Actor | Record, role: str | None = None, note: str | None = None) -> Ref:
    if isinstance(obj, Actor):
        return Ref("actor", obj.slug, obj.name, role, note)
    return Ref(obj.kind, obj.slug, obj.title, role, note)


def show(
    session: Session, name: str, as_of: date | None = None, limit: int | None = None
) -> RecordDetail | ActorDetail:
    """The record or actor NAME refers to (see tracker.records.lookup.find_any); `limit`
    caps the timeline rows and the actor's linked articles."""
    found = find_any(session, name)
    if isinstance(found, Actor):
        return actor_detail(session, found, as_of, limit=limit)
    return record_detail(session, found, as_of, limit=limit)


def _details(rec: Record) -> tuple[list[tuple[str, str]], list[str], list[Step]]:
    details: list[tuple[str, str]] = []
    items: list[str] = []
    steps: list[Step] = []
    if isinstance(rec, Incident):
        details.append(("incident kind", rec.incident_kind))
        items = [c.capability for c in rec.capabilities]
    elif isinstance(rec, Letter):
        if rec.subject:
            details.append(("subject", rec.subject))
        items = [a.text for a in rec.asks]
    elif isinstance(rec, Measure):
        details.append(("type", rec.measure_type))
        for label, value in (
            ("chamber", rec.chamber),
            ("congress", rec.congress),
            ("official id", rec.official_id),
        ):
            if value:
                details.append((label, str(value)))
        if rec.vehicle is not None:
            details.append(("amends", f"{rec.vehicle.title} ({rec.vehicle.slug})"))
        elif rec.vehicle_ref:
            details.append(("amends", rec.vehicle_ref))
        steps = [
            Step(_pd(a.acted_on, a.acted_on_precision), a.action_type, a.text) for a in rec.actions
        ]
    elif isinstance(rec, Designation):
        details.append(("list", rec.list_name))
        details.append(("subject", f"{rec.subject.name} ({rec.subject.slug})"))
        if rec.authority is not None:
            details.append(("authority", f"{rec.authority.name} ({rec.authority.slug})"))
        steps = [
            Step(
                _pd(c.filed_on, c.filed_on_precision),
                f"challenge by {c.challenger.name}" + (f" in {c.venue}" if c.venue else ""),
                c.description,
                c.outcome,
                _pd(c.decided_on, c.decided_on_precision),
            )
            for c in rec.challenges
        ]
    elif isinstance(rec, Event):
        details.append(("event type", rec.event_type))
    return details, items, steps


def _related(session: Session, rec: Record) -> list[Ref]:
    out: list[Ref] = []
    links = session.scalars(
        select(RecordLink).where(or_(RecordLink.from_id == rec.id, RecordLink.to_id == rec.id))
    )
    for link in links:
        if link.from_id == rec.id:
            out.append(_ref(link.to_record, link.relation))
        else:
            out.append(_ref(link.from_record, f"{link.relation} (from)"))
    if isinstance(rec, Event) and rec.subject_record is not None:
        out.append(_ref(rec.subject_record, "subject"))
    for ev in session.scalars(select(Event).where(Event.subject_record_id == rec.id)):
        out.append(_ref(ev, "event"))
    for m in session.scalars(select(Measure).where(Measure.vehicle_id == rec.id)):
        out.append(_ref(m, "amended by"))
    return sorted(set(out), key=lambda r: (r.role or "", r.kind, r.slug))


def _timeline(session: Session, rec: Record, as_of: date | None, limit: int | None) -> Any:
    from tracker.query.timeline import build_timeline

    return build_timeline(session, record=rec.slug, as_of=as_of, limit=limit)


def record_detail(
    session: Session, rec: Record, as_of: date | None = None, *, limit: int | None = None
) -> RecordDetail:
    fields = resolve_fields(session, [rec.id], as_of)[rec.id]
    details, items, steps = _details(rec)
    sources = [
        SourceInfo(
            s.source.slug,
            s.source.title,
            s.source.outlet,
            s.source.url,
            s.source.kind,
            _pd(s.source.published_on, s.source.published_on_precision),
        )
        for s in rec.sources
    ]
    return RecordDetail(
        kind=rec.kind,
        slug=rec.slug,
        title=rec.title,
        summary=rec.summary,
        details=tuple(details),
        items=tuple(items),
        fields=tuple(fields[k] for k in sorted(fields, key=_field_order)),
        steps=tuple(steps),
        actors=tuple(_ref(ra.actor, ra.role, ra.note) for ra in rec.actors),
        related=tuple(_related(session, rec)),
        sources=tuple(sources),
        timeline=_timeline(session, rec, as_of, limit),
        as_of=as_of,
    )


_ORDER = (
    "status", "activity_start_on", "activity_end_on", "disclosed_on", "sent_on",
    "made_public_on", "introduced_on", "added_on", "effective_on", "removed_on", "occurred_on",
)  # fmt: skip


def _field_order(name: str) -> tuple[int, str]:
    return (_ORDER.index(name) if name in _ORDER else len(_ORDER), name)


def _articles(
    session: Session, actor: Actor, limit: int, as_of: date | None = None
) -> list[ArticleRef]:
    """The actor's accepted article links, newest first; with as_of, only articles published
    by the end of that day."""
    from tracker.models.feeds import Article
    from tracker.models.links import ArticleActor

    query = (
        select(Article, ArticleActor)
        .join(ArticleActor, ArticleActor.article_id == Article.id)
        .where(ArticleActor.actor_id == actor.id, ArticleActor.status.in_(("auto", "confirmed")))
    )
    if as_of is not None:
        end = datetime.combine(as_of + timedelta(days=1), time.min)
        query = query.where(Article.published_at < end)
    rows = session.execute(
        query.order_by(Article.published_at.desc().nulls_last(), Article.id.desc()).limit(limit)
    ).all()
    return [
        ArticleRef(
            title=art.title or art.link or "(untitled)",
            url=art.canonical_url or art.link,
            published=art.published_at.date().isoformat() if art.published_at else None,
            status=link.status,
            score=round(link.score, 3),
        )
        for art, link in rows
    ]


def actor_detail(
    session: Session, actor: Actor, as_of: date | None = None, *, limit: int | None = None
) -> ActorDetail:
    memberships = session.scalars(
        select(RecordActor).where(RecordActor.actor_id == actor.id).order_by(RecordActor.id)
    ).all()
    roles_by_record: dict[int, list[str]] = {}
    for ra in memberships:
        roles_by_record.setdefault(ra.record_id, []).append(ra.role)
    wanted = sorted(roles_by_record, reverse=True)[: limit or None]  # newest records first
    records = session.scalars(select(Record).where(Record.id.in_(wanted))).all() if wanted else []
    resolved = resolve_fields(session, [r.id for r in records], as_of)
    entries = []
    for rec in sorted(records, key=lambda r: (r.kind, r.slug)):
        fields = resolved[rec.id]
        status = fields.get("status")
        entries.append(
            ActorRecord(
                ref=_ref(rec, ", ".join(roles_by_record[rec.id])),
                status=status.value if status else None,
                fields=tuple(fields[k] for k in sorted(fields, key=_field_order) if k != "status"),
            )
        )
    merged = session.get(Actor, actor.merged_into_id) if actor.merged_into_id else None
    return ActorDetail(
        slug=actor.slug,
        name=actor.name,
        kind=actor.kind,
        country=actor.country,
        description=actor.description,
        parent=_ref(actor.parent) if actor.parent else None,
        children=tuple(_ref(c) for c in actor.children),
        merged_into=_ref(merged) if merged else None,
        aliases=tuple((a.alias, a.origin) for a in actor.aliases),
        ids=tuple(sorted(actor.ids().items())),
        roles=tuple(_role_label(r) for r in actor.roles),
        records=tuple(entries),
        articles=tuple(_articles(session, actor, limit or 20, as_of)),
        as_of=as_of,
        records_total=len(roles_by_record),
    )


def _role_label(role: Any) -> str:
    span = ""
    if role.start_on or role.end_on:
        span = f" [{role.start_on or '…'} – {role.end_on or 'now'}]"
    return role.label() + span
