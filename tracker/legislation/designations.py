"""A designation list as rows (e.g. the DoD Section 1260H list) into actors and designations.

Columns (case-insensitive; the OpenSanctions transcription's names work as they are):
entity (`Clean Name`, else `Name`/`Entity`), `Alias`/`Aliases` (`;`-separated),
`Previous Name`, `Parent Name`, `Note`, date added (`Start date`/`Date added`/`Edition`),
date removed (`End date`/`Date removed`), `Source Url`.

- The whole file is validated before anything is written; a bad row names its line.
- Each company becomes or joins an actor: an exact match on a name or alias (also with
  corporate suffixes such as "Co., Ltd." removed) joins; a close fuzzy match (rapidfuzz)
  creates a new actor and records the pair in `import_reviews` for a person to decide.
- Each row (one listing in one edition) is a Designation with its dates, the authority and
  the edition's source; the dates are also recorded as claims of that source. A removal is
  a dated Event on the designation's timeline; nothing is deleted.
- Re-import is idempotent; pinned fields (overrides.py) keep the person's value.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import ParseError, ValidationError
from tracker.legislation.common import (
    ImportReport,
    ReportBuilder,
    basic_normalize,
    slugify,
    unique_slug,
)
from tracker.legislation.companies import Companies, org_key  # noqa: F401 (org_key: public)
from tracker.legislation.overrides import apply, overrides_for

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models import Actor, Designation

DEFAULT_LIST = "Section 1260H list (Chinese military companies)"
COLUMNS = {
    "entity": ("clean name", "entity", "name", "company"),
    "aliases": ("alias", "aliases"),
    "previous": ("previous name", "previous names", "former name"),
    "parent": ("parent name", "parent"),
    "note": ("note", "notes"),
    "added": ("start date", "date added", "added", "edition", "list edition"),
    "removed": ("end date", "date removed", "removed"),
    "url": ("source url", "source", "url"),
}


@dataclass(frozen=True)
class Listing:
    line: int
    entity: str
    aliases: tuple[str, ...]
    previous: tuple[str, ...]
    parent: str | None
    note: str | None
    added: date | None
    removed: date | None
    url: str | None


def _date(value: str, line: int, column: str, path: Path) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ValidationError(
            f"{path.name}, line {line}: {column} {value!r} is not a date (use YYYY-MM-DD)"
        ) from None


def _split(value: str | None) -> tuple[str, ...]:
    parts = re.split(r"\s*[;|]\s*", value or "")
    return tuple(p.strip() for p in parts if p.strip())


def read_listings(path: str | Path) -> list[Listing]:
    """Parse and validate every row; raises ParseError/ValidationError naming the line."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise ParseError(f"{path.name}: cannot read: {exc.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ParseError(f"{path.name}: not a UTF-8 CSV file ({exc})") from None
    if not rows:
        raise ParseError(f"{path.name}: empty file")
    header = [h.strip().lower() for h in rows[0]]
    index = {}
    for key, names in COLUMNS.items():
        index[key] = next((header.index(n) for n in names if n in header), None)
    if index["entity"] is None:
        raise ParseError(
            f"{path.name}: no entity column (expected one of: Clean Name, Name, Entity)"
        )

    def cell(row: list[str], key: str) -> str:
        i = index[key]
        return " ".join(row[i].split()) if i is not None and i < len(row) else ""

    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        entity = cell(row, "entity")
        if not entity:
            raise ValidationError(f"{path.name}, line {n}: the entity name is empty")
        added = _date(cell(row, "added"), n, "date added", path)
        removed = _date(cell(row, "removed"), n, "date removed", path)
        if added and removed and removed < added:
            raise ValidationError(f"{path.name}, line {n}: removed {removed} before added {added}")
        out.append(
            Listing(
                line=n,
                entity=entity[:300],
                aliases=_split(cell(row, "aliases")),
                previous=_split(cell(row, "previous")),
                parent=cell(row, "parent") or None,
                note=cell(row, "note") or None,
                added=added,
                removed=removed,
                url=cell(row, "url") or None,
            )
        )
    return out


def import_designations(
    session: Session,
    path: str | Path,
    *,
    list_name: str = DEFAULT_LIST,
    authority: str = "Department of Defense",
) -> ImportReport:
    """Import a designation list file; no commit. Raises ParseError/ValidationError."""
    from tracker.legislation.store import Store

    path = Path(path)
    listings = read_listings(path)
    rep = ReportBuilder(str(path), "designations")
    companies = Companies(session, rep)
    store = Store(session, "designations")
    agency = _authority(session, companies, authority)
    dataset_source = store.source(
        f"designations:{path.name}",
        f"{list_name}: {path.name}",
        None,
        "designation list file",
        None,
    )
    existing = _existing(session, list_name)
    claimed: set[int] = set()
    for row in listings:
        subject = companies.get(row.entity, row.aliases, row.previous)
        if row.parent:
            parent = companies.get(row.parent, parent=True)
            if subject.parent_id is None and parent.id != subject.id:
                subject.parent_id = parent.id
        source = dataset_source
        if row.url:
            source = store.source(
                f"designations:{slugify(row.url)[:100]}",
                f"{list_name}, edition {row.added or 'undated'}",
                row.url,
                authority,
                None,
            )
        _store(
            session,
            store,
            row,
            subject,
            agency,
            source,
            dataset_source,
            list_name,
            existing,
            claimed,
            rep,
        )
    rep.bump("listings", len(listings))
    session.flush()
    return rep.build()


def _authority(session: Session, companies: Companies, name: str) -> Actor:
    from sqlalchemy import func, select

    from tracker.models import Actor, ActorAlias

    norm = basic_normalize(name)
    found = session.scalars(
        select(Actor)
        .outerjoin(ActorAlias)
        .where(
            Actor.kind.in_(("agency", "executive_office", "organization")),
            (func.lower(Actor.name) == name.lower())
            | (ActorAlias.normalized == norm)
            | Actor.slug.in_([slugify(name), "dod"]),
        )
        .order_by(Actor.id)
    ).first()
    if found is None:
        found = Actor(
            slug=unique_slug(slugify(name), companies.slugs), name=name, kind="agency", country="US"
        )
        session.add(found)
        session.flush()
    return found


def _list_key(name: str) -> str:
    m = re.search(r"\b(\d{3,4}[a-z]?)\b", basic_normalize(name))
    return m.group(1) if m else basic_normalize(name)


def _existing(session: Session, list_name: str) -> dict[int, list[Designation]]:
    from sqlalchemy import select

    from tracker.models import Designation

    out: dict[int, list[Designation]] = {}
    key = _list_key(list_name)
    for d in session.scalars(select(Designation).order_by(Designation.id)):
        if _list_key(d.list_name) == key:
            out.setdefault(d.subject_id, []).append(d)
    return out


def _store(
    session: Session,
    store: object,
    row: Listing,
    subject: Actor,
    agency: Actor,
    source: object,
    dataset_source: object,
    list_name: str,
    existing: dict[int, list[Designation]],
    claimed: set[int],
    rep: ReportBuilder,
) -> None:
    from tracker.models import Designation, RecordActor, RecordSource
    from tracker.records.claims import Statement, set_field_claims

    candidates = [d for d in existing.get(subject.id, []) if d.id not in claimed]
    same = [d for d in candidates if d.added_on == row.added]
    near = [
        d
        for d in candidates
        if d.added_on is None or row.added is None or abs((d.added_on - row.added).days) <= 7
    ]
    designation = (same or near or [None])[0]
    created = designation is None
    tag = row.added.isoformat() if row.added else f"line-{row.line}"
    if designation is None:
        slug = unique_slug(
            f"{slugify(_list_key(list_name))}-{subject.slug}-{tag}"[:110], store.record_slugs()
        )  # type: ignore[attr-defined]
        designation = Designation(slug=slug, title="", list_name=list_name, subject_id=subject.id)
        session.add(designation)
        session.flush()
        existing.setdefault(subject.id, []).append(designation)
    claimed.add(designation.id)
    pins = overrides_for(session, designation)
    kept: list[str] = []
    status = (
        "removed"
        if row.removed
        else (designation.status if designation.status in ("challenged", "pending") else "active")
    )
    when = f" ({row.added.isoformat()})" if row.added else ""
    fields = {
        "title": designation.title or f"{subject.name} on the {list_name}{when}"[:500],
        "summary": row.note if created or designation.summary is None else designation.summary,
        "status": status,
        "added_on": row.added,
        "removed_on": row.removed,
    }
    changed = [
        f for f, v in fields.items() if apply(designation, f, v, pins, kept, designation.slug)
    ]
    designation.added_on_precision = "day" if designation.added_on else None
    designation.removed_on_precision = "day" if designation.removed_on else None
    if designation.authority_id is None:
        designation.authority_id = agency.id
        changed.append("authority")
    have = {(ra.actor_id, ra.role) for ra in designation.actors}
    for actor_id, role in ((subject.id, "subject"), (agency.id, "authority")):
        if (actor_id, role) not in have:
            designation.actors.append(RecordActor(actor_id=actor_id, role=role))
    linked = {rs.source_id for rs in designation.sources}
    for src in {source.id: source, dataset_source.id: dataset_source}.values():  # type: ignore[attr-defined]
        if src.id not in linked:  # type: ignore[attr-defined]
            designation.sources.append(RecordSource(source_id=src.id))  # type: ignore[attr-defined]
    for field, value in (("added_on", row.added), ("removed_on", row.removed)):
        if value is not None:
            set_field_claims(
                session,
                field=field,
                source=source,
                record=designation,  # type: ignore[arg-type]
                statements=[Statement(value=value, locator=f"line {row.line}")],
            )
    _removal_event(session, designation, subject, list_name, row.removed, rep)
    rep.overrides_kept.extend(kept)
    if created:
        rep.created += 1
        rep.change(f"added {designation.slug}")
    elif changed:
        rep.updated += 1
        rep.change(f"updated {designation.slug}: {', '.join(changed)}")
    else:
        rep.unchanged += 1


def _removal_event(
    session: Session,
    designation: Designation,
    subject: Actor,
    list_name: str,
    removed: date | None,
    rep: ReportBuilder,
) -> None:
    from sqlalchemy import select

    from tracker.models import Event, RecordActor, RecordSource

    slug = f"{designation.slug}-removed"[:120]
    event = session.scalars(select(Event).where(Event.slug == slug)).one_or_none()
    if removed is None:
        return  # a removal already recorded stays: events are history, not state
    if event is None:
        event = Event(
            slug=slug,
            title=f"{subject.name} removed from the {list_name}"[:500],
            event_type="removal",
            occurred_on=removed,
            occurred_on_precision="day",
            status="occurred",
            subject_record_id=designation.id,
        )
        event.actors.append(RecordActor(actor_id=subject.id, role="subject"))
        for rs in designation.sources:
            event.sources.append(RecordSource(source_id=rs.source_id))
        session.add(event)
        rep.bump("removals")
        rep.change(f"added event {slug} ({removed})")
    elif event.occurred_on != removed:
        event.occurred_on = removed
        rep.change(f"updated event {slug}: date {removed}")
