"""One chronological view of the knowledge base: record events, dated record fields,
measure actions, designation challenges and linked articles, merged and ordered.

A dated field shows the value its claims resolve to (as of a date when asked), marked
conflicting when sources disagree; a story told by several outlets is one row carrying
every outlet as a source. The query is a handful of round trips whatever the data size:
scope → records → events → actions → challenges → claims → sources → articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select, union
from sqlalchemy.orm import Session

from tracker.dates import PartialDate
from tracker.errors import UsageError
from tracker.models import Designation, DesignationChallenge, Event, RecordActor
from tracker.query.common import (
    SourceRef,
    actor_and_merged_ids,
    parse_choices,
    resolve_actor,
    resolve_record,
)

KINDS = ("incident", "letter", "measure", "designation", "event", "article")
RECORD_KINDS = KINDS[:-1]

# Each kind's dated fields and what the date means. Field names are also claim fields.
DATE_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "incident": (
        ("activity_start_on", "occurred"),
        ("activity_end_on", "ended"),
        ("disclosed_on", "disclosed"),
    ),
    "letter": (("sent_on", "sent"), ("made_public_on", "made public")),
    "measure": (("introduced_on", "introduced"),),
    "designation": (
        ("added_on", "added"),
        ("effective_on", "effective"),
        ("removed_on", "removed"),
    ),
    "event": (("occurred_on", "occurred"),),
}
MEANINGS = (
    "occurred",
    "ended",
    "disclosed",
    "sent",
    "made public",
    "introduced",
    "added",
    "effective",
    "removed",
    "filed",
    "decided",
    "action",
    "published",
)
# Core tables for the joined-table subclasses (ORM entities would re-join `records`).
_EV = Event.__table__
_DES = Designation.__table__
_PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True)
class ClaimedValue:
    """One of the values sources give for a conflicting date, with who says so."""

    value: str
    sources: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "sources": [s.to_dict() for s in self.sources]}


@dataclass(frozen=True)
class TimelineRow:
    date: PartialDate
    kind: str  # incident|letter|measure|designation|event|article
    meaning: str  # see MEANINGS
    title: str
    record: str | None = None  # slug of the record the row belongs to (None for articles)
    record_title: str | None = None
    related: str | None = None  # an event's subject record (slug)
    detail: str | None = None  # action text, challenge venue and outcome…
    conflicting: bool = False
    alternatives: tuple[ClaimedValue, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    story_id: int | None = None
    # Where the row's date comes from: the record and its dated field (claims key on them).
    record_id: int | None = field(default=None, compare=False, repr=False)
    date_field: str | None = field(default=None, compare=False, repr=False)

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.date.start,
            _PRECISION_ORDER[self.date.precision],
            _KIND_ORDER.get(self.kind, 99),
            MEANINGS.index(self.meaning) if self.meaning in MEANINGS else 99,
            self.record or "",
            self.title,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.iso(),
            "precision": self.date.precision,
            "kind": self.kind,
            "meaning": self.meaning,
            "title": self.title,
            "record": self.record,
            "record_title": self.record_title,
            "related": self.related,
            "detail": self.detail,
            "conflicting": self.conflicting,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "sources": [s.to_dict() for s in self.sources],
            "story_id": self.story_id,
        }


@dataclass(frozen=True)
class Timeline:
    rows: tuple[TimelineRow, ...]
    actor: str | None = None  # slug
    actor_name: str | None = None
    record: str | None = None  # slug
    kinds: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    tags: tuple[str, ...] = ()
    as_of: date | None = None
    truncated: bool = False  # older rows were left out by --limit

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "record": self.record,
            "kinds": list(self.kinds),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "tags": list(self.tags),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "truncated": self.truncated,
            "rows": [r.to_dict() for r in self.rows],
        }


def parse_kinds(values: Iterable[str] | None) -> tuple[str, ...]:
    """--kind values (repeatable or comma-separated), validated."""
    return parse_choices(values, KINDS)


def build_timeline(
    session: Session,
    *,
    actor: str | None = None,
    record: str | None = None,
    kinds: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    tags: Sequence[str] | None = None,
    as_of: date | None = None,
    limit: int | None = None,
) -> Timeline:
    """The timeline for an actor (fuzzy name), a record (slug or name), or everything.

    `limit` keeps the most recent rows (the result says when older ones were left out);
    `as_of` reads claims as they stood at the end of that day and leaves out what had not
    happened or been published by then. Record columns hold the values their claims
    resolve to now, so without `as_of` claims are read only for the rows shown.
    """
    from tracker.query import timeline_rows as tr

    if session.autoflush:  # most statements below run on the connection, past the ORM
        session.flush()
    kinds_t = parse_kinds(kinds)
    tags_t = tuple(t.strip().lower() for t in tags or () if t.strip())
    if since and until and since > until:
        raise UsageError("--since is after --until")
    actor_ref = resolve_actor(session, actor) if actor else None
    record_obj = resolve_record(session, record) if record else None
    actor_ids = actor_and_merged_ids(session, actor_ref.id) if actor_ref else None
    ctx = tr.Ctx(session, None, kinds_t, since, until, tags_t, as_of, limit)
    # A busy actor's records are found by probing each recent row (newest first) instead
    # of listing every record they take part in; a record or a quiet actor is listed.
    busy = actor_ids is not None and record_obj is None and tr.is_busy(ctx, actor_ids)
    if busy:
        assert actor_ids is not None
        ctx.probe = actor_probe(actor_ids)
        ctx.params = {PROBE_IDS: actor_ids}
        ctx.direct = actor_direct_query(actor_ids)
    elif actor_ids is not None and record_obj is None:
        pass  # listed or probed once the articles tell how recent the rows shown are
    elif actor_ids is not None or record_obj is not None:
        scopes = [actor_scope_query(actor_ids)] if actor_ids is not None else []
        if record_obj is not None:
            scopes.append(record_scope_query(record_obj.id))
        from tracker.models import Record

        stmt = select(Record.id).where(*(Record.id.in_(q) for q in scopes))
        ctx.scope = sorted(session.scalars(stmt).all())

    rows: list[TimelineRow] = []
    if ctx.wants("article"):
        # Sets ctx.floor when `limit` articles were found: the timeline is then complete
        # from that day on only, and record rows are read from that day on.
        rows.extend(tr.article_rows(ctx, actor_ids, record_obj.id if record_obj else None))
    if actor_ids is not None and record_obj is None:
        recent = tr.recent_records(ctx)  # about how many records are dated from the floor on
        if not busy and recent is not None and recent * PROBE_COST < ctx.records_direct:
            ctx.probe = actor_probe(actor_ids)  # test the few recent rows, list nothing
            ctx.params = {PROBE_IDS: actor_ids}
        elif not busy:
            ctx.scope = actor_scope(session, actor_ids)
        # Record rows are then read by date and tested against the probe or the list.
        ctx.recent = recent is not None and (
            busy or ctx.probe is not None or (ctx.scope is not None and recent < len(ctx.scope))
        )
    if any(ctx.wants(k) for k in RECORD_KINDS):
        found = tr.record_rows(ctx)
        rows.extend(tr.apply_claims(ctx, found) if as_of is not None else found)
    rows.sort(key=TimelineRow.sort_key)
    truncated = limit is not None and (len(rows) > limit or ctx.floor is not None)
    if truncated:
        rows = rows[-limit:] if limit else []
    if as_of is None:
        rows = tr.apply_claims(ctx, rows)
        if ctx.floor is not None:  # a claimed date older than the articles read
            rows = [r for r in rows if r.date.start >= ctx.floor]
        rows.sort(key=TimelineRow.sort_key)
    rows = tr.fill_record_sources(session, rows)
    return Timeline(
        rows=tuple(rows),
        actor=actor_ref.slug if actor_ref else None,
        actor_name=actor_ref.name if actor_ref else None,
        record=record_obj.slug if record_obj else None,
        kinds=kinds_t,
        since=since,
        until=until,
        tags=tags_t,
        as_of=as_of,
        truncated=truncated,
    )


# -- scope: which records a timeline covers, as SQL (never a long list of ids) -------------

_EV = Event.__table__
_DES = Designation.__table__


def actor_direct_query(actor_ids: list[int]) -> Any:
    """Record ids the actor takes part in: roles, designation subject/authority, challenges."""
    return union(
        select(RecordActor.record_id).where(RecordActor.actor_id.in_(actor_ids)),
        select(_DES.c.id).where(
            or_(_DES.c.subject_id.in_(actor_ids), _DES.c.authority_id.in_(actor_ids))
        ),
        select(DesignationChallenge.designation_id).where(
            DesignationChallenge.challenger_id.in_(actor_ids)
        ),
    )


def actor_scope_query(actor_ids: list[int]) -> Any:
    """actor_direct_query, and the events that belong to those records."""
    direct = actor_direct_query(actor_ids).subquery("direct")
    return union(
        select(direct.c[0]),
        select(_EV.c.id).where(_EV.c.subject_record_id.in_(select(direct.c[0]))),
    )


def record_scope_query(record_id: int) -> Any:
    """A record and the events that belong to it."""
    from sqlalchemy import literal

    return union(
        select(literal(record_id)),
        select(_EV.c.id).where(_EV.c.subject_record_id == record_id),
    )


# Built once: constructing aliases is a measurable part of a 30 ms budget.
_PROBE_ALIASES = (
    _EV.alias("ev"),
    RecordActor.__table__.alias("ra"),
    _DES.alias("des"),
    DesignationChallenge.__table__.alias("ch"),
    RecordActor.__table__.alias("ra2"),
    _DES.alias("des2"),
)


PROBE_COST = 3  # probing a row (five index probes) against listing a record of the scope
# The actor ids of a probe are one expanding parameter: the conditions are built once per
# column and reused (building them cost more than running them), the ids given at execution.
PROBE_IDS = "probe_actor_ids"
_PROBES: dict[Any, Any] = {}


def _exists(*conditions: Any) -> Any:
    """EXISTS, kept a probe per row: with OFFSET 0 PostgreSQL does not turn it into a hash
    of every record of the actor (25k rows for the busiest) to test a few hundred rows."""
    from sqlalchemy import literal_column

    return select(literal_column("1")).where(*conditions).offset(literal_column("0")).exists()


def _probe_condition(col: Any) -> Any:
    from sqlalchemy import bindparam

    ev, ra, des, ch, ra2, des2 = _PROBE_ALIASES
    ids = bindparam(PROBE_IDS, expanding=True)
    direct = or_(
        _exists(ra.c.record_id == col, ra.c.actor_id.in_(ids)),
        _exists(des.c.id == col, or_(des.c.subject_id.in_(ids), des.c.authority_id.in_(ids))),
        _exists(ch.c.designation_id == col, ch.c.challenger_id.in_(ids)),
    )
    if col is _EV.c.id:  # rows of events: their own subject, no second look-up
        subject = _EV.c.subject_record_id
        return or_(direct, *_owned(subject, ra2, des2, ids))
    if col.key in ("measure_id", "designation_id"):  # never an event: nothing owned
        return direct
    owned = or_(
        _exists(
            ev.c.id == col, ra2.c.record_id == ev.c.subject_record_id, ra2.c.actor_id.in_(ids)
        ),
        _exists(
            ev.c.id == col, des2.c.id == ev.c.subject_record_id,
            or_(des2.c.subject_id.in_(ids), des2.c.authority_id.in_(ids)),
        ),
    )  # fmt: skip
    return or_(direct, owned)


def _owned(subject: Any, ra: Any, des: Any, ids: Any) -> tuple[Any, Any]:
    """The event's subject record is the actor's (through a join to events, PostgreSQL
    read every event)."""
    return (
        _exists(ra.c.record_id == subject, ra.c.actor_id.in_(ids)),
        _exists(des.c.id == subject, or_(des.c.subject_id.in_(ids), des.c.authority_id.in_(ids))),
    )


def actor_probe(actor_ids: list[int]) -> Any:
    """A condition on a record-id column that holds when the record is in the actor's
    scope (see actor_scope_query), checked row by row with index probes. Statements using
    it are executed with {PROBE_IDS: actor_ids}."""

    def condition(col: Any) -> Any:
        found = _PROBES.get(col)
        if found is None:
            found = _PROBES[col] = _probe_condition(col)
        return found

    return condition


def actor_scope(session: Session, actor_ids: list[int]) -> list[int]:
    """actor_scope_query's record ids, sorted. In two steps (the records the actor is part
    of, then their events by id), each planned for the ids it is given: in one statement
    PostgreSQL guessed the actor's records ten times too many and read every event."""
    from tracker.query.common import in_ids

    conn = session.connection()
    direct = set(conn.execute(actor_direct_query(actor_ids)).scalars())
    if not direct:
        return []
    owned = select(_EV.c.id).where(in_ids(session, _EV.c.subject_record_id, sorted(direct)))
    return sorted(direct.union(conn.execute(owned).scalars()))


__all__ = [
    "DATE_FIELDS",
    "KINDS",
    "MEANINGS",
    "ClaimedValue",
    "Timeline",
    "TimelineRow",
    "actor_scope",
    "build_timeline",
    "parse_kinds",
]
