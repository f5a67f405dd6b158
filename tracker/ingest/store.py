"""Writing parsed items: insert new articles, update changed ones, skip the rest.

Takes a session and does not commit (run.py owns the one-transaction-per-feed). Existence
is looked up in bulk per feed, inserts go out as one INSERT … ON CONFLICT DO NOTHING (the
(feed_id, identity) unique key makes a duplicate impossible even if two writers race; see
sqlbulk.py for how PostgreSQL gets it), and updates are one bulk UPDATE by primary key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from tracker.ingest.parse import ParsedItem
from tracker.models.feeds import Article
from tracker.sqlbulk import among, chunks, insert_rows

_LOOKUP_CHUNK = 500
_FIELDS = (
    "guid",
    "link",
    "canonical_url",
    "title",
    "author",
    "summary_html",
    "summary_text",
    "content_html",
    "content_text",
    "language",
    "published_at",
    "published_precision",
    "updated_at",
    "content_hash",
)


@dataclass(frozen=True)
class StoreResult:
    new_ids: tuple[int, ...]
    updated_ids: tuple[int, ...]
    unchanged: int

    @property
    def new(self) -> int:
        return len(self.new_ids)

    @property
    def updated(self) -> int:
        return len(self.updated_ids)


_TABLE = Article.__table__


def existing(
    session: Session, feed_id: int, identities: Sequence[str]
) -> dict[str, tuple[int, str]]:
    """identity → (article id, content hash) for those of `identities` already stored."""
    found: dict[str, tuple[int, str]] = {}
    conn = session.connection()
    dialect = conn.dialect.name
    t = _TABLE.c
    for chunk in chunks(identities, dialect, _LOOKUP_CHUNK):
        rows = conn.execute(
            select(t.identity, t.id, t.content_hash).where(
                t.feed_id == feed_id, among(t.identity, chunk, dialect)
            )
        )
        for identity, article_id, content_hash in rows:
            found[identity] = (article_id, content_hash)
    return found


def store_items(
    session: Session, feed_id: int, items: Sequence[ParsedItem], *, now: datetime
) -> StoreResult:
    """Upsert a feed's items. New → inserted (first_seen_at=now); changed → updated in place
    (first_seen_at kept, last_updated_at=now, linked_at cleared so linking runs again)."""
    if not items:
        return StoreResult((), (), 0)
    known = existing(session, feed_id, [i.identity for i in items])
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    unchanged = 0
    for item in items:
        hit = known.get(item.identity)
        if hit is None:
            row = {f: getattr(item, f) for f in _FIELDS}
            row.update(feed_id=feed_id, identity=item.identity, first_seen_at=now)
            inserts.append(row)
        elif hit[1] != item.content_hash:
            row = {f: getattr(item, f) for f in _FIELDS}
            row.update(_id=hit[0], last_updated_at=now, linked_at=None)
            updates.append(row)
        else:
            unchanged += 1
    new_ids: list[int] = []
    conn = session.connection()  # Core, not the ORM: no objects, no identity map, no flush
    if inserts:
        written = insert_rows(
            conn, _TABLE, inserts, returning=("id",), skip_conflicts_on=("feed_id", "identity")
        )
        new_ids = [r.id for r in written]
        # Rows skipped by ON CONFLICT were written by someone else meanwhile: not ours, unchanged.
        unchanged += len(inserts) - len(new_ids)
    if updates:
        stmt = (
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("_id"))
            .values({f: bindparam(f) for f in (*_FIELDS, "last_updated_at", "linked_at")})
        )
        conn.execute(stmt, updates)
    return StoreResult(tuple(new_ids), tuple(int(u["_id"]) for u in updates), unchanged)  # type: ignore[call-overload]
