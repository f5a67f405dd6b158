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

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.dates import PartialDate, parse_partial, utcnow
from tracker.errors import UsageError
from tracker.models import Actor, Claim, Record, Source

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


@dataclass(frozen=True)
class ClaimChange:
    """What set_field_claims did: claims added, superseded and retracted."""

    added: int = 0
    superseded: int = 0
    retracted: int = 0

    def __add__(self, other: ClaimChange) -> ClaimChange:
        return ClaimChange(
            self.added + other.added,
            self.superseded + other.superseded,
            self.retracted + other.retracted,
        )

    @property
    def changed(self) -> bool:
        return bool(self.added or self.superseded or self.retracted)


# -- values ------------------------------------------------------------------------------


def normalize_value(value: Any) -> Any:
    """The JSON-compatible form of a claim value (dates become PartialDate ISO strings)."""
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): normalize_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [normalize_value(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    """Canonical JSON text, so equal values compare equal as strings."""
    return json.dumps(
        normalize_value(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def claim_key(target: str, field: str, value: Any, source_id: int, locator: str | None) -> str:
    """sha256 of target|field|canonical value|source|locator: a claim's identity."""
    raw = "|".join([target, field, canonical_json(value), str(source_id), locator or ""])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _target(record: Record | None, actor: Actor | None) -> tuple[str, dict[str, int]]:
    if (record is None) == (actor is None):
        raise ValueError("a claim is about exactly one record or one actor")
    if record is not None:
        return f"record:{record.id}", {"record_id": record.id}
    assert actor is not None
    return f"actor:{actor.id}", {"actor_id": actor.id}


def _as_of_moment(as_of: datetime | date | None) -> datetime | None:
    """A date means "by the end of that day" (naive UTC, like every stored timestamp)."""
    if as_of is None or isinstance(as_of, datetime):
        if isinstance(as_of, datetime) and as_of.tzinfo is not None:
            from datetime import timezone

            return as_of.astimezone(timezone.utc).replace(tzinfo=None)
        return as_of
    return datetime.combine(as_of, time.max)


# -- writing (append-only) ---------------------------------------------------------------


def add_claim(
    session: Session,
    *,
    field: str,
    value: Any,
    source: Source,
    record: Record | None = None,
    actor: Actor | None = None,
    locator: str | None = None,
    quote: str | None = None,
    recorded_at: datetime | None = None,
    note: str | None = None,
) -> Claim:
    """Record that `source` states `field = value`; returns the existing active claim if the
    same statement (same key) is already on file, so adding twice changes nothing."""
    session.flush()
    target, fk = _target(record, actor)
    key = claim_key(target, field, value, source.id, locator)
    existing = session.scalars(
        select(Claim).where(
            Claim.claim_key == key, Claim.retracted_at.is_(None), Claim.superseded_at.is_(None)
        )
    ).first()
    if existing is not None:
        return existing
    claim = Claim(
        field=field,
        value=canonical_json(value),
        source_id=source.id,
        locator=locator,
        quote=quote,
        claim_key=key,
        recorded_at=recorded_at or utcnow(),
        note=note,
        **fk,
    )
    session.add(claim)
    session.flush()
    return claim


def supersede_claim(session: Session, old: Claim, new: Claim, at: datetime | None = None) -> None:
    """Mark `old` as replaced by `new` (from `at`, default: when `new` was recorded)."""
    moment = at or new.recorded_at
    old.superseded_at = max(moment, old.recorded_at)
    old.superseded_by_id = new.id
    session.flush()


def retract_claim(session: Session, claim: Claim, at: datetime | None = None) -> None:
    """Withdraw a claim from `at` (default now); it stays on file for as-of reads."""
    claim.retracted_at = max(at or utcnow(), claim.recorded_at)
    session.flush()


@dataclass(frozen=True)
class Statement:
    """One value a source states for a field (input to set_field_claims)."""

    value: Any
    locator: str | None = None
    quote: str | None = None
    recorded_at: datetime | None = None


def set_field_claims(
    session: Session,
    *,
    field: str,
    source: Source,
    statements: Sequence[Statement],
    record: Record | None = None,
    actor: Actor | None = None,
    now: datetime | None = None,
    note: str | None = None,
) -> ClaimChange:
    """Make `source`'s active claims on `field` exactly `statements`, append-only.

    Statements already on file are left alone (no churn); new ones are added; active
    claims no longer stated are superseded by a new statement when there is one, else
    retracted. Passing no statements withdraws everything the source said on the field.
    With `note`, only claims carrying that note are managed (and new ones get it), so a
    records file never withdraws what another part of tracker recorded.
    """
    target, fk = _target(record, actor)
    now = now or utcnow()
    column = Claim.record_id if record is not None else Claim.actor_id
    active = list(
        session.scalars(
            select(Claim)
            .where(
                column == next(iter(fk.values())),
                Claim.field == field,
                Claim.source_id == source.id,
                Claim.retracted_at.is_(None),
                Claim.superseded_at.is_(None),
                *([Claim.note == note] if note is not None else []),
            )
            .order_by(Claim.id)
        )
    )
    by_key = {c.claim_key: c for c in active}
    wanted: dict[str, Statement] = {}
    for st in statements:
        wanted.setdefault(claim_key(target, field, st.value, source.id, st.locator), st)
    added: list[Claim] = []
    for key, st in wanted.items():
        if key in by_key:
            continue
        added.append(
            add_claim(
                session,
                field=field,
                value=st.value,
                source=source,
                record=record,
                actor=actor,
                locator=st.locator,
                quote=st.quote,
                recorded_at=st.recorded_at or now,
                note=note,
            )
        )
    superseded = retracted = 0
    for claim in active:
        if claim.claim_key in wanted:
            continue
        if added:
            # A correction: the old claim stops counting when its replacement starts
            # (clamped so it never ends before it began), so no moment shows both.
            supersede_claim(session, claim, added[0])
            superseded += 1
        else:
            retract_claim(session, claim, at=now)
            retracted += 1
    return ClaimChange(len(added), superseded, retracted)


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
    field: str, claims: Iterable[Claim], as_of: datetime | date | None = None
) -> ResolvedField | None:
    """Resolve one field from its claims; None when no claim is active at as_of."""
    moment = _as_of_moment(as_of)
    known = [c for c in claims if moment is None or c.recorded_at <= moment]
    active = [c for c in known if c.active_at(moment)]
    if not active:
        return None
    groups: dict[str, list[Claim]] = {}
    for c in active:
        groups.setdefault(canonical_json(json.loads(c.value)), []).append(c)
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
            canonical_json(json.loads(c.value)) != winner_key,
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
    grouped: dict[tuple[int, str], list[Claim]] = {}
    for i in range(0, len(ids), _CHUNK):
        stmt = (
            select(Claim)
            .where(Claim.record_id.in_(ids[i : i + _CHUNK]))
            .options(selectinload(Claim.source))
            .order_by(Claim.id)
        )
        if moment is not None:
            stmt = stmt.where(Claim.recorded_at <= moment)
        for claim in session.scalars(stmt):
            assert claim.record_id is not None
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
