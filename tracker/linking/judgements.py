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
    from tracker.sqlbulk import among, chunks, dialect_of

    ids = sorted(set(article_ids))
    rows: list[LinkJudgement] = []
    dialect = dialect_of(session)
    for part in chunks(ids, dialect):
        rows.extend(
            session.scalars(
                select(LinkJudgement).where(among(LinkJudgement.article_id, part, dialect))
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


@dataclass(frozen=True)
class LinkDecision:
    """A decision applied to a stored link: the log row and the link's new status."""

    link_id: int
    decision: Decision
    status: str


def decide_link(
    session: Session,
    link_id: int,
    decision: str,
    *,
    by: str | None = None,
    note: str | None = None,
) -> LinkDecision:
    """Accept, reject or undo the decision on one stored link (by ArticleActor id)."""
    from tracker.linking.matcher import LinkConfig
    from tracker.models.links import ArticleActor

    link = session.get(ArticleActor, link_id)
    if link is None:
        raise NotFound(f"no link with id {link_id} (see `tracker review --json`)")
    d = decide(
        session, link.article_id, link.actor_id, decision, by=by, score=link.score, note=note
    )
    now = in_force(session, [link.article_id]).get((link.article_id, link.actor_id))
    if now == "accept":
        link.status = "confirmed"
    elif now == "reject":
        link.status = "rejected"
    else:
        link.status = LinkConfig.from_env().status(link.score) or "review"
    session.flush()
    return LinkDecision(link.id, d, link.status)


def pick_actor(
    session: Session, link_id: int, actor_id: int, *, by: str | None = None
) -> LinkDecision:
    """The link names the wrong actor: reject it and confirm `actor_id` for the same article,
    with the same mentions (method 'manual')."""
    from sqlalchemy import select

    from tracker.models.links import ArticleActor, Mention

    link = session.get(ArticleActor, link_id)
    if link is None:
        raise NotFound(f"no link with id {link_id} (see `tracker review --json`)")
    if link.actor_id == actor_id:
        raise UsageError("that is the actor the link already names; use --accept")
    decide_link(session, link_id, "reject", by=by, note=f"wrong actor; picked actor {actor_id}")
    other = session.scalars(
        select(ArticleActor).where(
            ArticleActor.article_id == link.article_id, ArticleActor.actor_id == actor_id
        )
    ).first()
    if other is None:
        other = ArticleActor(
            article_id=link.article_id,
            actor_id=actor_id,
            method="manual",
            score=1.0,
            status="confirmed",
            reason=f"picked by a reviewer instead of actor {link.actor_id}",
        )
        other.mentions = [
            Mention(start=m.start, end=m.end, text=m.text, method="manual", score=1.0)
            for m in link.mentions
        ]
        session.add(other)
        session.flush()
    return decide_link(
        session, other.id, "accept", by=by, note=f"picked instead of {link.actor_id}"
    )


def decide_suggestion(session: Session, suggestion_id: int, decision: str) -> str:
    """Accept or reject an article suggested as a source for a record; returns the status.
    Linking never changes a decided suggestion again."""
    from tracker.models.links import RecordSuggestion

    if decision not in ("accept", "reject"):
        raise UsageError(f"unknown decision {decision!r}; use accept or reject")
    row = session.get(RecordSuggestion, suggestion_id)
    if row is None:
        raise NotFound(
            f"no record suggestion with id {suggestion_id} (see `tracker review --suggestions`)"
        )
    row.status = "accepted" if decision == "accept" else "rejected"
    session.flush()
    return row.status
