"""Values and helpers shared by the query modules: source references, date windows,
actor/record resolution (through tracker.records.lookup when it is available)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.dates import PartialDate, parse_partial
from tracker.errors import UsageError
from tracker.models import Actor, Record

ARTICLE_LINK_STATUSES = ("auto", "confirmed")


@dataclass(frozen=True)
class SourceRef:
    """Where a row comes from: a record source, a claim's source or a feed article."""

    title: str
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO partial date

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published,
        }


@dataclass(frozen=True)
class ActorRef:
    id: int
    slug: str
    name: str
    kind: str


def partial_of(value: object, precision: str | None = None) -> PartialDate | None:
    """A PartialDate from a column value (date/datetime + precision) or a claim value."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        p = precision if precision in ("day", "month", "year") else "day"
        return PartialDate(value, p)
    try:
        return PartialDate.of(value)
    except (UsageError, ValueError, TypeError):
        return None


def overlaps(pd: PartialDate, since: date | None, until: date | None) -> bool:
    """Whether a partial date's span meets the [since, until] window."""
    if since is not None and pd.end < since:
        return False
    return not (until is not None and pd.start > until)


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time.max)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min)


def year_before(day: date) -> date:
    """A coarse SQL lower bound: a year-precision date starts at most ~a year before its end."""
    return day - timedelta(days=366)


def source_from_claim(view: Any) -> SourceRef:
    return SourceRef(
        title=view.source_title,
        url=view.source_url,
        outlet=view.source_outlet,
        published=view.source_published,
    )


def resolve_actor(session: Session, name: str) -> ActorRef:
    """The actor NAME means (fuzzy; NotFound with suggestions, Ambiguous with choices);
    a merged actor resolves to the actor it was merged into."""
    from tracker.records.lookup import find_actor

    # An exact slug of an actor that was not merged away is the common case (scripts, the
    # benchmark, links from other output): one indexed query, no ORM object.
    row = (
        session.connection()
        .execute(
            select(Actor.id, Actor.slug, Actor.name, Actor.kind).where(
                Actor.slug == name.strip(), Actor.merged_into_id.is_(None)
            )
        )
        .first()
    )
    if row is not None:
        return ActorRef(row.id, row.slug, row.name, row.kind)
    actor = find_actor(session, name)
    return ActorRef(actor.id, actor.slug, actor.name, actor.kind)


def actor_and_merged_ids(session: Session, actor_id: int) -> list[int]:
    """The actor and every actor merged into it (their links count for it)."""
    ids = [actor_id]
    frontier = [actor_id]
    while frontier:
        stmt = select(Actor.id).where(Actor.merged_into_id.in_(frontier))
        rows = session.connection().execute(stmt).scalars().all()
        frontier = [r for r in rows if r not in ids]
        ids.extend(frontier)
    return ids


def resolve_record(session: Session, name: str) -> Record:
    """The record NAME-OR-SLUG means (NotFound with suggestions / Ambiguous with choices)."""
    from tracker.records.lookup import find_record

    return find_record(session, name)


def parse_choices(
    values: Iterable[str] | None, allowed: Sequence[str], what: str = "kind"
) -> tuple[str, ...]:
    """Option values given repeatedly or comma-separated, validated against `allowed`."""
    out: list[str] = []
    for v in values or ():
        for part in str(v).split(","):
            k = part.strip().lower()
            if not k:
                continue
            if k not in allowed:
                raise UsageError(
                    f"unknown {what} {part.strip()!r} (choose from {', '.join(allowed)})"
                )
            if k not in out:
                out.append(k)
    return tuple(out)


def parse_date_option(value: str | None, option: str) -> date | None:
    """A CLI date option (YYYY[-MM[-DD]], 'June 2026', or 7d/2w/3m/1y)."""
    if value is None:
        return None
    from tracker.dates import parse_date_arg

    try:
        return parse_date_arg(value)
    except UsageError as exc:
        raise UsageError(f"{option}: {exc}") from None


def parse_until_option(value: str | None) -> date | None:
    """--until is inclusive of its whole span: 'June 2026' means up to June 30."""
    if value is None:
        return None
    s = value.strip().lower()
    if s and s[-1] in "dwmy" and s[:-1].strip().isdigit():
        return parse_date_option(value, "--until")
    try:
        return parse_partial(value).end
    except UsageError as exc:
        raise UsageError(f"--until: {exc}") from None


def in_ids(
    session: Session, column: Any, ids: list[int], *, drive: bool = True, encoded: str = ""
) -> Any:
    """`column IN ids` as ONE bound parameter (a JSON array on SQLite, an array on
    PostgreSQL): a long id list would otherwise cost a placeholder per id to compile.
    drive=False: the ids must not be looked up one by one; the rows another condition
    (a date range, a small table) yields are tested against the list (column + 0 keeps
    either planner from using the column's index for it). encoded: json.dumps(ids), when
    the same list is used by several statements."""
    from sqlalchemy import bindparam, func

    if session.get_bind().dialect.name == "sqlite":
        import json

        values = func.json_each(bindparam(None, encoded or json.dumps(ids))).table_valued("value")
        return (column if drive else column + 0).in_(select(values.c.value))
    from tracker.sqlbulk import among

    return among(column if drive else column + 0, ids, "postgresql")
