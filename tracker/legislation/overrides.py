"""Field overrides: a value a person pinned on a record or actor, which importers keep.

`set_override(session, measure, "title", "The NDAA")` sets the field and records the pin;
every importer calls `apply(...)` instead of assigning a field directly, so an official
re-import leaves the pinned value in place and reports that it did (official value beside it).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tracker.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models import Actor, Record
    from tracker.models.legislation import FieldOverride

# Fields a person may pin, per target; importers write exactly these.
RECORD_FIELDS = (
    "title",
    "summary",
    "status",
    "introduced_on",
    "chamber",
    "added_on",
    "removed_on",
    "list_name",
)
ACTOR_FIELDS = ("name", "kind", "country", "description", "parent_id")


def _encode(value: Any) -> str:
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _target(obj: Record | Actor) -> dict[str, int]:
    from tracker.models import Actor

    return {"actor_id": obj.id} if isinstance(obj, Actor) else {"record_id": obj.id}


def _decode(field: str, raw: str) -> Any:
    value = json.loads(raw)
    if isinstance(value, str) and field.endswith("_on"):
        from datetime import date

        return date.fromisoformat(value)
    return value


def set_override(
    session: Session,
    obj: Record | Actor,
    field: str,
    value: Any,
    *,
    by: str = "user",
    note: str | None = None,
) -> FieldOverride:
    """Pin `field` of a record or actor to `value` (also setting it now); replaces an older pin."""
    from sqlalchemy import select

    from tracker.models import Actor
    from tracker.models.legislation import FieldOverride

    allowed = ACTOR_FIELDS if isinstance(obj, Actor) else RECORD_FIELDS
    if field not in allowed or not hasattr(obj, field):
        raise UsageError(f"cannot pin {field!r}; pinnable fields: {', '.join(allowed)}")
    session.flush()
    target = _target(obj)
    row = session.scalars(select(FieldOverride).filter_by(field=field, **target)).one_or_none()
    if row is None:
        row = FieldOverride(field=field, **target, value=_encode(value), set_by=by, note=note)
        session.add(row)
    else:
        row.value, row.set_by, row.note = _encode(value), by, note
    setattr(obj, field, value)
    session.flush()
    return row


def clear_override(session: Session, obj: Record | Actor, field: str) -> bool:
    """Remove a pin (the next import writes the official value again)."""
    from sqlalchemy import delete

    from tracker.models.legislation import FieldOverride

    result = session.execute(delete(FieldOverride).filter_by(field=field, **_target(obj)))
    return bool(result.rowcount)


def overrides_for(session: Session, obj: Record | Actor) -> dict[str, str]:
    """field → JSON value of the pins on obj (empty for objects not yet flushed)."""
    from sqlalchemy import select

    from tracker.models.legislation import FieldOverride

    if obj.id is None:
        return {}
    rows = session.execute(
        select(FieldOverride.field, FieldOverride.value).filter_by(**_target(obj))
    )
    return dict(rows.all())


def apply(
    obj: object, field: str, value: Any, pins: dict[str, str], kept: list[str], name: str
) -> bool:
    """Set obj.field = value unless pinned; returns whether the field changed.

    A pinned field keeps the person's value; `kept` gets a line saying so, with the
    official value, so the report shows the override as such.
    """
    if field in pins:
        pinned = _decode(field, pins[field])
        if getattr(obj, field) != pinned:
            setattr(obj, field, pinned)
        if pinned != value:
            kept.append(f"{name}: kept the pinned {field} {pinned!r} (official: {value!r})")
        return False
    if getattr(obj, field) != value:
        setattr(obj, field, value)
        return True
    return False
