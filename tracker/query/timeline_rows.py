"""The rows of a timeline, one source at a time, and the finishing touches (claims, sources,
stories). Used by tracker.query.timeline.build_timeline; each function is one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, false, func, or_, select, union_all
from sqlalchemy.orm import Session

from tracker.dates import PartialDate
from tracker.models import (
    Claim,
    Designation,
    DesignationChallenge,
    Event,
    Incident,
    Letter,
    Measure,
    MeasureAction,
    Record,
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
    end_of_day,
    in_ids,
    overlaps,
    partial_of,
    source_from_claim,
    start_of_day,
    year_before,
)
from tracker.query.timeline import DATE_FIELDS, RECORD_KINDS, ClaimedValue, TimelineRow

_CHUNK = 500


@dataclass
class Ctx:
    session: Session
    scope: list[int] | None  # the record ids covered (None: every record)
    kinds: tuple[str, ...]
    since: date | None
    until: date | None
    tags: tuple[str, ...]
    as_of: date | None
    limit: int | None
    # Instead of `scope`: a condition on a record-id column (busy actors, see is_busy).
    probe: Any = None
    scope_json: str = ""  # ctx.scope as JSON (SQLite binds the list as one JSON array)
    params: dict[str, Any] = field(default_factory=dict)  # bound at execution (the probe's ids)
    direct: Any = None  # with probe: SQL for the records the actor is directly part of
    # Rows older than this cannot make the cut (the newest `limit` articles are newer).
    floor: date | None = None
    walk_articles: bool = False  # find the actor's articles by walking the newest ones
    articles: Any = None  # the plan for the actor's articles (actor_articles.Choice)
    records_total: int = 0  # the highest record id (an estimate of how many there are)
    records_direct: int = 0  # the records the actor is part of (counted up to BUSY_RECORDS)
    # Record rows are read from the floor on, by date, and only tested against the scope
    # (probed): set when fewer rows are that recent than the scope would list.
    recent: bool = False

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


def _run(session: Session, stmt: Any, params: dict[str, Any] | None = None) -> Any:
    """Execute a Core statement on the session's connection: plain rows, none of the ORM's
    per-statement work (measurable when a timeline runs a dozen statements in 30 ms)."""
    return session.connection().execute(stmt, params)


def _scoped(
    stmt: Select[Any], column: Any, ctx: Ctx, *, direct: bool = False, drive: bool = True
) -> Select[Any]:
    """Rows of the records in scope (direct=True: records that are not events, for which
    the actor's own records are the whole scope and a plain IN beats probing). drive=False:
    the listed scope only filters the rows a date range or a small table yields."""
    if direct and ctx.direct is not None:
        stmt = stmt.where(column.in_(ctx.direct))
    elif ctx.probe is not None:
        stmt = stmt.where(ctx.probe(column))
    elif ctx.scope is not None:
        if not ctx.scope_json:  # encoded once for all the statements using it
            import json

            ctx.scope_json = json.dumps(ctx.scope)
        stmt = stmt.where(
            in_ids(ctx.session, column, ctx.scope, drive=drive, encoded=ctx.scope_json)
        )
    if ctx.tags:
        stmt = stmt.where(
            column.in_(select(RecordTag.record_id).where(RecordTag.tag.in_(ctx.tags)))
        )
    return stmt


def _dated(stmt: Select[Any], column: Any, ctx: Ctx) -> Select[Any]:
    """Coarse SQL date bounds (exact partial-date overlap is checked in Python)."""
    if ctx.since is not None:
        stmt = stmt.where(column >= year_before(ctx.since))
    if ctx.floor is not None:
        stmt = stmt.where(column >= ctx.floor)
    if ctx.hi is not None:
        stmt = stmt.where(column <= ctx.hi)
    return stmt


def _newest(stmt: Select[Any], ctx: Ctx, *order: Any) -> Select[Any]:
    """The newest `limit` rows: nothing older can make the final cut."""
    stmt = stmt.order_by(*(c.desc() for c in order))
    return stmt.limit(ctx.limit) if ctx.limit is not None else stmt


# -- records -------------------------------------------------------------------------------


def record_rows(ctx: Ctx) -> list[TimelineRow]:
    """Dated fields of incidents/letters/measures/designations, events, measure actions and
    designation challenges, with the dates their columns hold (claims come later)."""
    rows: list[TimelineRow] = []
    if ctx.scope == []:
        return rows
    non_event = [k for k in RECORD_KINDS if k != "event" and ctx.wants(k)]
    if non_event:
        rows.extend(_field_rows(ctx, non_event))
    if ctx.wants("event"):
        rows.extend(_event_rows(ctx))
    if ctx.wants("measure"):
        rows.extend(_action_rows(ctx))
    if ctx.wants("designation"):
        rows.extend(_challenge_rows(ctx))
    return rows


def _field_rows(ctx: Ctx, kinds: list[str]) -> list[TimelineRow]:
    r = Record.__table__
    tables = {k: m.__table__ for k, m in
              (("incident", Incident), ("letter", Letter), ("measure", Measure), ("designation", Designation))}  # fmt: skip
    cols: list[Any] = [r.c.id, r.c.kind, r.c.slug, r.c.title]
    joined: Any = r
    for kind in kinds:
        t = tables[kind]
        joined = joined.outerjoin(t, t.c.id == r.c.id)
        for name, _ in DATE_FIELDS[kind]:
            cols += [t.c[name].label(name), t.c[f"{name}_precision"].label(f"{name}_precision")]
    stmt = select(*cols).select_from(joined).where(r.c.kind.in_(kinds))
    if ctx.recent:
        # Records with a date since the floor, from the (small) subtype tables: they drive,
        # and the actor's scope only filters them (listing it would cost more).
        recent = union_all(*(
            select(tables[k].c.id).where(or_(*(tables[k].c[n] >= ctx.floor for n, _ in DATE_FIELDS[k])))
            for k in kinds
        ))  # fmt: skip
        stmt = _scoped(stmt.where(r.c.id.in_(recent)), r.c.id, ctx, drive=False)
    else:
        if ctx.floor is not None:
            dated = [tables[k].c[n] for k in kinds for n, _ in DATE_FIELDS[k]]
            stmt = stmt.where(or_(*(c >= ctx.floor for c in dated)))
        stmt = _scoped(stmt, r.c.id, ctx, direct=True)
    out = []
    for row in _run(ctx.session, stmt, ctx.params).mappings():
        for name, meaning in DATE_FIELDS[row["kind"]]:
            pd = partial_of(row[name], row[f"{name}_precision"])
            if pd is None or (ctx.as_of is None and not ctx.keep(pd)):
                continue
            out.append(
                TimelineRow(pd, row["kind"], meaning, row["title"], record=row["slug"],
                            record_title=row["title"], record_id=row["id"], date_field=name)
            )  # fmt: skip
    return out


def _event_rows(ctx: Ctx) -> list[TimelineRow]:
    rec, ev = Record.__table__, Event.__table__
    subject = rec.alias("subject")
    # The newest events first, then their records: joined before the limit, PostgreSQL
    # guessed too many rows from the id list and hashed whole tables.
    newest = select(ev.c.id, ev.c.occurred_on, ev.c.occurred_on_precision, ev.c.subject_record_id)
    newest = _newest(_dated(_scoped(newest, ev.c.id, ctx, drive=not ctx.recent), ev.c.occurred_on, ctx),
                     ctx, ev.c.occurred_on, ev.c.id).subquery("newest")  # fmt: skip
    stmt = select(
        newest.c.id, rec.c.slug, rec.c.title, newest.c.occurred_on, newest.c.occurred_on_precision,
        subject.c.slug.label("subject"),
    ).select_from(
        newest.join(rec, rec.c.id == newest.c.id)
        .outerjoin(subject, subject.c.id == newest.c.subject_record_id)
    )  # fmt: skip
    out = []
    for row in _run(ctx.session, stmt, ctx.params):
        pd = partial_of(row.occurred_on, row.occurred_on_precision)
        if pd is None or (ctx.as_of is None and not ctx.keep(pd)):
            continue
        out.append(
            TimelineRow(pd, "event", "occurred", row.title, record=row.slug, record_title=row.title,
                        related=row.subject, record_id=row.id, date_field="occurred_on")
        )  # fmt: skip
    return out


def _action_rows(ctx: Ctx) -> list[TimelineRow]:
    a = MeasureAction
    # The newest actions first, then their measures and sources (see _event_rows).
    newest = select(a.measure_id, a.acted_on, a.acted_on_precision, a.action_type, a.text,
                    a.chamber, a.source_id)  # fmt: skip
    newest = _newest(_dated(_scoped(newest, a.measure_id, ctx, drive=not ctx.recent), a.acted_on, ctx),
                     ctx, a.acted_on, a.position).subquery("newest")  # fmt: skip
    n = newest.c
    stmt = (
        select(n.measure_id, n.acted_on, n.acted_on_precision, n.action_type, n.text, n.chamber,
               Record.slug, Record.title, Source.title.label("s_title"), Source.url, Source.outlet,
               Source.published_on, Source.published_on_precision)
        .select_from(newest)
        .join(Record, Record.id == n.measure_id)
        .outerjoin(Source, Source.id == n.source_id)
    )  # fmt: skip
    out = []
    for row in _run(ctx.session, stmt, ctx.params):
        pd = partial_of(row.acted_on, row.acted_on_precision)
        if not ctx.keep(pd):
            continue
        assert pd is not None
        sources: tuple[SourceRef, ...] = ()
        if row.s_title is not None:
            pub = partial_of(row.published_on, row.published_on_precision)
            sources = (SourceRef(row.s_title, row.url, row.outlet, pub.iso() if pub else None),)
        chamber = f"{row.chamber.title()}: " if row.chamber else ""
        out.append(
            TimelineRow(pd, "measure", "action", f"{row.title}: {row.action_type.replace('_', ' ')}",
                        record=row.slug, record_title=row.title, detail=chamber + row.text,
                        sources=sources, record_id=row.measure_id)
        )  # fmt: skip
    return out


def _challenge_rows(ctx: Ctx) -> list[TimelineRow]:
    c = DesignationChallenge
    stmt = (
        select(c.designation_id, c.venue, c.filed_on, c.filed_on_precision, c.decided_on,
               c.decided_on_precision, c.outcome, Actor.name, Record.slug, Record.title)
        .join(Actor, Actor.id == c.challenger_id)
        .join(Record, Record.id == c.designation_id)
    )  # fmt: skip
    out = []
    # Probed row by row when busy (challenges are few; listing the actor's records is not).
    for row in _run(ctx.session, _scoped(stmt, c.designation_id, ctx, drive=False), ctx.params):
        venue = f" ({row.venue})" if row.venue else ""
        for meaning, when, precision in (("filed", row.filed_on, row.filed_on_precision),
                                         ("decided", row.decided_on, row.decided_on_precision)):  # fmt: skip
            pd = partial_of(when, precision)
            if not ctx.keep(pd) or (ctx.floor and pd and pd.start < ctx.floor):
                continue
            assert pd is not None
            verb = "challenges" if meaning == "filed" else f"challenge decided: {row.outcome}"
            out.append(
                TimelineRow(pd, "designation", meaning, f"{row.name} {verb}: {row.title}",
                            record=row.slug, record_title=row.title, detail=f"{row.name}{venue}",
                            record_id=row.designation_id)
            )  # fmt: skip
    return out


# -- claims and sources ----------------------------------------------------------------------


def apply_claims(ctx: Ctx, rows: list[TimelineRow]) -> list[TimelineRow]:
    """Dates from claims (as of ctx.as_of), conflicts with each claimed value, claim sources.

    A field whose claims all came after as_of was not known then: its row is dropped.
    """
    from tracker.records.claims import resolve_fields

    ids = sorted({r.record_id for r in rows if r.date_field and r.record_id is not None})
    if not ids:
        return rows
    resolved = resolve_fields(ctx.session, ids, ctx.as_of)
    claimed = _claimed_fields(ctx.session, ids) if ctx.as_of is not None else set()
    out = []
    for row in rows:
        if row.date_field is None or row.record_id is None:
            out.append(row)
            continue
        rf = resolved.get(row.record_id, {}).get(row.date_field)
        if rf is None:
            if (row.record_id, row.date_field) in claimed:
                continue  # claims exist, but none was known as of that date
            if ctx.keep(row.date):
                out.append(row)
            continue
        value = partial_of(rf.value) or row.date
        if not ctx.keep(value):
            continue
        sources, alternatives = _claim_sources(rf)
        out.append(replace(row, date=value, conflicting=rf.conflicting,
                           alternatives=alternatives, sources=sources or row.sources))  # fmt: skip
    return out


def _claimed_fields(session: Session, ids: list[int]) -> set[tuple[int, str]]:
    names = {n for fields in DATE_FIELDS.values() for n, _ in fields}
    out: set[tuple[int, str]] = set()
    for start in range(0, len(ids), _CHUNK):
        stmt = (
            select(Claim.record_id, Claim.field)
            .where(Claim.record_id.in_(ids[start : start + _CHUNK]), Claim.field.in_(names))
            .distinct()
        )
        out.update((r, f) for r, f in _run(session, stmt) if r is not None)
    return out


def _claim_sources(rf: Any) -> tuple[tuple[SourceRef, ...], tuple[ClaimedValue, ...]]:
    by_value: dict[str, list[SourceRef]] = {}
    for view in rf.active_claims:
        pd = partial_of(view.value)
        refs = by_value.setdefault(pd.iso() if pd else str(view.value), [])
        ref = source_from_claim(view)
        if ref not in refs:
            refs.append(ref)
    shown = partial_of(rf.value)
    sources = tuple(by_value.get(shown.iso() if shown else str(rf.value), ()))
    alternatives: tuple[ClaimedValue, ...] = ()
    if rf.conflicting:
        alternatives = tuple(ClaimedValue(k, tuple(v)) for k, v in by_value.items())
    return sources, alternatives


def fill_record_sources(session: Session, rows: list[TimelineRow]) -> list[TimelineRow]:
    """Rows without a source of their own take their record's sources (one query)."""
    need = sorted({r.record_id for r in rows if not r.sources and r.record_id is not None})
    by_record: dict[int, list[SourceRef]] = {}
    for start in range(0, len(need), _CHUNK):
        stmt = (
            select(RecordSource.record_id, Source.title, Source.url, Source.outlet,
                   Source.published_on, Source.published_on_precision)
            .join(Source, Source.id == RecordSource.source_id)
            .where(RecordSource.record_id.in_(need[start : start + _CHUNK]))
            .order_by(RecordSource.record_id, Source.published_on, Source.id)
        )  # fmt: skip
        for row in _run(session, stmt):
            pub = partial_of(row.published_on, row.published_on_precision)
            by_record.setdefault(row.record_id, []).append(
                SourceRef(row.title, row.url, row.outlet, pub.iso() if pub else None)
            )
    return [
        replace(r, sources=tuple(by_record[r.record_id]))
        if not r.sources and r.record_id in by_record
        else r
        for r in rows
    ]


# -- articles ------------------------------------------------------------------------------


BUSY_RECORDS = 2000  # an actor in this many records is probed, not listed


def _links(actor_ids: list[int]) -> tuple[Any, Any]:
    return ArticleActor.actor_id.in_(actor_ids), ArticleActor.status.in_(ARTICLE_LINK_STATUSES)


def _capped_count(stmt: Select[Any], cap: int) -> Any:
    """How many rows stmt returns, counting no further than cap (a scalar subquery)."""
    return select(func.count()).select_from(stmt.limit(cap).subquery()).scalar_subquery()


def recent_records(ctx: Ctx) -> float | None:
    """About how many records are dated from the floor on (None: no floor): the actor's
    newest `limit` of `links` articles span about limit / links of the time, and all
    records about as much of theirs."""
    links = ctx.articles.links if ctx.articles is not None else 0
    if ctx.floor is None or not links or ctx.limit is None:
        return None
    return ctx.records_total * ctx.limit / links


def is_busy(ctx: Ctx, actor_ids: list[int]) -> bool:
    """Whether the actor has so many articles or records that walking the newest rows and
    probing each beats listing everything they are linked to. Also picks the plan for the
    actor's articles (see tracker.query.actor_articles). Both counts come from indexes,
    capped, in one query."""
    from tracker.models import RecordActor
    from tracker.query import actor_articles as aa

    total = aa.total_articles(ctx.session)
    sqlite = ctx.session.get_bind().dialect.name == "sqlite"
    cap = aa.walk_from(ctx.limit, total, sqlite)
    records = _capped_count(
        select(RecordActor.record_id).where(RecordActor.actor_id.in_(actor_ids)), BUSY_RECORDS
    )
    links = select(ArticleActor.article_id).where(*_links(actor_ids))
    n_records, n_links, ctx.records_total = _run(
        ctx.session,
        select(
            records,
            _capped_count(links, cap or BUSY_RECORDS),
            select(func.max(Record.id)).scalar_subquery(),
        ),
    ).one()
    ctx.records_direct = n_records
    ctx.articles = aa.choose(n_links, ctx.limit, total, sqlite)
    ctx.walk_articles = ctx.articles.plan == aa.WALK
    return ctx.limit is not None and (ctx.walk_articles or n_records >= BUSY_RECORDS)


_ARTICLE_COLUMNS = (
    Article.id, Article.title, Article.link, Article.published_at, Article.published_precision,
    Article.story_id, Feed.name.label("feed_name"), Feed.title.label("feed_title"),
    Feed.url.label("feed_url"), Story.title.label("story_title"),
)  # fmt: skip


def _dated_bounds(ctx: Ctx) -> tuple[datetime | None, datetime | None]:
    """Coarse publication bounds (exact partial-date overlap is checked in Python)."""
    since = start_of_day(year_before(ctx.since)) if ctx.since is not None else None
    return since, end_of_day(ctx.hi) if ctx.hi is not None else None


def article_rows(ctx: Ctx, actor_ids: list[int] | None, record_id: int | None) -> list[TimelineRow]:
    """Linked articles (auto or confirmed links; a record's accepted suggestions), newest
    first up to the limit, a story told by several outlets merged into one row."""
    if (
        ctx.tags
        and ctx.session.execute(
            select(FeedTag.id).where(FeedTag.tag.in_(ctx.tags)).limit(1)
        ).first()
        is None
    ):
        return []
    stmt = (
        select(*_ARTICLE_COLUMNS)
        .join(Feed, Feed.id == Article.feed_id)
        .outerjoin(Story, Story.id == Article.story_id)
    )
    since, until = _dated_bounds(ctx)
    if actor_ids is not None and record_id is None and not ctx.tags:
        from tracker.query import actor_articles as aa

        if ctx.articles is None:
            ctx.articles = aa.choose(0, None, 0)
        found = aa.newest(ctx.session, actor_ids, ctx.limit, ctx.articles, since, until)
        ids = [i for i, _ in found]
        stmt = stmt.where(in_ids(ctx.session, Article.id, ids)) if ids else stmt.where(false())
    else:
        if actor_ids is not None:
            stmt = stmt.where(
                select(ArticleActor.id)
                .where(ArticleActor.article_id == Article.id, *_links(actor_ids))
                .exists()
            )
        if record_id is not None:
            accepted = select(RecordSuggestion.article_id).where(
                RecordSuggestion.record_id == record_id, RecordSuggestion.status == "accepted"
            )
            stmt = stmt.where(Article.id.in_(accepted))
        stmt = stmt.where(Article.published_at.is_not(None))
        if since is not None:
            stmt = stmt.where(Article.published_at >= since)
        if until is not None:
            stmt = stmt.where(Article.published_at <= until)
        if ctx.tags:
            stmt = stmt.where(
                Article.feed_id.in_(select(FeedTag.feed_id).where(FeedTag.tag.in_(ctx.tags)))
            )
    stmt = _newest(stmt, ctx, Article.published_at, Article.id)
    seen: set[int] = set()
    stories: dict[int, list[TimelineRow]] = {}
    titles: dict[int, str | None] = {}
    out: list[TimelineRow] = []
    oldest: date | None = None
    for row in _run(ctx.session, stmt, ctx.params):
        if row.id in seen:
            continue
        seen.add(row.id)
        oldest = row.published_at.date()
        precision = row.published_precision if row.published_precision != "time" else "day"
        pd = partial_of(row.published_at, precision)
        if not ctx.keep(pd):
            continue
        assert pd is not None
        outlet = row.feed_name or row.feed_title or row.feed_url
        title = row.title or row.link or "(untitled)"
        item = TimelineRow(pd, "article", "published", title, story_id=row.story_id,
                           sources=(SourceRef(title, row.link, outlet, pd.iso()),))  # fmt: skip
        if row.story_id is not None:
            stories.setdefault(row.story_id, []).append(item)
            titles[row.story_id] = row.story_title
        else:
            out.append(item)
    out.extend(_merge_stories(stories, titles))
    if ctx.limit is not None and len(seen) >= ctx.limit and ctx.as_of is None and oldest:
        # Older articles were left out, so the timeline is complete from this day on only
        # (stories merge several articles into a row: count articles, not rows).
        ctx.floor = oldest
    return out


def _merge_stories(
    stories: dict[int, list[TimelineRow]], titles: dict[int, str | None]
) -> list[TimelineRow]:
    """One row per story: its earliest report, every outlet as a source."""
    out = []
    for story_id, items in stories.items():
        items.sort(key=TimelineRow.sort_key)
        sources: list[SourceRef] = []
        for it in items:
            sources.extend(s for s in it.sources if s not in sources)
        title = items[0].title if len(items) == 1 else (titles.get(story_id) or items[0].title)
        out.append(replace(items[0], title=title, sources=tuple(sources)))
    return out
