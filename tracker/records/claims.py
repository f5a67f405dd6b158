"""Claims: what each source says about a field, and the value a record shows because of it.

A record's displayed value for a field is resolved from the claims active at a moment:
the value backed by the most distinct sources wins, ties go to the value recorded first
(partial dates nest: "2026-02" backs "2026-02-23" and does not contradict it);
when active claims disagree the field is `conflicting` and every claim is kept for display.

Claims are append-only. A changed statement supersedes the old claim (superseded_at,
superseded_by_id), a withdrawn one is retracted (retracted_at); no claim is updated in
place or deleted, so `resolve_fields(..., as_of=...)` answers "what did we know then".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.dates import PartialDate, parse_partial
from tracker.errors import UsageError
from tracker.models import Actor, Claim, Record, Source
from tracker.records.claim_store import (
    ClaimChange,
    Statement,
    add_claim,
    canonical_json,
    claim_key,
    normalize_value,
    retract_claim,
    set_field_claims,
    supersede_claim,
)

__all__ = [
    "ClaimChange",
    "ClaimView",
    "ResolvedField",
    "Statement",
    "add_claim",
    "canonical_json",
    "claim_key",
    "normalize_value",
    "resolve_actor",
    "resolve_claims",
    "resolve_fields",
    "resolve_record",
    "retract_claim",
    "set_field_claims",
    "supersede_claim",
]

_CHUNK = 500


@dataclass(frozen=True)
class ClaimView:
    """One claim as shown to a reader, with the source that made it."""

    claim_id: int
    value: Any
    source_slug: str | None
    source_title: str
    source_outlet: str | None
    source_url: str | None
    source_published: str | None
    locator: str | None
    quote: str | None
    recorded_at: datetime
    retracted_at: datetime | None
    superseded_at: datetime | None
    active: bool


@dataclass(frozen=True)
class ResolvedField:
    """The value a field shows, whether its sources disagree, and the claims behind it."""

    field: str
    value: Any
    conflicting: bool
    claims: tuple[ClaimView, ...]

    @property
    def active_claims(self) -> tuple[ClaimView, ...]:
        return tuple(c for c in self.claims if c.active)

    def values(self) -> list[Any]:
        """The distinct active values, the displayed one first."""
        seen: list[str] = []
        out: list[Any] = []
        for v in [self.value, *(c.value for c in self.active_claims)]:
            key = canonical_json(v)
            if key not in seen:
                seen.append(key)
                out.append(v)
        return out


def _as_of_moment(as_of: datetime | date | None) -> datetime | None:
    """A date means "by the end of that day" (naive UTC, like every stored timestamp)."""
    if as_of is None or isinstance(as_of, datetime):
        if isinstance(as_of, datetime) and as_of.tzinfo is not None:
            from datetime import timezone

            return as_of.astimezone(timezone.utc).replace(tzinfo=None)
        return as_of
    return datetime.combine(as_of, time.max)


# -- reading -----------------------------------------------------------------------------


def _view(claim: Claim, as_of: datetime | None) -> ClaimView:
    src = claim.source
    return ClaimView(
        claim_id=claim.id,
        value=json.loads(claim.value),
        source_slug=src.slug,
        source_title=src.title,
        source_outlet=src.outlet,
        source_url=src.url,
        source_published=(
            PartialDate(src.published_on, src.published_on_precision or "day").iso()
            if src.published_on
            else None
        ),
        locator=claim.locator,
        quote=claim.quote,
        recorded_at=claim.recorded_at,
        retracted_at=_visible(claim.retracted_at, as_of),
        superseded_at=_visible(claim.superseded_at, as_of),
        active=claim.active_at(as_of),
    )


_PRECISION_RANK = {"day": 2, "month": 1, "year": 0}
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _as_partial_dates(groups: dict[str, list[Claim]]) -> dict[str, PartialDate] | None:
    """The groups' values as partial dates when every value is one, else None."""
    out: dict[str, PartialDate] = {}
    for key in groups:
        value = json.loads(key)
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            return None
        try:
            out[key] = parse_partial(value)
        except UsageError:
            return None
    return out


def _contains(outer: PartialDate, inner: PartialDate) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _visible(moment: datetime | None, as_of: datetime | None) -> datetime | None:
    """A retraction that happened after as_of was not known then."""
    if moment is None or as_of is None or moment <= as_of:
        return moment
    return None


def resolve_claims(
    field: str, claims: Iterable[Any], as_of: datetime | date | None = None
) -> ResolvedField | None:
    """Resolve one field from its claims; None when no claim is active at as_of."""
    moment = _as_of_moment(as_of)
    known = [c for c in claims if moment is None or c.recorded_at <= moment]
    active = [c for c in known if c.active_at(moment)]
    if not active:
        return None
    canon: dict[str, str] = {}

    def key_of(c: Claim) -> str:
        if c.value not in canon:
            canon[c.value] = canonical_json(json.loads(c.value))
        return canon[c.value]

    groups: dict[str, list[Claim]] = {}
    for c in active:
        groups.setdefault(key_of(c), []).append(c)
    dates = _as_partial_dates(groups)

    def supporters(key: str) -> set[int]:
        # A coarser date backs every finer date inside it ("2026-02" backs "2026-02-23").
        ids = {c.source_id for c in groups[key]}
        if dates is not None:
            for other, pd in dates.items():
                if other != key and _contains(pd, dates[key]):
                    ids |= {c.source_id for c in groups[other]}
        return ids

    def rank(key: str) -> tuple[int, int, datetime, int]:
        first = min(groups[key], key=lambda c: (c.recorded_at, c.id))
        finer = -_PRECISION_RANK[dates[key].precision] if dates is not None else 0
        return (-len(supporters(key)), finer, first.recorded_at, first.id)

    winner_key = min(groups, key=rank)
    if dates is None:
        conflicting = len(groups) > 1
    else:
        # Dates conflict only when they cannot both be true (disjoint ranges).
        values = list(dates.values())
        conflicting = any(
            not (_contains(a, b) or _contains(b, a))
            for i, a in enumerate(values)
            for b in values[i + 1 :]
        )
    ordered = sorted(
        known,
        key=lambda c: (
            not c.active_at(moment),
            key_of(c) != winner_key,
            c.recorded_at,
            c.id,
        ),
    )
    return ResolvedField(
        field=field,
        value=json.loads(winner_key),
        conflicting=conflicting,
        claims=tuple(_view(c, moment) for c in ordered),
    )


@dataclass(frozen=True)
class _Src:
    slug: str | None
    title: str
    outlet: str | None
    url: str | None
    published_on: date | None
    published_on_precision: str | None


@dataclass(frozen=True)
class _Row:
    """A claim read as plain columns (resolving many records need not build ORM objects)."""

    id: int
    record_id: int
    field: str
    value: str
    source_id: int
    locator: str | None
    quote: str | None
    recorded_at: datetime
    retracted_at: datetime | None
    superseded_at: datetime | None
    source: _Src

    active_at = Claim.active_at


_ROW_COLUMNS = (
    Claim.id, Claim.record_id, Claim.field, Claim.value, Claim.source_id, Claim.locator,
    Claim.quote, Claim.recorded_at, Claim.retracted_at, Claim.superseded_at,
)  # fmt: skip
_SRC_COLUMNS = (
    Source.slug, Source.title, Source.outlet, Source.url, Source.published_on,
    Source.published_on_precision,
)  # fmt: skip


def resolve_fields(
    session: Session, record_ids: list[int], as_of: datetime | date | None = None
) -> dict[int, dict[str, ResolvedField]]:
    """For each record id, its fields resolved from the claims active at `as_of`.

    Every requested id is a key (an empty dict when the record has no active claims).
    A date `as_of` means the end of that day; None means now.
    """
    moment = _as_of_moment(as_of)
    result: dict[int, dict[str, ResolvedField]] = {rid: {} for rid in record_ids}
    ids = list(dict.fromkeys(record_ids))
    grouped: dict[tuple[int, str], list[_Row]] = {}
    sources: dict[int, _Src] = {}
    for i in range(0, len(ids), _CHUNK):
        stmt = (
            select(*_ROW_COLUMNS, *_SRC_COLUMNS)
            .join(Source, Source.id == Claim.source_id)
            .where(Claim.record_id.in_(ids[i : i + _CHUNK]))
            .order_by(Claim.id)
        )
        if moment is not None:
            stmt = stmt.where(Claim.recorded_at <= moment)
        for row in session.execute(stmt):
            n = len(_ROW_COLUMNS)
            src = sources.get(row[4])
            if src is None:
                src = sources[row[4]] = _Src(*row[n:])
            claim = _Row(*row[:n], source=src)
            grouped.setdefault((claim.record_id, claim.field), []).append(claim)
    for (rid, field), claims in sorted(grouped.items()):
        resolved = resolve_claims(field, claims, moment)
        if resolved is not None:
            result[rid][field] = resolved
    return result


def resolve_record(
    session: Session, record: Record, as_of: datetime | date | None = None
) -> dict[str, ResolvedField]:
    """One record's fields resolved from its claims (see resolve_fields)."""
    return resolve_fields(session, [record.id], as_of)[record.id]


def resolve_actor(
    session: Session, actor: Actor, as_of: datetime | date | None = None
) -> dict[str, ResolvedField]:
    """An actor's claimed fields, resolved the same way as a record's."""
    moment = _as_of_moment(as_of)
    stmt = (
        select(Claim)
        .where(Claim.actor_id == actor.id)
        .options(selectinload(Claim.source))
        .order_by(Claim.id)
    )
    if moment is not None:
        stmt = stmt.where(Claim.recorded_at <= moment)
    grouped: dict[str, list[Claim]] = {}
    for claim in session.scalars(stmt):
        grouped.setdefault(claim.field, []).append(claim)
    out: dict[str, ResolvedField] = {}
    for field, claims in sorted(grouped.items()):
        resolved = resolve_claims(field, claims, moment)
        if resolved is not None:
            out[field] = resolved
    return out
