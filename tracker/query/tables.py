"""Record lists: incidents, letters, measures and designations as sortable tables.

Displayed values come from claims where there are any (conflicting fields are flagged);
each kind adds its own columns (an incident's figures, a measure's last action, a
designation's challenges) and its own sort keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tracker.dates import PartialDate
from tracker.errors import UsageError
from tracker.models import (
    Designation,
    DesignationChallenge,
    Incident,
    IncidentFigure,
    Letter,
    LetterAsk,
    Measure,
    MeasureAction,
    Record,
    RecordActor,
    RecordSource,
    RecordTag,
)
from tracker.models.actors import Actor
from tracker.query.common import actor_and_merged_ids, overlaps, partial_of, resolve_actor
from tracker.query.options import SORTS, TABLE_KINDS

# The key date shown in the "Date" column and used by --since/--until.
KEY_DATE = {
    "incident": ("disclosed_on", "disclosed"),
    "letter": ("sent_on", "sent"),
    "measure": ("introduced_on", "introduced"),
    "designation": ("added_on", "added"),
}
_MODELS: dict[str, Any] = {
    "incident": Incident,
    "letter": Letter,
    "measure": Measure,
    "designation": Designation,
}
_DATE_COLUMNS = {
    "incident": ("activity_start_on", "activity_end_on", "disclosed_on"),
    "letter": ("sent_on", "made_public_on"),
    "measure": ("introduced_on",),
    "designation": ("added_on", "effective_on", "removed_on"),
}
_EXTRA_COLUMNS = {
    "incident": ("incident_kind",),
    "letter": ("subject",),
    "measure": ("measure_type", "chamber", "congress", "official_id", "vehicle_ref"),
    "designation": ("list_name", "subject_id", "authority_id"),
}


@dataclass(frozen=True)
class RecordRow:
    kind: str
    slug: str
    title: str
    status: str | None
    date: PartialDate | None  # the kind's key date (see KEY_DATE)
    date_meaning: str
    actors: tuple[tuple[str, str], ...]  # (role, actor name), in role order
    fields: dict[str, Any] = field(default_factory=dict)  # kind-specific, JSON-ready values
    conflicting: tuple[str, ...] = ()  # names of fields whose sources disagree
    tags: tuple[str, ...] = ()
    sources: int = 0

    def names(self, *roles: str) -> list[str]:
        return [name for role, name in self.actors if role in roles]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "slug": self.slug,
            "title": self.title,
            "status": self.status,
            "date": self.date.iso() if self.date else None,
            "date_meaning": self.date_meaning,
            "actors": [{"role": r, "name": n} for r, n in self.actors],
            "fields": self.fields,
            "conflicting": list(self.conflicting),
            "tags": list(self.tags),
            "sources": self.sources,
        }


@dataclass(frozen=True)
class RecordTable:
    kind: str
    sort: str
    rows: tuple[RecordRow, ...]
    total: int  # rows matching before --limit

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "sort": self.sort,
            "total": self.total,
            "rows": [r.to_dict() for r in self.rows],
        }


def figure_label(value: float, qualifier: str | None, unit: str | None = None) -> str:
    """28_800_000, 'nearly' → 'nearly 28.8M'; 25000, 'approximately' → 'approximately 25,000'."""
    if value >= 1_000_000:
        num = f"{value / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    elif float(value).is_integer():
        num = f"{int(value):,}"
    else:
        num = f"{value:,.2f}".rstrip("0").rstrip(".")
    words = [
        qualifier.replace("_", " ") if qualifier and qualifier != "exactly" else "",
        num,
        unit or "",
    ]
    return " ".join(w for w in words if w)


def list_records(
    session: Session,
    kind: str,
    *,
    actor: str | None = None,
    status: str | None = None,
    tag: str | None = None,
    since: date | None = None,
    until: date | None = None,
    sort: str | None = None,
    reverse: bool = False,
    limit: int | None = None,
) -> RecordTable:
    """Records of one kind, filtered, sorted by `sort` (see SORTS), at most `limit`."""
    if kind not in TABLE_KINDS:
        raise UsageError(f"unknown record kind {kind!r} (choose from {', '.join(TABLE_KINDS)})")
    sort = sort or SORTS[kind][0]
    if sort not in SORTS[kind]:
        raise UsageError(f"cannot sort {kind}s by {sort!r} (choose from {', '.join(SORTS[kind])})")
    from tracker.models.records import STATUSES

    if status is not None and status not in STATUSES[kind]:
        raise UsageError(
            f"unknown {kind} status {status!r} (choose from {', '.join(STATUSES[kind])})"
        )
    base = _base_rows(session, kind, actor, status, tag)
    ids = [r["id"] for r in base]
    extras = _extras(session, kind, ids)
    actors = _actors(session, ids)
    tags = _tags(session, ids)
    counts = _source_counts(session, ids)
    from tracker.records.claims import resolve_fields

    resolved = resolve_fields(session, ids) if ids else {}
    rows: list[RecordRow] = []
    for r in base:
        rid = r["id"]
        claims = resolved.get(rid, {})
        values = dict(r)
        conflicting = tuple(sorted(f for f, rf in claims.items() if rf.conflicting))
        for name, rf in claims.items():
            if name in values and name != "id":
                values[name] = rf.value
        date_field, meaning = KEY_DATE[kind]
        key = _partial(values, date_field)
        if (since or until) and (key is None or not overlaps(key, since, until)):
            continue
        fields = _fields(kind, values, extras.get(rid, {}))
        rows.append(
            RecordRow(
                kind=kind,
                slug=r["slug"],
                title=r["title"],
                status=values.get("status"),
                date=key,
                date_meaning=meaning,
                actors=tuple(actors.get(rid, ()))
                + tuple(_designation_actors(kind, values, extras.get(rid, {}))),
                fields=fields,
                conflicting=conflicting,
                tags=tuple(tags.get(rid, ())),
                sources=counts.get(rid, 0),
            )
        )
    rows = _sorted(rows, sort, reverse)
    total = len(rows)
    if limit is not None:
        rows = rows[:limit]
    return RecordTable(kind=kind, sort=sort, rows=tuple(rows), total=total)


def _partial(values: dict[str, Any], name: str) -> PartialDate | None:
    raw = values.get(name)
    if isinstance(raw, str):
        return partial_of(raw)
    return partial_of(raw, values.get(f"{name}_precision"))


def _base_rows(
    session: Session, kind: str, actor: str | None, status: str | None, tag: str | None
) -> list[dict[str, Any]]:
    rec, sub = Record.__table__, _MODELS[kind].__table__
    cols: list[Any] = [rec.c.id, rec.c.slug, rec.c.title, rec.c.status]
    for name in _DATE_COLUMNS[kind]:
        cols += [sub.c[name], sub.c[f"{name}_precision"]]
    cols += [sub.c[name] for name in _EXTRA_COLUMNS[kind]]
    stmt = select(*cols).select_from(rec.join(sub, sub.c.id == rec.c.id))
    if status is not None:
        stmt = stmt.where(rec.c.status == status)
    if tag is not None:
        stmt = stmt.where(
            rec.c.id.in_(select(RecordTag.record_id).where(RecordTag.tag == tag.strip().lower()))
        )
    if actor is not None:
        ids = actor_and_merged_ids(session, resolve_actor(session, actor).id)
        cond = rec.c.id.in_(select(RecordActor.record_id).where(RecordActor.actor_id.in_(ids)))
        if kind == "designation":
            cond = or_(cond, sub.c.subject_id.in_(ids), sub.c.authority_id.in_(ids))
        stmt = stmt.where(cond)
    return [dict(m) for m in session.execute(stmt.order_by(rec.c.id)).mappings()]


def _chunks(ids: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _actors(session: Session, ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for chunk in _chunks(ids):
        stmt = (
            select(RecordActor.record_id, RecordActor.role, Actor.name)
            .join(Actor, Actor.id == RecordActor.actor_id)
            .where(RecordActor.record_id.in_(chunk))
            .order_by(RecordActor.record_id, RecordActor.role, RecordActor.position, Actor.name)
        )
        for rid, role, name in session.execute(stmt):
            out.setdefault(rid, []).append((role, name))
    return out


def _tags(session: Session, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for chunk in _chunks(ids):
        stmt = select(RecordTag.record_id, RecordTag.tag).where(RecordTag.record_id.in_(chunk))
        for rid, tag in session.execute(stmt.order_by(RecordTag.tag)):
            out.setdefault(rid, []).append(tag)
    return out


def _source_counts(session: Session, ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for chunk in _chunks(ids):
        stmt = (
            select(RecordSource.record_id, func.count())
            .where(RecordSource.record_id.in_(chunk))
            .group_by(RecordSource.record_id)
        )
        out.update({rid: n for rid, n in session.execute(stmt)})
    return out


def _extras(session: Session, kind: str, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per-kind facts from child tables: figures, asks, actions, challenges."""
    out: dict[int, dict[str, Any]] = {rid: {} for rid in ids}
    for chunk in _chunks(ids):
        if kind == "incident":
            stmt = select(IncidentFigure).where(IncidentFigure.incident_id.in_(chunk))
            for f in session.scalars(stmt):
                out[f.incident_id][f.metric] = (f.value, figure_label(f.value, f.qualifier, f.unit))
        elif kind == "letter":
            stmt2 = (
                select(LetterAsk.letter_id, func.count())
                .where(LetterAsk.letter_id.in_(chunk))
                .group_by(LetterAsk.letter_id)
            )
            for rid, n in session.execute(stmt2):
                out[rid]["asks"] = n
        elif kind == "measure":
            stmt3 = (
                select(MeasureAction)
                .where(MeasureAction.measure_id.in_(chunk))
                .order_by(MeasureAction.measure_id, MeasureAction.acted_on, MeasureAction.position)
            )
            for a in session.scalars(stmt3):
                e = out[a.measure_id]
                e["actions"] = e.get("actions", 0) + 1
                e["last_action"] = a
        else:
            stmt4 = (
                select(DesignationChallenge.designation_id, func.count())
                .where(DesignationChallenge.designation_id.in_(chunk))
                .group_by(DesignationChallenge.designation_id)
            )
            for rid, n in session.execute(stmt4):
                out[rid]["challenges"] = n
    if kind == "designation":
        names = _names(session, ids)
        for rid in ids:
            out[rid]["names"] = names
    return out


def _names(session: Session, ids: list[int]) -> dict[int, str]:
    stmt = select(Designation.subject_id, Designation.authority_id).where(Designation.id.in_(ids))
    actor_ids = {a for pair in session.execute(stmt) for a in pair if a is not None}
    if not actor_ids:
        return {}
    return dict(session.execute(select(Actor.id, Actor.name).where(Actor.id.in_(actor_ids))).all())


def _designation_actors(
    kind: str, values: dict[str, Any], extra: dict[str, Any]
) -> list[tuple[str, str]]:
    if kind != "designation":
        return []
    names = extra.get("names", {})
    out = []
    if values.get("subject_id") in names:
        out.append(("subject", names[values["subject_id"]]))
    if values.get("authority_id") in names:
        out.append(("authority", names[values["authority_id"]]))
    return out


def _iso(values: dict[str, Any], name: str) -> str | None:
    pd = _partial(values, name)
    return pd.iso() if pd else None


def _fields(kind: str, values: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    if kind == "incident":
        figures = {k: v for k, v in extra.items() if isinstance(v, tuple)}
        return {
            "incident_kind": values.get("incident_kind"),
            "activity_start": _iso(values, "activity_start_on"),
            "activity_end": _iso(values, "activity_end_on"),
            "disclosed": _iso(values, "disclosed_on"),
            "figures": {k: {"value": v[0], "label": v[1]} for k, v in sorted(figures.items())},
        }
    if kind == "letter":
        return {
            "subject": values.get("subject"),
            "sent": _iso(values, "sent_on"),
            "made_public": _iso(values, "made_public_on"),
            "asks": extra.get("asks", 0),
        }
    if kind == "measure":
        last = extra.get("last_action")
        last_on = partial_of(last.acted_on, last.acted_on_precision) if last else None
        return {
            "measure_type": values.get("measure_type"),
            "chamber": values.get("chamber"),
            "congress": values.get("congress"),
            "official_id": values.get("official_id"),
            "vehicle": values.get("vehicle_ref"),
            "introduced": _iso(values, "introduced_on"),
            "actions": extra.get("actions", 0),
            "last_action": (
                {
                    "date": last_on.iso() if last_on else None,
                    "type": last.action_type,
                    "text": last.text,
                }
                if last
                else None
            ),
        }
    return {
        "list": values.get("list_name"),
        "added": _iso(values, "added_on"),
        "effective": _iso(values, "effective_on"),
        "removed": _iso(values, "removed_on"),
        "challenges": extra.get("challenges", 0),
    }


def _sorted(rows: list[RecordRow], sort: str, reverse: bool) -> list[RecordRow]:
    """Text sorts A→Z, dates and numbers largest first; --reverse flips; missing values last."""
    descending = sort not in ("title", "subject", "status")
    if reverse:
        descending = not descending
    keyed = [(_sort_value(r, sort), r) for r in rows]
    present = sorted((k for k in keyed if k[0] is not None), key=lambda k: (k[0], k[1].slug))
    if descending:
        present.reverse()
    missing = sorted((k for k in keyed if k[0] is None), key=lambda k: k[1].slug)
    return [r for _, r in present + missing]


def _sort_value(row: RecordRow, sort: str) -> Any:
    f = row.fields
    if sort == "title":
        return row.title.lower()
    if sort == "status":
        return row.status
    if sort == "subject":
        return (row.names("subject") or [None])[0]
    if sort in ("exchanges", "accounts"):
        return f.get("figures", {}).get(sort, {}).get("value")
    if sort in ("asks", "actions", "challenges"):
        return f.get(sort, 0)
    if sort == "last-action":
        return (f.get("last_action") or {}).get("date") or f.get("introduced")
    name = {"disclosed": "disclosed", "started": "activity_start", "sent": "sent",
            "public": "made_public", "introduced": "introduced", "added": "added",
            "effective": "effective"}[sort]  # fmt: skip
    return f.get(name)
