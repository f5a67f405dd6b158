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

from sqlalchemy import Select, or_, select, union
from sqlalchemy.orm import Session

from tracker.dates import PartialDate
from tracker.errors import UsageError
from tracker.models import (
    Designation,
    DesignationChallenge,
    Event,
    Incident,
    Letter,
    Measure,
    MeasureAction,
    Record,
    RecordActor,
    RecordSource,
    RecordTag,
    Source,
)
from tracker.models.actors import Actor
from tracker.models.feeds import Article, Feed, FeedTag
from tracker.models.links import ArticleActor, RecordSuggestion, Story
from tracker.query.common import (
    ARTICLE_LINK_STATUSES,
    SourceRef,
    actor_and_merged_ids,
    end_of_day,
    overlaps,
    partial_of,
    resolve_actor,
    resolve_record,
    source_from_claim,
    start_of_day,
    year_before,
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
    filters: dict[str, Any] = field(default_factory=dict, compare=False)

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
    out: list[str] = []
    for v in values or ():
        for part in str(v).split(","):
            k = part.strip().lower()
            if not k:
                continue
            if k not in KINDS:
                raise UsageError(f"unknown kind {part.strip()!r} (choose from {', '.join(KINDS)})")
            if k not in out:
                out.append(k)
    return tuple(out)


@dataclass
class _Ctx:
    session: Session
    scope: list[int] | None  # record ids, None = every record
    kinds: tuple[str, ...]
    since: date | None
    until: date | None
    tags: tuple[str, ...]
    as_of: date | None
    limit: int | None

    @property
    def hi(self) -> date | None:
        """The latest date a row may have (until and as-of both cap it)."""
        caps = [d for d in (self.until, self.as_of) if d is not None]
        return min(caps) if caps else None

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def keep(self, pd: PartialDate | None) -> bool:
        if pd is None or not overlaps(pd, self.since, self.until):
            return False
        return self.as_of is None or pd.start <= self.as_of


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
    happened or been published by then.
    """
    kinds_t = parse_kinds(kinds)
    tags_t = tuple(t.strip().lower() for t in tags or () if t.strip())
    if since and until and since > until:
        raise UsageError("--since is after --until")
    actor_ref = resolve_actor(session, actor) if actor else None
    record_obj = resolve_record(session, record) if record else None
    actor_ids = actor_and_merged_ids(session, actor_ref.id) if actor_ref else None

    scope: list[int] | None = None
    if actor_ids is not None:
        scope = actor_scope(session, actor_ids)
    if record_obj is not None:
        own = _record_scope(session, record_obj.id)
        scope = own if scope is None else [i for i in scope if i in set(own)]
    ctx = _Ctx(session, scope, kinds_t, since, until, tags_t, as_of, limit)

    rows: list[TimelineRow] = []
    if any(ctx.wants(k) for k in RECORD_KINDS):
        rows.extend(_record_rows(ctx))
    if ctx.wants("article"):
        rows.extend(_article_rows(ctx, actor_ids, record_obj.id if record_obj else None))

    rows.sort(key=TimelineRow.sort_key)
    truncated = limit is not None and len(rows) > limit
    if truncated:
        rows = rows[-limit:] if limit else []
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


# -- scope ---------------------------------------------------------------------------------


def actor_scope(session: Session, actor_ids: list[int]) -> list[int]:
    """Records the actor takes part in, and the events that belong to those records."""
    direct = union(
        select(RecordActor.record_id).where(RecordActor.actor_id.in_(actor_ids)),
        select(_DES.c.id).where(
            or_(_DES.c.subject_id.in_(actor_ids), _DES.c.authority_id.in_(actor_ids))
        ),
        select(DesignationChallenge.designation_id).where(
            DesignationChallenge.challenger_id.in_(actor_ids)
        ),
    ).subquery()
    ids = set(session.scalars(select(direct.c[0])).all())
    if ids:
        ids.update(session.scalars(select(_EV.c.id).where(_EV.c.subject_record_id.in_(ids))).all())
    return sorted(ids)


def _record_scope(session: Session, record_id: int) -> list[int]:
    """A record and the events that belong to it."""
    events = session.scalars(select(_EV.c.id).where(_EV.c.subject_record_id == record_id)).all()
    return [record_id, *events]


def _scoped(stmt: Select[Any], column: Any, ctx: _Ctx) -> Select[Any]:
    if ctx.scope is not None:
        stmt = stmt.where(column.in_(ctx.scope))
    if ctx.tags:
        stmt = stmt.where(
            column.in_(select(RecordTag.record_id).where(RecordTag.tag.in_(ctx.tags)))
        )
    return stmt


# -- records -------------------------------------------------------------------------------


@dataclass
class _Field:
    record_id: int
    kind: str  # the row kind (the record's kind)
    field: str
    meaning: str
    value: PartialDate | None
    title: str
    slug: str
    related: str | None = None


def _record_rows(ctx: _Ctx) -> list[TimelineRow]:
    fields: list[_Field] = []
    if ctx.scope == []:
        return []
    non_event = [k for k in RECORD_KINDS if k != "event" and ctx.wants(k)]
    if non_event:
        fields.extend(_non_event_fields(ctx, non_event))
    if ctx.wants("event"):
        fields.extend(_event_fields(ctx))
    rows = _resolve(ctx, fields)
    if ctx.wants("measure"):
        rows.extend(_action_rows(ctx))
    if ctx.wants("designation"):
        rows.extend(_challenge_rows(ctx))
    _fill_record_sources(ctx.session, rows)
    return [r for r, _ in rows]


def _non_event_fields(ctx: _Ctx, kinds: list[str]) -> list[_Field]:
    r, i, le, m, d = (t.__table__ for t in (Record, Incident, Letter, Measure, Designation))
    cols: list[Any] = [r.c.id, r.c.kind, r.c.slug, r.c.title]
    tables = {"incident": i, "letter": le, "measure": m, "designation": d}
    for kind in kinds:
        t = tables[kind]
        for name, _ in DATE_FIELDS[kind]:
            cols += [t.c[name].label(name), t.c[f"{name}_precision"].label(f"{name}_precision")]
    joined: Any = r
    for kind in kinds:
        joined = joined.outerjoin(tables[kind], tables[kind].c.id == r.c.id)
    stmt = _scoped(select(*cols).select_from(joined).where(r.c.kind.in_(kinds)), r.c.id, ctx)
    out: list[_Field] = []
    for row in ctx.session.execute(stmt).mappings():
        for name, meaning in DATE_FIELDS[row["kind"]]:
            out.append(
                _Field(
                    row["id"],
                    row["kind"],
                    name,
                    meaning,
                    partial_of(row[name], row[f"{name}_precision"]),
                    row["title"],
                    row["slug"],
                )
            )
    return out


def _event_fields(ctx: _Ctx) -> list[_Field]:
    rec, ev = Record.__table__, _EV
    subject = rec.alias("subject")
    stmt = select(
        ev.c.id,
        rec.c.slug,
        rec.c.title,
        ev.c.occurred_on,
        ev.c.occurred_on_precision,
        subject.c.slug.label("subject"),
    ).select_from(
        ev.join(rec, rec.c.id == ev.c.id).outerjoin(subject, subject.c.id == ev.c.subject_record_id)
    )
    stmt = _scoped(stmt, ev.c.id, ctx)
    if ctx.since is not None:
        stmt = stmt.where(ev.c.occurred_on >= year_before(ctx.since))
    if ctx.hi is not None:
        stmt = stmt.where(ev.c.occurred_on <= ctx.hi)
    stmt = stmt.order_by(ev.c.occurred_on.desc(), ev.c.id.desc())
    if ctx.limit is not None:
        stmt = stmt.limit(ctx.limit)
    return [
        _Field(
            row.id,
            "event",
            "occurred_on",
            "occurred",
            partial_of(row.occurred_on, row.occurred_on_precision),
            row.title,
            row.slug,
            related=row.subject,
        )
        for row in ctx.session.execute(stmt)
    ]


def _resolve(ctx: _Ctx, fields: list[_Field]) -> list[tuple[TimelineRow, int | None]]:
    """Dated fields → rows, with claim-resolved values (as of a date) and their sources.

    Returns (row, record id needing record sources or None).
    """
    from tracker.records.claims import resolve_fields

    ids = sorted({f.record_id for f in fields})
    resolved = resolve_fields(ctx.session, ids, ctx.as_of) if ids else {}
    claimed: set[tuple[int, str]] = set()
    if ctx.as_of is not None and ids:
        claimed = _claimed_fields(ctx.session, ids)
    out: list[tuple[TimelineRow, int | None]] = []
    for f in fields:
        rf = resolved.get(f.record_id, {}).get(f.field)
        value, conflicting, alternatives, sources = f.value, False, (), ()
        if rf is not None:
            value = partial_of(rf.value)
            conflicting = rf.conflicting
            sources, alternatives = _claim_sources(rf)
        elif (f.record_id, f.field) in claimed:
            continue  # claims exist, but none was known as of that date
        if not ctx.keep(value):
            continue
        assert value is not None
        row = TimelineRow(
            date=value,
            kind=f.kind,
            meaning=f.meaning,
            title=f.title,
            record=f.slug,
            record_title=f.title,
            related=f.related,
            conflicting=conflicting,
            alternatives=alternatives,
            sources=sources,
        )
        out.append((row, None if sources else f.record_id))
    return out


def _claimed_fields(session: Session, ids: list[int]) -> set[tuple[int, str]]:
    from tracker.models import Claim

    names = {n for fields in DATE_FIELDS.values() for n, _ in fields}
    out: set[tuple[int, str]] = set()
    for start in range(0, len(ids), 500):
        stmt = (
            select(Claim.record_id, Claim.field)
            .where(Claim.record_id.in_(ids[start : start + 500]), Claim.field.in_(names))
            .distinct()
        )
        out.update((r, f) for r, f in session.execute(stmt) if r is not None)
    return out


def _claim_sources(rf: Any) -> tuple[tuple[SourceRef, ...], tuple[ClaimedValue, ...]]:
    by_value: dict[str, list[SourceRef]] = {}
    for view in rf.active_claims:
        pd = partial_of(view.value)
        key = pd.iso() if pd else str(view.value)
        refs = by_value.setdefault(key, [])
        ref = source_from_claim(view)
        if ref not in refs:
            refs.append(ref)
    shown = partial_of(rf.value)
    shown_key = shown.iso() if shown else str(rf.value)
    sources = tuple(by_value.get(shown_key, ()))
    alternatives: tuple[ClaimedValue, ...] = ()
    if rf.conflicting:
        alternatives = tuple(ClaimedValue(k, tuple(v)) for k, v in by_value.items())
    return sources, alternatives


def _action_rows(ctx: _Ctx) -> list[tuple[TimelineRow, int | None]]:
    stmt = (
        select(
            MeasureAction.measure_id,
            MeasureAction.acted_on,
            MeasureAction.acted_on_precision,
            MeasureAction.action_type,
            MeasureAction.text,
            MeasureAction.chamber,
            Record.slug,
            Record.title,
            Source.title.label("s_title"),
            Source.url,
            Source.outlet,
            Source.published_on,
            Source.published_on_precision,
        )
        .join(Record, Record.id == MeasureAction.measure_id)
        .outerjoin(Source, Source.id == MeasureAction.source_id)
    )
    stmt = _scoped(stmt, MeasureAction.measure_id, ctx)
    if ctx.since is not None:
        stmt = stmt.where(MeasureAction.acted_on >= year_before(ctx.since))
    if ctx.hi is not None:
        stmt = stmt.where(MeasureAction.acted_on <= ctx.hi)
    stmt = stmt.order_by(MeasureAction.acted_on.desc(), MeasureAction.position.desc())
    if ctx.limit is not None:
        stmt = stmt.limit(ctx.limit)
    out: list[tuple[TimelineRow, int | None]] = []
    for row in ctx.session.execute(stmt):
        pd = partial_of(row.acted_on, row.acted_on_precision)
        if not ctx.keep(pd):
            continue
        assert pd is not None
        sources: tuple[SourceRef, ...] = ()
        if row.s_title is not None:
            pub = partial_of(row.published_on, row.published_on_precision)
            sources = (SourceRef(row.s_title, row.url, row.outlet, pub.iso() if pub else None),)
        detail = " ".join(x for x in (row.chamber and row.chamber.title() + ":", row.text) if x)
        out.append(
            (
                TimelineRow(
                    date=pd,
                    kind="measure",
                    meaning="action",
                    title=f"{row.title}: {row.action_type.replace('_', ' ')}",
                    record=row.slug,
                    record_title=row.title,
                    detail=detail,
                    sources=sources,
                ),
                None if sources else row.measure_id,
            )
        )
    return out


def _challenge_rows(ctx: _Ctx) -> list[tuple[TimelineRow, int | None]]:
    c = DesignationChallenge
    stmt = (
        select(
            c.designation_id,
            c.venue,
            c.filed_on,
            c.filed_on_precision,
            c.decided_on,
            c.decided_on_precision,
            c.outcome,
            Actor.name,
            Record.slug,
            Record.title,
        )
        .join(Actor, Actor.id == c.challenger_id)
        .join(Record, Record.id == c.designation_id)
    )
    stmt = _scoped(stmt, c.designation_id, ctx)
    out: list[tuple[TimelineRow, int | None]] = []
    for row in ctx.session.execute(stmt):
        venue = f" ({row.venue})" if row.venue else ""
        for meaning, when, precision in (
            ("filed", row.filed_on, row.filed_on_precision),
            ("decided", row.decided_on, row.decided_on_precision),
        ):
            pd = partial_of(when, precision)
            if not ctx.keep(pd):
                continue
            assert pd is not None
            verb = "challenges" if meaning == "filed" else f"challenge decided: {row.outcome}"
            out.append(
                (
                    TimelineRow(
                        date=pd,
                        kind="designation",
                        meaning=meaning,
                        title=f"{row.name} {verb}: {row.title}",
                        record=row.slug,
                        record_title=row.title,
                        detail=f"{row.name}{venue}".strip(),
                    ),
                    row.designation_id,
                )
            )
    return out


def _fill_record_sources(session: Session, rows: list[tuple[TimelineRow, int | None]]) -> None:
    """Rows without their own source take their record's sources (one query for all)."""
    need = sorted({rid for _, rid in rows if rid is not None})
    by_record: dict[int, list[SourceRef]] = {}
    for start in range(0, len(need), 500):
        stmt = (
            select(
                RecordSource.record_id,
                Source.title,
                Source.url,
                Source.outlet,
                Source.published_on,
                Source.published_on_precision,
            )
            .join(Source, Source.id == RecordSource.source_id)
            .where(RecordSource.record_id.in_(need[start : start + 500]))
            .order_by(RecordSource.record_id, Source.published_on, Source.id)
        )
        for row in session.execute(stmt):
            pub = partial_of(row.published_on, row.published_on_precision)
            by_record.setdefault(row.record_id, []).append(
                SourceRef(row.title, row.url, row.outlet, pub.iso() if pub else None)
            )
    for i, (row, rid) in enumerate(rows):
        if rid is not None and by_record.get(rid):
            rows[i] = (_replace(row, sources=tuple(by_record[rid])), None)


def _replace(row: TimelineRow, **changes: Any) -> TimelineRow:
    from dataclasses import replace

    return replace(row, **changes)


# -- articles ------------------------------------------------------------------------------


def _article_rows(
    ctx: _Ctx, actor_ids: list[int] | None, record_id: int | None
) -> list[TimelineRow]:
    if ctx.tags and not _any_feed_tag(ctx):
        return []
    cols = (
        Article.id,
        Article.title,
        Article.link,
        Article.published_at,
        Article.published_precision,
        Article.story_id,
        Feed.name.label("feed_name"),
        Feed.title.label("feed_title"),
        Feed.url.label("feed_url"),
    )
    stmt = select(*cols)
    if actor_ids is not None:
        stmt = stmt.select_from(ArticleActor).join(Article, Article.id == ArticleActor.article_id)
        stmt = stmt.where(
            ArticleActor.actor_id.in_(actor_ids), ArticleActor.status.in_(ARTICLE_LINK_STATUSES)
        )
    if record_id is not None:
        accepted = select(RecordSuggestion.article_id).where(
            RecordSuggestion.record_id == record_id, RecordSuggestion.status == "accepted"
        )
        stmt = stmt.where(Article.id.in_(accepted))
    stmt = stmt.join(Feed, Feed.id == Article.feed_id).where(Article.published_at.is_not(None))
    if ctx.tags:
        stmt = stmt.where(
            Article.feed_id.in_(select(FeedTag.feed_id).where(FeedTag.tag.in_(ctx.tags)))
        )
    if ctx.since is not None:
        stmt = stmt.where(Article.published_at >= start_of_day(year_before(ctx.since)))
    if ctx.hi is not None:
        stmt = stmt.where(Article.published_at <= end_of_day(ctx.hi))
    stmt = stmt.order_by(Article.published_at.desc(), Article.id.desc())
    if ctx.limit is not None:
        stmt = stmt.limit(ctx.limit)
    seen: set[int] = set()
    stories: dict[int, list[TimelineRow]] = {}
    out: list[TimelineRow] = []
    for row in ctx.session.execute(stmt):
        if row.id in seen:
            continue
        seen.add(row.id)
        precision = row.published_precision if row.published_precision != "time" else "day"
        pd = partial_of(row.published_at, precision)
        if not ctx.keep(pd):
            continue
        assert pd is not None
        outlet = row.feed_name or row.feed_title or row.feed_url
        title = row.title or row.link or "(untitled)"
        item = TimelineRow(
            date=pd,
            kind="article",
            meaning="published",
            title=title,
            sources=(SourceRef(title, row.link, outlet, pd.iso()),),
            story_id=row.story_id,
        )
        if row.story_id is not None:
            stories.setdefault(row.story_id, []).append(item)
        else:
            out.append(item)
    out.extend(_merge_stories(ctx.session, stories))
    return out


def _any_feed_tag(ctx: _Ctx) -> bool:
    stmt = select(FeedTag.id).where(FeedTag.tag.in_(ctx.tags)).limit(1)
    return ctx.session.execute(stmt).first() is not None


def _merge_stories(session: Session, stories: dict[int, list[TimelineRow]]) -> list[TimelineRow]:
    """One row per story: its earliest report, every outlet as a source."""
    if not stories:
        return []
    titles = dict(
        session.execute(select(Story.id, Story.title).where(Story.id.in_(list(stories)))).all()
    )
    out = []
    for story_id, items in stories.items():
        items.sort(key=TimelineRow.sort_key)
        first = items[0]
        sources: list[SourceRef] = []
        for it in items:
            for s in it.sources:
                if s not in sources:
                    sources.append(s)
        title = first.title if len(items) == 1 else (titles.get(story_id) or first.title)
        out.append(_replace(first, title=title, sources=tuple(sources)))
    return out


__all__ = [
    "DATE_FIELDS",
    "KINDS",
    "MEANINGS",
    "ClaimedValue",
    "Timeline",
    "TimelineRow",
    "build_timeline",
    "parse_kinds",
]
