"""The parts of a record the writer syncs: kind details, actors, tags, sources, links, and
the columns that show the values resolved from claims. Each returns whether it changed
anything, and changes nothing when the file and the database already agree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker.dates import PartialDate
from tracker.models import (
    Designation,
    DesignationChallenge,
    Event,
    Incident,
    IncidentCapability,
    IncidentFigure,
    Letter,
    LetterAsk,
    Measure,
    MeasureAction,
    Record,
    RecordActor,
    RecordLink,
    RecordSource,
    RecordTag,
)
from tracker.records.claims import resolve_record
from tracker.records.schema import DATE_FIELDS, FIGURE_PREFIX, RecordSpec

if TYPE_CHECKING:
    from tracker.records.write import Writer, _Changes


def kind_details(w: Writer, rec: Record, spec: RecordSpec, ch: _Changes) -> None:
    d = spec.details
    if isinstance(rec, Incident):
        ch.set(rec, "incident_kind", d["incident_kind"])
        current = [c.capability for c in rec.capabilities]
        wanted = list(d.get("capabilities") or ())
        for cap in rec.capabilities[:]:
            if cap.capability not in wanted:
                rec.capabilities.remove(cap)
                ch.mark()
        for cap in wanted:
            if cap not in current:
                rec.capabilities.append(IncidentCapability(capability=cap))
                ch.mark()
    elif isinstance(rec, Letter):
        ch.set(rec, "subject", d.get("subject"))
        wanted = list(d.get("asks") or ())
        if [a.text for a in rec.asks] != wanted:
            rec.asks.clear()
            w.session.flush()  # positions are unique per letter: drop the old rows first
            rec.asks.extend(LetterAsk(position=i, text=t) for i, t in enumerate(wanted, 1))
            ch.mark()
    elif isinstance(rec, Measure):
        for attr in ("measure_type", "chamber", "congress", "official_id", "vehicle_ref"):
            ch.set(rec, attr, d.get(attr))
        vehicle = d.get("vehicle")
        ch.set(rec, "vehicle_id", w.record(vehicle).id if vehicle else None)
        _sync_actions(w, rec, spec, ch)
    elif isinstance(rec, Designation):
        ch.set(rec, "list_name", d["list"])
        ch.set(rec, "subject_id", w.actor(d["subject"]).id)
        ch.set(rec, "authority_id", w.actor(d["authority"]).id if d.get("authority") else None)
        _sync_challenges(w, rec, spec, ch)
    elif isinstance(rec, Event):
        ch.set(rec, "event_type", d["event_type"])
        subject = d.get("subject_record")
        ch.set(rec, "subject_record_id", w.record(subject).id if subject else None)


def _sync_actions(w: Writer, rec: Measure, spec: RecordSpec, ch: _Changes) -> None:
    def key(
        date: Any, precision: Any, typ: Any, text: Any, chamber: Any, code: Any, src: Any
    ) -> tuple:
        return (date, precision, typ, text, chamber, code, src)

    wanted = [
        key(
            a["date"].start, a["date"].precision, a["type"], a["text"], a["chamber"], a["code"],
            w.source(a["source"]).id if a["source"] else None,
        )
        for a in spec.items
    ]  # fmt: skip
    current = [
        key(a.acted_on, a.acted_on_precision, a.action_type, a.text, a.chamber, a.code, a.source_id)
        for a in sorted(rec.actions, key=lambda a: a.position)
    ]
    if current == wanted:
        return
    rec.actions.clear()
    w.session.flush()
    for i, (date, precision, typ, text, chamber, code, src) in enumerate(wanted, 1):
        rec.actions.append(
            MeasureAction(
                position=i, acted_on=date, acted_on_precision=precision, action_type=typ,
                text=text, chamber=chamber, code=code, source_id=src,
            )
        )  # fmt: skip
    ch.mark()


def _sync_challenges(w: Writer, rec: Designation, spec: RecordSpec, ch: _Changes) -> None:
    existing = {(c.challenger_id, c.venue): c for c in rec.challenges}
    wanted = set()
    for item in spec.items:
        challenger = w.actor(item["challenger"]).id
        key = (challenger, item["venue"])
        wanted.add(key)
        row = existing.get(key)
        if row is None:
            row = DesignationChallenge(challenger_id=challenger, venue=item["venue"])
            rec.challenges.append(row)
            existing[key] = row
            ch.mark()
        ch.set(row, "outcome", item["outcome"])
        ch.set(row, "description", item["description"])
        ch.partial(row, "filed_on", item["filed"])
        ch.partial(row, "decided_on", item["decided"])
    for key, row in existing.items():
        if key not in wanted:
            rec.challenges.remove(row)
            ch.mark()


def _implied_actors(w: Writer, spec: RecordSpec) -> list[tuple[str, str, str | None]]:
    """Roles the structure already states: a designation's subject, authority, challengers."""
    out: list[tuple[str, str, str | None]] = []
    if spec.kind == "designation":
        out.append(("subject", spec.details["subject"], None))
        if spec.details.get("authority"):
            out.append(("authority", spec.details["authority"], None))
        out += [("challenger", item["challenger"], None) for item in spec.items]
    return out


def sync_actors(w: Writer, rec: Record, spec: RecordSpec) -> bool:
    wanted: dict[tuple[int, str], tuple[int, str | None]] = {}
    for role, slug, note in [*spec.actors, *_implied_actors(w, spec)]:
        key = (w.actor(slug).id, role)
        if key not in wanted:
            position = sum(1 for _, r in wanted if r == role)
            wanted[key] = (position, note)
    changed = False
    existing = {(ra.actor_id, ra.role): ra for ra in rec.actors}
    for key, ra in existing.items():
        if key not in wanted:
            rec.actors.remove(ra)
            changed = True
    for (actor_id, role), (position, note) in wanted.items():
        ra = existing.get((actor_id, role))
        if ra is None:
            rec.actors.append(
                RecordActor(actor_id=actor_id, role=role, position=position, note=note)
            )
            changed = True
            continue
        if ra.position != position or ra.note != note:
            ra.position, ra.note = position, note
            changed = True
    return changed


def sync_tags(rec: Record, spec: RecordSpec) -> bool:
    current = {t.tag: t for t in rec.tags}
    changed = False
    for tag, row in current.items():
        if tag not in spec.tags:
            rec.tags.remove(row)
            changed = True
    for tag in spec.tags:
        if tag not in current:
            rec.tags.append(RecordTag(tag=tag))
            changed = True
    return changed


def sync_sources(w: Writer, rec: Record, spec: RecordSpec) -> bool:
    """Sources are provenance: listed ones are added, none are removed (a source dropped
    from the file withdraws its claims instead)."""
    have = {rs.source_id for rs in rec.sources}
    changed = False
    for slug in [*spec.sources, *(c.source for c in spec.claims)]:
        src = w.source(slug)
        if src.id not in have:
            rec.sources.append(RecordSource(source_id=src.id))
            have.add(src.id)
            changed = True
    return changed


def sync_links(w: Writer, rec: Record, spec: RecordSpec) -> bool:
    from sqlalchemy import select

    current = {
        (link.relation, link.to_id): link
        for link in w.session.scalars(select(RecordLink).where(RecordLink.from_id == rec.id))
    }
    wanted = {(rel, w.record(to).id) for rel, to in spec.links}
    changed = False
    for key, link in current.items():
        if key not in wanted:
            w.session.delete(link)
            changed = True
    for rel, to_id in wanted - set(current):
        w.session.add(RecordLink(from_id=rec.id, to_id=to_id, relation=rel))
        changed = True
    return changed


def apply_resolved(w: Writer, rec: Record, spec: RecordSpec) -> bool:
    """Copy the values resolved from claims into the record's columns (for queries)."""
    from tracker.records.write import _Changes

    resolved = resolve_record(w.session, rec)
    ch = _Changes()
    status = resolved.get("status")
    ch.set(rec, "status", status.value if status else None)
    for fld in DATE_FIELDS[spec.kind]:
        r = resolved.get(fld)
        value = PartialDate.of(r.value) if r else None
        if fld == "occurred_on" and value is None:
            continue  # an event keeps its last known date rather than none
        ch.partial(rec, fld, value)
    if isinstance(rec, Incident):
        figures = {
            f.removeprefix(FIGURE_PREFIX): r.value
            for f, r in resolved.items()
            if f.startswith(FIGURE_PREFIX)
        }
        rows = {f.metric: f for f in rec.figures}
        for metric, row in rows.items():
            if metric not in figures:
                rec.figures.remove(row)
                ch.mark()
        for metric, value in figures.items():
            row = rows.get(metric)
            if row is None:
                row = IncidentFigure(metric=metric, value=value["value"])
                rec.figures.append(row)
                ch.mark()
            ch.set(row, "value", value["value"])
            ch.set(row, "qualifier", value.get("qualifier", "exactly"))
            ch.set(row, "unit", value.get("unit"))
    return ch.changed
