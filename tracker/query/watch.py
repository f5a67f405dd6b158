"""Watchlists: actors and records a person follows; the digest reports what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import NotFound, UsageError
from tracker.models import Actor, Record
from tracker.models.watch import DEFAULT_WATCHLIST, Watch


@dataclass(frozen=True)
class WatchItem:
    id: int
    watchlist: str
    target: str  # "actor" | "record"
    target_id: int
    slug: str
    name: str
    kind: str  # the actor's or the record's kind
    status: str | None  # records: the status the last digest reported
    note: str | None
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "watchlist": self.watchlist,
            "target": self.target,
            "slug": self.slug,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "note": self.note,
            "created_at": self.created_at.isoformat(timespec="seconds"),
        }


def check_watchlist(name: str) -> str:
    value = " ".join(name.split()).lower()
    if not value or len(value) > 60:
        raise UsageError("a watchlist name is 1 to 60 characters")
    return value


def _item(w: Watch) -> WatchItem:
    if w.actor is not None:
        a = w.actor
        return WatchItem(
            w.id, w.watchlist, "actor", a.id, a.slug, a.name, a.kind, None, w.note, w.created_at
        )
    assert w.record is not None
    r = w.record
    return WatchItem(
        w.id,
        w.watchlist,
        "record",
        r.id,
        r.slug,
        r.title,
        r.kind,
        w.last_status,
        w.note,
        w.created_at,
    )


def _target(session: Session, name: str, target: str | None) -> Actor | Record:
    from tracker.records.lookup import find_actor, find_any, find_record

    if target == "actor":
        return find_actor(session, name)
    if target == "record":
        return find_record(session, name)
    return find_any(session, name)


def add_watch(
    session: Session,
    name: str,
    *,
    watchlist: str = DEFAULT_WATCHLIST,
    target: str | None = None,
    note: str | None = None,
) -> tuple[WatchItem, bool]:
    """Watch the actor or record NAME means; returns (item, created). Adding twice is a no-op."""
    watchlist = check_watchlist(watchlist)
    obj = _target(session, name, target)
    key = f"actor:{obj.id}" if isinstance(obj, Actor) else f"record:{obj.id}"
    existing = session.scalars(
        select(Watch).where(Watch.watchlist == watchlist, Watch.target_key == key)
    ).first()
    if existing is not None:
        return _item(existing), False
    w = Watch(watchlist=watchlist, target_key=key, note=note)
    if isinstance(obj, Actor):
        w.actor = obj
    else:
        w.record = obj
        w.last_status = current_status(session, obj.id)
    session.add(w)
    session.flush()
    return _item(w), True


def current_status(session: Session, record_id: int) -> str | None:
    """A record's status as its claims resolve it (the column when no claim speaks to it)."""
    from tracker.records.claims import resolve_fields

    rf = resolve_fields(session, [record_id]).get(record_id, {}).get("status")
    if rf is not None and rf.value is not None:
        return str(rf.value)
    return session.scalar(select(Record.status).where(Record.id == record_id))


def list_watches(session: Session, watchlist: str | None = None) -> tuple[WatchItem, ...]:
    """Every watch (of one watchlist, or all), by watchlist then name."""
    stmt = select(Watch)
    if watchlist is not None:
        stmt = stmt.where(Watch.watchlist == check_watchlist(watchlist))
    items = [_item(w) for w in session.scalars(stmt)]
    return tuple(sorted(items, key=lambda i: (i.watchlist, i.name.lower(), i.slug)))


def remove_watch(session: Session, name: str, *, watchlist: str = DEFAULT_WATCHLIST) -> WatchItem:
    """Stop watching NAME (matched against what is watched first, then fuzzily)."""
    watchlist = check_watchlist(watchlist)
    watches = list(session.scalars(select(Watch).where(Watch.watchlist == watchlist)))
    key = name.strip().lower()
    for w in watches:
        item = _item(w)
        if key in (item.slug, item.name.lower()):
            session.delete(w)
            session.flush()
            return item
    obj = _target(session, name, None)
    wanted = f"actor:{obj.id}" if isinstance(obj, Actor) else f"record:{obj.id}"
    for w in watches:
        if w.target_key == wanted:
            item = _item(w)
            session.delete(w)
            session.flush()
            return item
    raise NotFound(
        f"{name!r} is not on the {watchlist!r} watchlist",
        [_item(w).slug for w in watches][:5],
    )
