"""Writing ParsedMeasure values: one measure per official id, whichever file it came from.

- A measure is matched by official id ("hr3838-119"), so a bill from BILLSTATUS XML and from
  congress data.json is one measure with both files as sources.
- Each data set's last import is remembered (OfficialImport: digest + the file's own update
  stamp). An unchanged file is a no-op; the newest file (by its own stamp) provides the
  measure's fields and child rows, an older one only adds itself as a source.
- Child rows the import owns (titles, official sponsors/cosponsors, committees, official
  actions, votes, related measures, laws) are compared as a whole and rewritten in bulk only
  when they differ; rows a person added (curated actions, sponsors) are never touched.
- Pinned fields (overrides.py) keep the person's value; the report says so.
- References to measures not loaded yet (an amendment's vehicle, related bills) keep the
  official id and resolve when that measure is stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tracker.legislation import statements
from tracker.legislation.children import sync_children
from tracker.legislation.common import ReportBuilder, unique_slug
from tracker.legislation.members import People
from tracker.legislation.overrides import apply
from tracker.legislation.parsed import ParsedMeasure, label

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models import Measure, Source


class Store:
    """Lookups shared by every measure of one import run."""

    def __init__(
        self, session: Session, dataset: str, shared: dict[str, Any] | None = None
    ) -> None:
        from sqlalchemy import select

        from tracker.models import ActorExternalId

        self.session = session
        self.dataset = dataset
        self.shared = {} if shared is None else shared
        self.people = People(session, self.shared)
        if "committees" not in self.shared:
            self.shared["committees"] = dict(
                session.execute(
                    select(ActorExternalId.value, ActorExternalId.actor_id).where(
                        ActorExternalId.scheme == "thomas"
                    )
                ).all()
            )
        self.committees: dict[str, int] = self.shared["committees"]
        self.loaded: dict[str, int] = {}  # official id → measure id, for this file's references

    def record_slugs(self) -> set[str]:
        if "record_slugs" not in self.shared:
            from sqlalchemy import select

            from tracker.models import Record

            self.shared["record_slugs"] = set(self.session.scalars(select(Record.slug)))
        return self.shared["record_slugs"]

    def waiting(self) -> tuple[set[str], set[str]]:
        """Official ids that loaded rows point at but that are not loaded yet: (vehicles of
        amendments, related measures). Read once per run; _resolve_waiting keeps them current."""
        if "waiting" not in self.shared:
            from sqlalchemy import select

            from tracker.models import Measure
            from tracker.models.legislation import RelatedMeasure

            m, r = Measure.__table__, RelatedMeasure.__table__
            vehicles = self.session.scalars(
                select(m.c.vehicle_ref)
                .where(m.c.vehicle_id.is_(None), m.c.vehicle_ref.is_not(None))
                .distinct()
            )
            related = self.session.scalars(
                select(r.c.related_ref).where(r.c.related_id.is_(None)).distinct()
            )
            self.shared["waiting"] = (set(vehicles), set(related))
        return self.shared["waiting"]

    def source_id(self, slug: str, title: str, url: str | None, outlet: str, when: Any) -> int:
        """The id of the Source row for one official file (found by slug or URL, else created);
        plain statements, as this runs once per imported file."""
        from sqlalchemy import update

        from tracker.models import Source

        table = Source.__table__
        row = self.session.execute(statements.source_lookup(), {"slug": slug, "url": url}).first()
        day = when.date() if when else None
        if row is None:
            return self.session.execute(
                statements.source_insert(),
                {
                    "slug": slug,
                    "url": url,
                    "title": title[:500],
                    "outlet": outlet,
                    "kind": "official_record",
                    "published_on": day,
                    "published_on_precision": "day" if day else None,
                },
            ).scalar_one()
        if day and row.published_on != day:
            self.session.execute(
                update(table)
                .where(table.c.id == row.id)
                .values(published_on=day, published_on_precision="day")
            )
        return row.id

    def source(self, slug: str, title: str, url: str | None, outlet: str, when: Any) -> Source:
        """The Source row for one official file (found by slug, else created)."""
        from sqlalchemy import select

        from tracker.models import Source

        match = Source.slug == slug if not url else (Source.slug == slug) | (Source.url == url)
        src = self.session.scalars(select(Source).where(match).order_by(Source.id)).first()
        if src is None:
            src = Source(
                slug=slug, url=url, title=title[:500], outlet=outlet, kind="official_record"
            )
            self.session.add(src)
        day = when.date() if when else src.published_on
        if src.published_on != day:
            src.published_on, src.published_on_precision = day, "day" if day else None
        if src.id is None:
            self.session.flush()
        return src


def digest(parsed: ParsedMeasure) -> str:
    return hashlib.sha256(repr(parsed).encode("utf-8")).hexdigest()


# On equal update stamps the GovInfo file (the primary record) wins over the scraper's JSON.
PRECEDENCE = {"billstatus": 2, "congress-json": 1}


def _rank(dataset: str, stamp: Any) -> tuple[Any, int]:
    from datetime import datetime

    return (stamp or datetime.min, PRECEDENCE.get(dataset, 0))


def store_measures(
    store: Store,
    parsed_list: Sequence[ParsedMeasure],
    source_id: int,
    path: str,
    rep: ReportBuilder,
) -> dict[str, int]:
    """Create or update the measures of one file; returns official id → measure id. No commit.

    Lookups are made once for the whole file; new measures and every new child row are
    inserted in bulk, so a file with 250 amendments costs a few dozen statements.
    """
    from sqlalchemy import select

    from tracker.dates import utcnow
    from tracker.models import Measure, RecordSource
    from tracker.models.legislation import FieldOverride, OfficialImport, RelatedMeasure

    s = store.session
    by_oid = {p.official_id: p for p in parsed_list}  # a measure listed twice: the last wins
    digests = {oid: digest(p) for oid, p in by_oid.items()}
    # One lookup for the file's own measures and every measure they point at (vehicles,
    # related bills, amended amendments), so references are resolved as rows are written.
    refs = {r.official_id for p in by_oid.values() for r in p.related}
    refs |= {p.amends_amendment_ref for p in by_oid.values() if p.amends_amendment_ref}
    refs |= {p.vehicle_ref for p in by_oid.values() if p.vehicle_ref}
    lookup: dict[str, int] = dict(
        s.execute(statements.measure_ids(), {"oids": list(refs.union(by_oid))}).all()
    )
    known = {oid: lookup[oid] for oid in by_oid if oid in lookup}
    # Measures whose last import from this data set said exactly this, from this file's
    # source, are unchanged: counted without loading them (a re-import is mostly these).
    same = _unchanged(s, store, known, digests, source_id) if known else set()
    rep.unchanged += len(same)
    stale = {oid: mid for oid, mid in known.items() if mid not in same}
    found = (  # ORM objects only for measures that may change
        {
            m.official_id: m
            for m in s.scalars(select(Measure).where(Measure.id.in_(list(stale.values()))))
        }
        if stale
        else {}
    )
    fresh = [p for oid, p in by_oid.items() if oid not in known]
    ids: dict[str, int] = dict(known)
    now = utcnow()
    if fresh:
        ids.update(_insert_measures(store, fresh, lookup, now))
    store.loaded = {**lookup, **ids}  # official id → measure id, for this file's references
    old = [m.id for m in found.values()]
    imports: dict[int, dict[str, OfficialImport]] = {}
    pins: dict[int, dict[str, str]] = {}
    linked: set[int] = set()
    if old:
        for i in s.scalars(select(OfficialImport).where(OfficialImport.measure_id.in_(old))):
            imports.setdefault(i.measure_id, {})[i.dataset] = i
        for rid, field, value in s.execute(
            select(FieldOverride.record_id, FieldOverride.field, FieldOverride.value).where(
                FieldOverride.record_id.in_(old)
            )
        ):
            pins.setdefault(rid, {})[field] = value  # type: ignore[index]
        linked = set(
            s.scalars(
                select(RecordSource.record_id).where(
                    RecordSource.source_id == source_id, RecordSource.record_id.in_(old)
                )
            )
        )
    todo = [p for oid, p in by_oid.items() if known.get(oid) not in same]
    store.people.resolve([m for p in todo for m in (*p.sponsors, *p.cosponsors)])
    batch: dict[Any, list[dict[str, Any]]] = {}
    with s.no_autoflush:  # one flush at the end, not one per query
        for p in fresh:
            mid = ids[p.official_id]
            sync_children(store, mid, p, source_id, {}, True, batch)
            batch.setdefault(OfficialImport, []).append(
                {
                    "measure_id": mid,
                    "dataset": store.dataset,
                    "source_id": source_id,
                    "path": path[:1000],
                    "digest": digests[p.official_id],
                    "source_updated_at": p.source_updated_at,
                    "imported_at": now,
                }
            )
            batch.setdefault(RecordSource, []).append(
                {"record_id": mid, "source_id": source_id, "added_at": now}
            )
            rep.created += 1
            rep.change(f"added {p.official_id}: {label(p.official_id)}")
        for oid, measure in found.items():
            _store_one(
                store,
                by_oid[oid],
                measure,
                digests[oid],
                source_id,
                path,
                rep,
                imports.get(measure.id, {}),
                pins.get(measure.id, {}),
                measure.id in linked,
                batch,
            )
    s.flush()
    for model, rows in batch.items():
        statements.bulk_insert(s, model.__table__, rows)
    _resolve_waiting(store, ids, fresh, found, batch.get(RelatedMeasure, []))
    return ids


def _insert_measures(
    store: Store, fresh: list[ParsedMeasure], lookup: dict[str, int], now: Any
) -> dict[str, int]:
    """Insert new measures (records, then measures) in bulk; official id → new id.

    Plain table inserts rather than the unit of work (see bench/bench_legislation.py), and
    the ids come back from the insert itself (RETURNING, one statement per batch on both
    backends) rather than from a second query. A vehicle already loaded, or listed in
    the same file, is linked as the row is written.
    """
    from tracker.models import Measure, Record

    s = store.session
    slugs = store.record_slugs()
    records, measures = Record.__table__, Measure.__table__
    slug_of = [unique_slug(p.official_id, slugs) for p in fresh]
    # RETURNING order is not guaranteed (and asking for it costs one statement per row on
    # SQLite), so the ids are matched back by slug, which is unique.
    by_slug = dict(
        s.execute(
            statements.insert_returning_slug(records),
            [
                {
                    "kind": "measure",
                    "slug": slug,
                    "title": p.title,
                    "summary": p.summary,
                    "status": p.status,
                    "created_at": now,
                    "updated_at": now,
                }
                for p, slug in zip(fresh, slug_of, strict=True)
            ],
        ).all()
    )
    new_ids = [by_slug[slug] for slug in slug_of]
    ids = {p.official_id: mid for p, mid in zip(fresh, new_ids, strict=True)}
    targets = {**lookup, **ids}
    new_set = set(new_ids)
    rows = []
    for p, mid in zip(fresh, new_ids, strict=True):
        vehicle = targets.get(p.vehicle_ref) if p.vehicle_ref else None
        rows.append(
            {
                "id": mid,
                "measure_type": p.measure_type,
                "official_id": p.official_id,
                "chamber": p.chamber,
                "congress": p.congress,
                "vehicle_ref": p.vehicle_ref,
                "vehicle_id": vehicle if vehicle != mid else None,
                "introduced_on": p.introduced_on,
                "introduced_on_precision": "day" if p.introduced_on else None,
            }
        )
    # A vehicle listed in the same file goes in before the measures amending it (the
    # foreign key is checked row by row); a vehicle is a bill, so one pass is enough.
    rows.sort(key=lambda r: r["vehicle_id"] in new_set)
    statements.bulk_insert(s, measures, rows)
    return ids


def _unchanged(
    s: Session,
    store: Store,
    known: dict[str, int],
    digests: dict[str, str],
    source_id: int,
) -> set[int]:
    """Ids of measures this data set last imported with the same digest from this source."""
    from sqlalchemy import select

    from tracker.models.legislation import OfficialImport

    imp = OfficialImport.__table__
    last = {
        mid: (dig, sid)
        for mid, dig, sid in s.execute(
            select(imp.c.measure_id, imp.c.digest, imp.c.source_id).where(
                imp.c.measure_id.in_(list(known.values())), imp.c.dataset == store.dataset
            )
        )
    }
    return {mid for oid, mid in known.items() if last.get(mid) == (digests[oid], source_id)}


def _store_one(
    store: Store,
    parsed: ParsedMeasure,
    measure: Measure,
    fingerprint: str,
    source_id: int,
    path: str,
    rep: ReportBuilder,
    imports: dict[str, Any],
    pins: dict[str, str],
    linked: bool,
    batch: dict[Any, list[dict[str, Any]]],
) -> None:
    """Update one measure that already exists (the official data may have moved on)."""
    from tracker.dates import utcnow
    from tracker.models import RecordSource
    from tracker.models.legislation import OfficialImport

    name = parsed.official_id
    mine = imports.get(store.dataset)
    mine_rank = _rank(store.dataset, parsed.source_updated_at)
    if (
        mine is not None
        and mine.source_id == source_id
        and (mine.digest == fingerprint or _rank(store.dataset, mine.source_updated_at) > mine_rank)
    ):
        # The same file again, or an older snapshot of one already imported (e.g. the
        # legacy-schema copy of a bill whose 3.0.0 file is newer): nothing to change.
        rep.unchanged += 1
        return
    newer = [
        d
        for d, i in imports.items()
        if d != store.dataset and _rank(d, i.source_updated_at) > mine_rank
    ]
    changed: list[str] = []
    kept: list[str] = []
    if newer:
        rep.change(f"{name}: kept the newer {', '.join(newer)} data; added this file as a source")
    else:
        fields = {
            "title": parsed.title,
            "summary": parsed.summary,
            "status": parsed.status,
            "introduced_on": parsed.introduced_on,
            "chamber": parsed.chamber,
        }
        for field, value in fields.items():
            if apply(measure, field, value, pins, kept, name):
                changed.append(field)
        for field, value in (
            ("measure_type", parsed.measure_type),
            ("congress", parsed.congress),
            ("vehicle_ref", parsed.vehicle_ref),
        ):
            if getattr(measure, field) != value:
                setattr(measure, field, value)
                changed.append(field)
        # A vehicle loaded already (or in this file) is linked now; a changed reference
        # drops the old link rather than keeping a vehicle the record no longer names.
        if "vehicle_ref" in changed or measure.vehicle_id is None:
            vehicle = store.loaded.get(parsed.vehicle_ref) if parsed.vehicle_ref else None
            if vehicle != measure.vehicle_id and vehicle != measure.id:
                measure.vehicle_id = vehicle
        measure.introduced_on_precision = "day" if measure.introduced_on else None
        children = sync_children(store, measure.id, parsed, source_id, imports, False, batch)
        if children:
            store.session.expire(measure, ["actions", "actors"])
        changed += children
    if mine is None:
        mine = OfficialImport(measure_id=measure.id, dataset=store.dataset, path=path, digest="")
        store.session.add(mine)
        imports[store.dataset] = mine
    mine.source_id, mine.path, mine.digest = source_id, path[:1000], fingerprint
    mine.source_updated_at = parsed.source_updated_at
    if not linked:
        batch.setdefault(RecordSource, []).append(
            {"record_id": measure.id, "source_id": source_id, "added_at": utcnow()}
        )
        changed.append("sources")
    rep.overrides_kept.extend(kept)
    if changed:
        rep.updated += 1
        rep.change(f"updated {measure.slug}: {', '.join(dict.fromkeys(changed))}")
    else:
        rep.unchanged += 1


def _resolve_waiting(
    store: Store,
    by_oid: dict[str, int],
    fresh: Sequence[ParsedMeasure],
    found: dict[str, Measure],
    related_rows: list[dict[str, Any]],
) -> None:
    """Point older dangling references (amendments' vehicles, related measures) at this
    file's measures, and remember the references this file leaves dangling.

    The official ids still waiting for a measure are read once per run (Store.waiting) and
    kept up to date here, so a file that resolves nothing costs no statement at all.
    """
    from sqlalchemy import update

    from tracker.models import Measure
    from tracker.models.legislation import RelatedMeasure

    s = store.session
    vehicles, related = store.waiting()
    for p in fresh:
        if p.vehicle_ref and p.vehicle_ref not in store.loaded:
            vehicles.add(p.vehicle_ref)
    for m in found.values():
        if m.vehicle_ref and m.vehicle_id is None:
            vehicles.add(m.vehicle_ref)
    related.update(r["related_ref"] for r in related_rows if r["related_id"] is None)
    table, rel = Measure.__table__, RelatedMeasure.__table__
    for oid in vehicles.intersection(by_oid):
        mid = by_oid[oid]
        s.execute(
            update(table)
            .where(table.c.vehicle_ref == oid, table.c.vehicle_id.is_(None), table.c.id != mid)
            .values(vehicle_id=mid)
        )
        vehicles.discard(oid)
    for oid in related.intersection(by_oid):
        s.execute(
            update(rel)
            .where(rel.c.related_ref == oid, rel.c.related_id.is_(None))
            .values(related_id=by_oid[oid])
        )
        related.discard(oid)
    for obj in list(s.identity_map.values()):  # keep loaded objects in step with the rows
        if isinstance(obj, Measure) and obj.vehicle_ref and obj.vehicle_id is None:
            s.expire(obj, ["vehicle_id", "vehicle"])
