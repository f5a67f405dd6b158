"""A measure's child rows from the official record: titles, official sponsors and
cosponsors, committee referrals, official actions, votes, related measures and laws.

Each kind is compared with what the import wrote before, as a whole; when it differs the
old rows are deleted and the new ones queued for one bulk insert per table. Rows a person
added (curated actions and sponsors) are never touched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from tracker.legislation.parsed import ParsedMeasure

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.legislation.store import Store

OFFICIAL_NOTE = "official record"


def _replace(
    s: Session,
    model: Any,
    existing: Sequence[tuple[int, tuple[Any, ...]]],
    wanted: Sequence[tuple[Any, ...]],
    columns: Sequence[str],
    fixed: dict[str, Any],
    batch: dict[Any, list[dict[str, Any]]],
) -> tuple[int, int]:
    """Make the owned rows of `model` equal `wanted` (compared as tuples); (added, removed).

    Old rows are deleted now; new rows are queued in `batch` for one bulk insert per table.
    """
    if not existing:  # a new measure, or a kind it had none of: nothing to compare
        if wanted:
            keys, tail = (*columns, *fixed), tuple(fixed.values())
            rows = batch.setdefault(model, [])
            rows.extend(dict(zip(keys, row + tail, strict=True)) for row in wanted)
        return len(wanted), 0
    from sqlalchemy import delete

    have = [row for _, row in existing]
    if have == list(wanted):
        return 0, 0
    ids = [i for i, _ in existing]
    if ids:
        s.execute(
            delete(model).where(model.id.in_(ids)).execution_options(synchronize_session=False)
        )
    rows = batch.setdefault(model, [])
    rows.extend(dict(zip(columns, row, strict=True), **fixed) for row in wanted)
    if not have:
        return len(wanted), 0
    diff_add = Counter(wanted) - Counter(have)
    diff_del = Counter(have) - Counter(wanted)
    return sum(diff_add.values()), sum(diff_del.values())


def _rows(
    s: Session, model: Any, columns: Iterable[str], *where: Any
) -> list[tuple[int, tuple[Any, ...]]]:
    from sqlalchemy import select

    cols = [getattr(model, c) for c in columns]
    stmt = select(model.id, *cols).where(*where).order_by(model.id)
    return [(r[0], tuple(r[1:])) for r in s.execute(stmt)]


def sync_children(
    store: Store,
    mid: int,
    parsed: ParsedMeasure,
    source_id: int,
    imports: dict[str, Any],
    fresh: bool,
    batch: dict[Any, list[dict[str, Any]]],
) -> list[str]:
    """Child rows of one measure; `fresh` (just created) skips reading what cannot exist.
    Filters are built lazily: for a new measure no SQL expression is made at all."""
    from sqlalchemy import func, select

    from tracker.models import MeasureAction, RecordActor
    from tracker.models.legislation import (
        MeasureCommittee,
        MeasureLaw,
        MeasureTitle,
        RecordedVote,
        RelatedMeasure,
    )

    s = store.session
    changed: list[str] = []
    official = {i.source_id for i in imports.values() if i.source_id} | {source_id}

    def sync(
        what: str,
        model: Any,
        columns: list[str],
        wanted: list[tuple[Any, ...]],
        owner: str = "measure_id",
        where: Any = None,
    ) -> None:
        existing = (
            []
            if fresh
            else _rows(s, model, columns, getattr(model, owner) == mid, *(where() if where else ()))
        )
        added, removed = _replace(s, model, existing, wanted, columns, {owner: mid}, batch)
        if (added or removed) and not fresh:  # a new measure is reported as added, whole
            changed.append(f"{what} +{added}/-{removed}")

    sync(
        "titles",
        MeasureTitle,
        ["kind", "title", "title_type", "position"],
        [(t.kind, t.title, t.title_type, i) for i, t in enumerate(parsed.titles)],
    )

    ids = store.people.resolve([*parsed.sponsors, *parsed.cosponsors])
    curated = (
        set()
        if fresh
        else set(
            s.execute(
                select(RecordActor.actor_id, RecordActor.role).where(
                    RecordActor.record_id == mid,
                    RecordActor.note.is_(None) | ~RecordActor.note.startswith(OFFICIAL_NOTE),
                )
            ).all()
        )
    )
    people: dict[tuple[int, str], tuple[Any, ...]] = {}
    for role, group in (("sponsor", parsed.sponsors), ("cosponsor", parsed.cosponsors)):
        for i, ref in enumerate(group):
            key = (ids[ref], role)
            if key in curated:
                continue
            end = ref.withdrawn_on
            if end and ref.joined_on and end < ref.joined_on:
                end = ref.joined_on
            original = ref.original and role == "cosponsor"
            note = OFFICIAL_NOTE + ("; original cosponsor" if original else "")
            people[key] = (ids[ref], role, i, ref.joined_on, end, note)
    sync(
        "sponsors",
        RecordActor,
        ["actor_id", "role", "position", "start_on", "end_on", "note"],
        sorted(people.values(), key=lambda r: (r[1], r[2], r[0])),
        "record_id",
        lambda: (RecordActor.note.startswith(OFFICIAL_NOTE),),
    )

    sync(
        "committees",
        MeasureCommittee,
        ["code", "name", "chamber", "activity", "acted_on", "committee_id"],
        [
            (
                c.code,
                c.name[:300],
                c.chamber,
                c.activity[:60],
                c.acted_on,
                store.committees.get(c.code),
            )
            for c in parsed.committees
        ],
    )

    base = (
        None
        if fresh
        else s.scalar(
            select(func.max(MeasureAction.position)).where(
                MeasureAction.measure_id == mid,
                MeasureAction.source_id.not_in(official) | MeasureAction.source_id.is_(None),
            )
        )
    )
    start = 0 if base is None else base + 1  # after the actions a person added
    sync(
        "actions",
        MeasureAction,
        [
            "position",
            "acted_on",
            "acted_on_precision",
            "action_type",
            "text",
            "chamber",
            "code",
            "source_id",
        ],
        [
            (
                start + i,
                a.acted_on,
                "day",
                a.action_type[:40],
                a.text,
                a.chamber,
                (a.code or None) and a.code[:20],
                source_id,
            )
            for i, a in enumerate(parsed.actions)
        ],
        where=lambda: (MeasureAction.source_id.in_(official),),
    )

    sync(
        "votes",
        RecordedVote,
        [
            "chamber",
            "congress",
            "session",
            "roll_number",
            "voted_on",
            "question",
            "result",
            "yeas",
            "nays",
            "url",
        ],
        [
            (
                v.chamber,
                v.congress,
                v.session,
                v.roll_number,
                v.voted_on,
                v.question,
                v.result and v.result[:40],
                v.yeas,
                v.nays,
                v.url and v.url[:500],
            )
            for v in parsed.votes
        ],
    )

    related = [(r.official_id, r.relation[:120], r.identified_by) for r in parsed.related]
    if parsed.amends_amendment_ref:
        related.append((parsed.amends_amendment_ref, "Amends amendment", None))
    sync(
        "related",
        RelatedMeasure,
        ["related_ref", "relation", "identified_by", "related_id"],
        [(*r, store.loaded.get(r[0])) for r in related],
    )
    sync("laws", MeasureLaw, ["law_type", "number"], list(parsed.laws))
    return changed
