"""Writing validated specs: upsert by slug, touching only what changed.

Called by tracker.records.loader after validation. Attributes are assigned only when they
differ, so an unchanged reload emits no UPDATE (no updated_at churn). Facts become claims
(tracker.records.claims, append-only); the record's columns then show the resolved values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.dates import PartialDate, utcnow
from tracker.models import (
    Actor,
    ActorAlias,
    ActorExternalId,
    ActorRole,
    Claim,
    Designation,
    Event,
    Incident,
    Letter,
    Measure,
    Record,
    Source,
)
from tracker.records.claims import ClaimChange, Statement, set_field_claims
from tracker.records.lookup import normalize_name
from tracker.records.parse import Parsed
from tracker.records.schema import ActorSpec, RecordSpec, SourceSpec

# Marks the claims a records file made: a reload manages only these.
FILE_NOTE = "from a records file"

MODELS: dict[str, type[Record]] = {
    "incident": Incident,
    "letter": Letter,
    "measure": Measure,
    "designation": Designation,
    "event": Event,
}


class _Changes:
    """Assigns attributes only when they differ and remembers whether anything did."""

    def __init__(self) -> None:
        self.changed = False

    def set(self, obj: object, attr: str, value: Any) -> None:
        if getattr(obj, attr) != value:
            setattr(obj, attr, value)
            self.changed = True

    def partial(self, obj: object, prefix: str, value: PartialDate | None) -> None:
        self.set(obj, prefix, value.start if value else None)
        self.set(obj, f"{prefix}_precision", value.precision if value else None)

    def mark(self, changed: bool = True) -> None:
        self.changed = self.changed or changed


class Writer:
    def __init__(self, session: Session, parsed: Parsed) -> None:
        self.session = session
        self.parsed = parsed
        self.now = utcnow()
        self.sources: dict[str, Source] = {}
        self.actors: dict[str, Actor] = {}
        self.records: dict[str, Record] = {}
        self.counts = dict.fromkeys(
            (
                "sources_created", "sources_updated", "actors_created", "actors_updated",
                "records_created", "records_updated",
            ),
            0,
        )  # fmt: skip
        self.claims = ClaimChange()
        self.source_specs = {s.slug: s for s in parsed.sources}

    # -- lookups by slug (this load first, then the database) ----------------------------

    def source(self, slug: str) -> Source:
        if slug not in self.sources:
            self.sources[slug] = self.session.scalars(
                select(Source).where(Source.slug == slug)
            ).one()
        return self.sources[slug]

    def actor(self, slug: str) -> Actor:
        if slug not in self.actors:
            self.actors[slug] = self.session.scalars(select(Actor).where(Actor.slug == slug)).one()
        return self.actors[slug]

    def record(self, slug: str) -> Record:
        if slug not in self.records:
            self.records[slug] = self.session.scalars(
                select(Record).where(Record.slug == slug)
            ).one()
        return self.records[slug]

    def _count(self, what: str, created: bool, changes: _Changes) -> None:
        if created:
            self.counts[f"{what}_created"] += 1
        elif changes.changed:
            self.counts[f"{what}_updated"] += 1

    # -- sources -------------------------------------------------------------------------

    def write_source(self, spec: SourceSpec) -> None:
        s = self.session
        src = s.scalars(select(Source).where(Source.slug == spec.slug)).first()
        if src is None and spec.url:
            src = s.scalars(
                select(Source).where(Source.url == spec.url, Source.slug.is_(None))
            ).first()
        created = src is None
        if src is None:
            src = Source(slug=spec.slug, title=spec.title)
            s.add(src)
        ch = _Changes()
        for attr in ("slug", "title", "kind", "url", "outlet", "author"):
            ch.set(src, attr, getattr(spec, attr))
        ch.partial(src, "published_on", spec.published)
        self.sources[spec.slug] = src
        self._count("sources", created, ch)

    # -- actors --------------------------------------------------------------------------

    def write_actor_base(self, spec: ActorSpec) -> tuple[bool, bool]:
        act = self.session.scalars(select(Actor).where(Actor.slug == spec.slug)).first()
        created = act is None
        if act is None:
            act = Actor(slug=spec.slug, name=spec.name, kind=spec.kind)
            self.session.add(act)
        ch = _Changes()
        for attr in ("name", "kind", "country", "description"):
            ch.set(act, attr, getattr(spec, attr))
        self.actors[spec.slug] = act
        return created, ch.changed

    def write_actor_details(self, spec: ActorSpec, created: bool, base_changed: bool) -> None:
        act = self.actors[spec.slug]
        ch = _Changes()
        ch.set(act, "parent_id", self.actor(spec.parent).id if spec.parent else None)
        ch.mark(self._sync_aliases(act, spec))
        for scheme, value in spec.ids:  # ids not listed are left alone (imports add more)
            current = next((x for x in act.external_ids if x.scheme == scheme), None)
            if current is None:
                act.external_ids.append(ActorExternalId(scheme=scheme, value=value))
                ch.mark()
            else:
                ch.set(current, "value", value)
        ch.mark(self._sync_roles(act, spec))
        ch.mark(base_changed and not created)
        self._count("actors", created, ch)

    def _sync_aliases(self, act: Actor, spec: ActorSpec) -> bool:
        wanted: dict[str, tuple[str, str | None]] = {}
        for alias, note in spec.aliases:
            norm = normalize_name(alias)[:300]
            if norm:
                wanted.setdefault(norm, (alias, note))
        changed = False
        curated = {a.normalized: a for a in act.aliases if a.origin == "curated"}
        for norm, alias in list(curated.items()):
            if norm not in wanted:
                act.aliases.remove(alias)
                changed = True
        for norm, (text, note) in wanted.items():
            row = curated.get(norm)
            if row is None:
                act.aliases.append(
                    ActorAlias(alias=text, normalized=norm, origin="curated", note=note)
                )
                changed = True
            else:
                ch = _Changes()
                ch.set(row, "alias", text)
                ch.set(row, "note", note)
                changed = changed or ch.changed
        return changed

    def _sync_roles(self, act: Actor, spec: ActorSpec) -> bool:
        changed = False
        curated = [r for r in act.roles if r.origin == "curated"]
        keyed = {(r.title, r.organization_id, r.start_on): r for r in curated}
        wanted = set()
        for role in spec.roles:
            org_id = self.actor(role.organization).id if role.organization else None
            key = (role.title, org_id, role.start)
            wanted.add(key)
            row = keyed.get(key)
            if row is None:
                row = ActorRole(
                    title=role.title, organization_id=org_id, start_on=role.start, origin="curated"
                )
                act.roles.append(row)
                keyed[key] = row
                changed = True
            ch = _Changes()
            for attr in ("party", "state", "district"):
                ch.set(row, attr, getattr(role, attr))
            ch.set(row, "end_on", role.end)
            changed = changed or ch.changed
        for key, row in keyed.items():
            if key not in wanted:
                act.roles.remove(row)
                changed = True
        return changed

    # -- records -------------------------------------------------------------------------

    def write_record_base(self, spec: RecordSpec) -> tuple[bool, _Changes]:
        model = MODELS[spec.kind]
        rec = self.session.scalars(select(model).where(model.slug == spec.slug)).first()
        created = rec is None
        d = spec.details
        if rec is None:
            required: dict[str, Any] = {
                "incident": {"incident_kind": d.get("incident_kind")},
                "measure": {"measure_type": d.get("measure_type")},
                "designation": {
                    "list_name": d.get("list"),
                    "subject_id": self.actor(d.get("subject", "")).id
                    if spec.kind == "designation"
                    else None,
                },
                "event": {
                    "event_type": d.get("event_type"),
                    "occurred_on": _first_date(spec, "occurred_on"),
                },
                "letter": {},
            }[spec.kind]
            if spec.kind == "event":
                required["occurred_on_precision"] = "day"
            rec = model(slug=spec.slug, title=spec.title, **required)
            self.session.add(rec)
        ch = _Changes()
        ch.set(rec, "title", spec.title)
        ch.set(rec, "summary", spec.summary)
        self.records[spec.slug] = rec
        return created, ch

    def write_record_details(self, spec: RecordSpec, created: bool, ch: _Changes) -> None:
        from tracker.records import write_parts as parts

        rec = self.records[spec.slug]
        parts.kind_details(self, rec, spec, ch)
        ch.mark(parts.sync_actors(self, rec, spec))
        ch.mark(parts.sync_tags(rec, spec))
        ch.mark(parts.sync_sources(self, rec, spec))
        ch.mark(parts.sync_links(self, rec, spec))
        self.session.flush()
        change = self._write_claims(rec, spec)
        self.claims = self.claims + change
        ch.mark(change.changed)
        ch.mark(parts.apply_resolved(self, rec, spec))
        self._count("records", created, ch)

    def _recorded(self, source_slug: str, given: datetime | None) -> datetime:
        if given is not None:
            return given
        spec = self.source_specs.get(source_slug)
        default = spec.recorded_default() if spec else _db_recorded(self.source(source_slug))
        return default or self.now

    def _write_claims(self, rec: Record, spec: RecordSpec) -> ClaimChange:
        desired: dict[tuple[str, str], list[Statement]] = {}
        for c in spec.claims:
            desired.setdefault((c.field, c.source), []).append(
                Statement(c.value, c.locator, c.quote, self._recorded(c.source, c.recorded))
            )
        explicit = set(desired)
        for fld, value in spec.facts:
            for src in spec.sources:
                if (fld, src) not in explicit:
                    desired.setdefault((fld, src), []).append(
                        Statement(value, None, None, self._recorded(src, None))
                    )
        existing = self.session.execute(
            select(Claim.field, Source.slug)
            .join(Source, Source.id == Claim.source_id)
            .where(
                Claim.record_id == rec.id,
                Claim.retracted_at.is_(None),
                Claim.superseded_at.is_(None),
                Claim.note == FILE_NOTE,
            )
        ).all()
        keys = dict.fromkeys([*desired, *((f, s) for f, s in existing if s)])
        total = ClaimChange()
        for fld, src in keys:
            total = total + set_field_claims(
                self.session,
                field=fld,
                source=self.source(src),
                statements=desired.get((fld, src), []),
                record=rec,
                now=self.now,
                note=FILE_NOTE,
            )
        return total


def _db_recorded(src: Source) -> datetime | None:
    if src.published_on is None:
        return None
    from datetime import time

    pd = PartialDate(src.published_on, src.published_on_precision or "day")
    return datetime.combine(pd.end, time.min)


def _first_date(spec: RecordSpec, fld: str) -> Any:
    for f, v in spec.facts:
        if f == fld:
            return PartialDate.of(v).start if v else None  # type: ignore[union-attr]
    for c in spec.claims:
        if c.field == fld:
            return PartialDate.of(c.value).start  # type: ignore[union-attr]
    return None


def write_all(session: Session, parsed: Parsed) -> dict[str, int]:
    """Upsert everything in `parsed` (already validated); returns the counts for LoadReport."""
    w = Writer(session, parsed)
    for src in parsed.sources:
        w.write_source(src)
    base = [(a, *w.write_actor_base(a)) for a in parsed.actors]
    session.flush()
    for spec, created, changed in base:
        w.write_actor_details(spec, created, changed)
    bases = [(r, *w.write_record_base(r)) for r in parsed.records]
    session.flush()
    for spec, created, ch in bases:
        w.write_record_details(spec, created, ch)
    session.flush()
    counts: dict[str, int] = dict(w.counts)
    counts["claims_added"] = w.claims.added
    counts["claims_superseded"] = w.claims.superseded
    counts["claims_retracted"] = w.claims.retracted
    counts["sources_total"] = len(parsed.sources)
    counts["actors_total"] = len(parsed.actors)
    counts["records_total"] = len(parsed.records)
    return counts
