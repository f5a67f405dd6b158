"""Duplicate actors: score candidate pairs (an xref), record decisions, merge.

Scoring is separate from deciding, as in nomenklatura's xref: `candidates` blocks actors
by their distinctive name words, scores each pair with rapidfuzz over all their names, and
skips pairs already judged. `judge` appends a decision ('same' / 'different' / 'undo') to
`actor_judgements`; `merge_actors` moves everything that points at the duplicate (aliases,
ids, roles, record roles, claims, article links, judgements, children) to the actor kept,
and leaves the duplicate in place with `merged_into_id` set, for provenance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from tracker.errors import UsageError, ValidationError
from tracker.linking.judgements import default_user
from tracker.linking.normalize import common_words, despace, name_variants, normalize

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models import Actor

MAX_BLOCK = 40  # a word shared by more actors than this says nothing about any pair
_COMPATIBLE = {"company": "org", "ai_lab": "org", "organization": "org"}


@dataclass(frozen=True)
class PairScore:
    left_id: int
    left: str  # slug
    right_id: int
    right: str
    score: float  # 0–1
    reason: str


def _names(a: Actor) -> set[str]:
    out = {normalize(a.name)} | {x.normalized for x in a.aliases if x.origin != "generated"}
    for text in [a.name, *(x.alias for x in a.aliases if x.origin != "generated")]:
        out.update(n for n, note in name_variants(text, a.kind) if note not in ("surname",))
    return {n for n in out if n}


def judged_pairs(session: Session) -> dict[tuple[int, int], str]:
    """The decision in force for every judged actor pair (replaying the append-only log)."""
    from sqlalchemy import select

    from tracker.models.links import ActorJudgement

    stacks: dict[tuple[int, int], list[str]] = defaultdict(list)
    for row in session.scalars(select(ActorJudgement).order_by(ActorJudgement.id)):
        stack = stacks[(row.left_id, row.right_id)]
        if row.decision == "undo":
            if stack:
                stack.pop()
        else:
            stack.append(row.decision)
    return {pair: s[-1] for pair, s in stacks.items() if s}


def score_pair(a_names: set[str], b_names: set[str]) -> tuple[float, str]:
    best, why = 0.0, ""
    for x in a_names:
        for y in b_names:
            s = fuzz.token_sort_ratio(x, y) / 100.0
            if s > best:
                best, why = s, f'"{x}" ~ "{y}"'
    return best, why


def candidates(session: Session, *, threshold: float = 0.85, limit: int = 100) -> list[PairScore]:
    """Likely duplicate actor pairs, best first; pairs already judged are skipped."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from tracker.models import Actor

    actors = list(
        session.scalars(
            select(Actor)
            .where(Actor.merged_into_id.is_(None))
            .options(selectinload(Actor.aliases), selectinload(Actor.external_ids))
        )
    )
    names = {a.id: _names(a) for a in actors}
    ids = {a.id: a.ids() for a in actors}
    by_id = {a.id: a for a in actors}
    common = common_words()
    blocks: dict[str, set[int]] = defaultdict(set)
    for a in actors:
        for n in names[a.id]:
            blocks[despace(n)].add(a.id)  # "deep seek" and "deepseek" meet here
            for w in n.split():
                if len(w) >= 3 and w not in common:
                    blocks[w].add(a.id)
    judged = judged_pairs(session)
    seen: set[tuple[int, int]] = set()
    out = []
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for i in sorted(members):
            for j in sorted(members):
                if j <= i or (i, j) in seen:
                    continue
                seen.add((i, j))
                if (i, j) in judged:
                    continue
                a, b = by_id[i], by_id[j]
                if _COMPATIBLE.get(a.kind, a.kind) != _COMPATIBLE.get(b.kind, b.kind):
                    continue
                # (an id is unique to one actor, so two actors with ids in the same scheme
                # are known to be different: a different bioguide id, a different person)
                if set(ids[i]) & set(ids[j]):
                    continue
                score, why = score_pair(names[i], names[j])
                if score >= threshold:
                    out.append(PairScore(i, a.slug, j, b.slug, round(score, 4), why))
    out.sort(key=lambda p: (-p.score, p.left, p.right))
    return out[:limit]


def judge(
    session: Session, a_id: int, b_id: int, decision: str, *, by: str | None = None,
    score: float | None = None, note: str | None = None,
) -> None:  # fmt: skip
    """Append a decision about whether two actors are one."""
    from sqlalchemy import select

    from tracker.models.links import ACTOR_DECISIONS, ActorJudgement

    if decision not in ACTOR_DECISIONS:
        raise UsageError(f"unknown decision {decision!r}; use one of {', '.join(ACTOR_DECISIONS)}")
    if a_id == b_id:
        raise UsageError("an actor cannot be judged against itself")
    left, right = sorted((a_id, b_id))
    prev = session.scalars(
        select(ActorJudgement)
        .where(
            ActorJudgement.left_id == left,
            ActorJudgement.right_id == right,
            ActorJudgement.superseded_by_id.is_(None),
        )
        .order_by(ActorJudgement.id.desc())
    ).first()
    row = ActorJudgement(
        left_id=left, right_id=right, decision=decision, decided_by=by or default_user(),
        score=score, note=note,
    )  # fmt: skip
    session.add(row)
    session.flush()
    if prev is not None:
        prev.superseded_by_id = row.id


def _repoint(session: Session, keep: int, drop: int) -> None:
    """Point every foreign key at actors.id from `drop` to `keep`, dropping rows of the
    duplicate that would repeat a row the kept actor already has."""
    from sqlalchemy import and_, delete, exists, select, update

    from tracker.models import Base

    actors = Base.metadata.tables["actors"]
    for table in Base.metadata.sorted_tables:
        if table.name in ("actor_judgements",):
            continue  # history about the pair itself
        for fk in table.foreign_keys:
            if fk.column is not actors.c.id:
                continue
            col = fk.parent
            uniques = [
                c
                for c in table.constraints
                if c.__class__.__name__ == "UniqueConstraint" and col.name in c.columns
            ]
            for uc in uniques:
                others = [c for c in uc.columns if c.name != col.name]
                if not others:
                    continue
                twin = table.alias("twin")
                clash = exists(
                    select(1)
                    .select_from(twin)
                    .where(twin.c[col.name] == keep, *[twin.c[o.name] == o for o in others])
                )
                session.execute(delete(table).where(and_(col == drop, clash)))
            session.execute(update(table).where(col == drop).values({col.name: keep}))


def merge_actors(session: Session, keep: Actor, drop: Actor, *, by: str | None = None) -> None:
    """Merge `drop` into `keep` (no commit). Refuses actors with conflicting external ids."""
    from tracker.linking.gazetteer import sync_generated_aliases
    from tracker.models import ActorAlias

    if keep.id == drop.id:
        raise UsageError(f"{keep.slug} and {drop.slug} are the same actor")
    if drop.merged_into_id is not None:
        raise UsageError(f"{drop.slug} was already merged into another actor")
    mine, theirs = keep.ids(), drop.ids()
    clash = sorted(s for s in set(mine) & set(theirs) if mine[s] != theirs[s])
    if clash:
        raise ValidationError(
            f"cannot merge {drop.slug} into {keep.slug}: different {', '.join(clash)} ids"
        )
    if keep.parent_id == drop.id:
        keep.parent_id = drop.parent_id if drop.parent_id != keep.id else None
    if drop.parent_id == keep.id:
        drop.parent_id = None
    have = {a.normalized for a in keep.aliases}
    for text in (drop.name,):
        norm = normalize(text)
        if norm and norm not in have and norm != normalize(keep.name):
            keep.aliases.append(
                ActorAlias(alias=text, normalized=norm, origin="curated", note="merged")
            )
    session.flush()
    _repoint(session, keep.id, drop.id)
    session.expire_all()
    drop.merged_into_id = keep.id
    judge(session, keep.id, drop.id, "same", by=by, note=f"merged {drop.slug} into {keep.slug}")
    session.flush()
    sync_generated_aliases(session)
