"""Writing claims, append-only: add (idempotent by claim key), supersede, retract, and
reconcile one source's statements on a field. Never updates a statement or deletes a row.

tracker.records.claims re-exports everything here; import from there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.dates import PartialDate, utcnow
from tracker.models import Actor, Claim, Record, Source


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
