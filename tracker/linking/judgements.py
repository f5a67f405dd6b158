"""Review decisions: an append-only log per (article, actor) pair.

A decision (accept / reject) supersedes the one in force; `undo` cancels the one in force
and brings back the one before it. Rows are never edited except to set `superseded_by_id`
on the row a newer row replaced, so the log keeps who decided what, when, at what score.
The decision in force is found by replaying the log (`in_force`), and re-linking applies it:
an accepted pair stays confirmed, a rejected pair is never suggested again.
"""

from __future__ import annotations

import getpass
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.errors import NotFound, UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models.links import LinkJudgement

Pair = tuple[int, int]  # (article_id, actor_id)


@dataclass(frozen=True)
class Decision:
    id: int
    article_id: int
    actor_id: int
    decision: str
    decided_by: str
    score: float | None
    note: str | None


def default_user() -> str:
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no login name in some containers
        return "unknown"


def _replay(rows: Iterable[LinkJudgement]) -> dict[Pair, list[LinkJudgement]]:
    stacks: dict[Pair, list[LinkJudgement]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.id):
        stack = stacks[(row.article_id, row.actor_id)]
        if row.decision == "undo":
            if stack:
                stack.pop()
        else:
            stack.append(row)
    return stacks


def in_force(session: Session, article_ids: Iterable[int]) -> dict[Pair, str]:
    """The decision in force ('accept' / 'reject') for every judged pair of these articles."""
    from sqlalchemy import select

    from tracker.models.links import LinkJudgement

    ids = sorted(set(article_ids))
    rows: list[LinkJudgement] = []
    for i in range(0, len(ids), 900):
        rows.extend(
            session.scalars(
                select(LinkJudgement).where(LinkJudgement.article_id.in_(ids[i : i + 900]))
            )
        )
    return {pair: stack[-1].decision for pair, stack in _replay(rows).items() if stack}


def decide(
    session: Session,
    article_id: int,
    actor_id: int,
    decision: str,
    *,
    by: str | None = None,
    score: float | None = None,
    note: str | None = None,
) -> Decision:
    """Append a decision for a pair and return it; `undo` needs a decision to cancel."""
    from sqlalchemy import select

    from tracker.models.links import DECISIONS, LinkJudgement

    if decision not in DECISIONS:
        raise UsageError(f"unknown decision {decision!r}; use one of {', '.join(DECISIONS)}")
    rows = list(
        session.scalars(
            select(LinkJudgement).where(
                LinkJudgement.article_id == article_id, LinkJudgement.actor_id == actor_id
            )
        )
    )
    stack = _replay(rows).get((article_id, actor_id), [])
    if decision == "undo" and not stack:
        raise NotFound(f"no decision to undo for article {article_id} and actor {actor_id}")
    row = LinkJudgement(
        article_id=article_id,
        actor_id=actor_id,
        decision=decision,
        decided_by=by or default_user(),
        score=score,
        note=note,
    )
    session.add(row)
    session.flush()
    if stack:
        stack[-1].superseded_by_id = row.id
    return Decision(row.id, article_id, actor_id, decision, row.decided_by, score, note)


def history(session: Session, article_id: int, actor_id: int) -> list[Decision]:
    """Every decision about a pair, oldest first."""
    from sqlalchemy import select

    from tracker.models.links import LinkJudgement

    rows = session.scalars(
        select(LinkJudgement)
        .where(LinkJudgement.article_id == article_id, LinkJudgement.actor_id == actor_id)
        .order_by(LinkJudgement.id)
    )
    return [
        Decision(r.id, r.article_id, r.actor_id, r.decision, r.decided_by, r.score, r.note)
        for r in rows
    ]
