"""Uncertain matches an import queued (import_reviews): list them and decide.

Accepting a pair merges the imported actor into the existing one with the linking
package's merge (aliases, ids, roles, designations move over); rejecting keeps them apart
for good. A decided pair is never queued again: re-imports look up both actors by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.errors import NotFound, UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Review:
    id: int
    dataset: str
    name: str
    actor: str  # slug of the actor the import created
    candidate: str  # slug of the existing actor it may be
    score: float
    reason: str
    status: str


def list_reviews(session: Session, *, status: str = "pending", limit: int = 100) -> list[Review]:
    from sqlalchemy import select

    from tracker.models.legislation import ImportReview

    stmt = select(ImportReview).order_by(ImportReview.score.desc(), ImportReview.id).limit(limit)
    if status != "all":
        stmt = stmt.where(ImportReview.status == status)
    return [_view(r) for r in session.scalars(stmt)]


def decide(session: Session, review_id: int, *, accept: bool, by: str = "user") -> Review:
    """Accept (merge the imported actor into the candidate) or reject one pair; no commit."""
    from tracker.models.legislation import ImportReview

    row = session.get(ImportReview, review_id)
    if row is None:
        raise NotFound(f"no import review #{review_id}")
    if row.status != "pending":
        raise UsageError(f"import review #{review_id} was already {row.status}")
    if accept:
        from tracker.linking.dedupe import merge_actors

        merge_actors(session, row.candidate, row.actor, by=by)
    row.status = "accepted" if accept else "rejected"
    session.flush()
    return _view(row)


def _view(r: object) -> Review:
    return Review(
        id=r.id,
        dataset=r.dataset,
        name=r.name,
        actor=r.actor.slug,  # type: ignore[attr-defined]
        candidate=r.candidate.slug,
        score=r.score,
        reason=r.reason or "",  # type: ignore[attr-defined]
        status=r.status,  # type: ignore[attr-defined]
    )
