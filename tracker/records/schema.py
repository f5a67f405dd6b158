"""The YAML record format: validation of parsed YAML into small frozen specs.

Pure: no database. Every problem raises ValidationError naming the file, the entry and the
field in one line, e.g. `demo.yaml: incidents[2] (qwen-campaign): disclosed_on: not a valid
date: 'June 31'`. docs/records-format.md describes the format for people.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from tracker.dates import PartialDate
from tracker.errors import TrackerError, ValidationError
from tracker.models.actors import ACTOR_KINDS
from tracker.models.records import (
    FIGURE_QUALIFIERS,
    SOURCE_KINDS,
    STATUSES,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
SECTIONS = {
    "sources": "source",
    "actors": "actor",
    "incidents": "incident",
    "letters": "letter",
    "measures": "measure",
    "designations": "designation",
    "events": "event",
}
# Dated fields of each record kind; like `status` and figures they are stated by sources
# (claims), so the value shown is the one the sources back.
DATE_FIELDS: dict[str, tuple[str, ...]] = {
    "incident": ("activity_start_on", "activity_end_on", "disclosed_on"),
    "letter": ("sent_on", "made_public_on"),
    "measure": ("introduced_on",),
    "designation": ("added_on", "effective_on", "removed_on"),
    "event": ("occurred_on",),
}
# Plain (unclaimed) attributes of each kind: key -> (type, required, max length).
DETAILS: dict[str, dict[str, tuple[str, bool, int]]] = {
    "incident": {"incident_kind": ("str", True, 40), "capabilities": ("strlist", False, 120)},
    "letter": {"subject": ("str", False, 500), "asks": ("strlist", False, 500)},
    "measure": {
        "measure_type": ("str", True, 24),
        "chamber": ("str", False, 6),
        "congress": ("int", False, 0),
        "official_id": ("str", False, 40),
        "vehicle": ("slug", False, 120),
        "vehicle_ref": ("str", False, 120),
    },
    "designation": {
        "list": ("str", True, 200),
        "subject": ("slug", True, 120),
        "authority": ("slug", False, 120),
    },
    "event": {"event_type": ("str", True, 40), "subject_record": ("slug", False, 120)},
}
LISTS = {"incident": ("figures",), "measure": ("actions",), "designation": ("challenges",)}
COMMON = ("slug", "title", "summary", "status", "sources", "tags", "actors", "links", "claims")
FIGURE_PREFIX = "figure."


@dataclass(frozen=True)
class SourceSpec:
    where: str
    slug: str
    title: str
    kind: str = "article"
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: PartialDate | None = None

    def recorded_default(self) -> datetime | None:
        """When its statements count as known: the last day its publication date covers."""
        return datetime.combine(self.published.end, time.min) if self.published else None


@dataclass(frozen=True)
class RoleSpec:
    title: str
    organization: str | None = None
    party: str | None = None
    state: str | None = None
    district: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class ActorSpec:
    where: str
    slug: str
    name: str
    kind: str
    country: str | None = None
    parent: str | None = None
    description: str | None = None
    aliases: tuple[tuple[str, str | None], ...] = ()
    ids: tuple[tuple[str, str], ...] = ()
    roles: tuple[RoleSpec, ...] = ()


@dataclass(frozen=True)
class ClaimSpec:
    field: str
    value: Any  # normalized: dates as ISO strings, figures as {value, qualifier, unit}
    source: str
    locator: str | None = None
    quote: str | None = None
    recorded: datetime | None = None


@dataclass(frozen=True)
class RecordSpec:
    where: str
    kind: str
    slug: str
    title: str
    sources: tuple[str, ...]
    summary: str | None = None
    tags: tuple[str, ...] = ()
    actors: tuple[tuple[str, str, str | None], ...] = ()  # (role, actor slug, note)
    links: tuple[tuple[str, str], ...] = ()  # (relation, record slug)
    facts: tuple[tuple[str, Any], ...] = ()  # claimable fields given directly
    claims: tuple[ClaimSpec, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)
    # measure actions / designation challenges, validated dicts
    items: tuple[Mapping[str, Any], ...] = ()

    def claimed_fields(self) -> set[str]:
        return {f for f, _ in self.facts} | {c.field for c in self.claims}


class _Where:
    """Builds one-line error messages that name the file, entry and field."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, key: str | None, message: str) -> ValidationError:
        prefix = f"{self.where}: {key}: " if key else f"{self.where}: "
        return ValidationError(prefix + message)


def _text(
    w: _Where, key: str, value: Any, *, required: bool = False, limit: int = 500
) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise w.fail(key, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise w.fail(key, f"must be text, not {type(value).__name__}")
    text = " ".join(str(value).split())
    if len(text) > limit:
        raise w.fail(key, f"is longer than {limit} characters")
    return text


def _long_text(w: _Where, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise w.fail(key, "must be text")
    return value.strip() or None


def _slug(
    w: _Where, key: str, value: Any, *, required: bool = True, limit: int = 120
) -> str | None:
    text = _text(w, key, value, required=required, limit=limit)
    if text is None:
        return None
    if not SLUG.match(text):
        raise w.fail(key, f"{text!r} is not a slug (lower-case letters, digits, '-', '_', '.')")
    return text


def _choice(
    w: _Where, key: str, value: Any, choices: tuple[str, ...], *, required: bool = False
) -> str | None:
    text = _text(w, key, value, required=required)
    if text is not None and text not in choices:
        raise w.fail(key, f"{text!r} is not one of: {', '.join(choices)}")
    return text


def _partial(w: _Where, key: str, value: Any) -> PartialDate | None:
    try:
        return PartialDate.of(value)
    except TrackerError as exc:
        raise w.fail(key, str(exc)) from None


def _day(w: _Where, key: str, value: Any) -> date | None:
    pd = _partial(w, key, value)
    return pd.start if pd else None


def _moment(w: _Where, key: str, value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    pd = _partial(w, key, value)
    return datetime.combine(pd.start, time.min) if pd else None


def _list(w: _Where, key: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise w.fail(key, "must be a list")
    return value


def _mapping(w: _Where, key: str | None, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise w.fail(key, f"must be a mapping, not {type(value).__name__}")
    return value


def _no_extra(
    w: _Where, data: dict[str, Any], allowed: tuple[str, ...] | set[str], key: str | None = None
) -> None:
    extra = sorted(str(k) for k in data if k not in allowed)
    if extra:
        raise w.fail(key, f"unknown field {extra[0]!r} (allowed: {', '.join(sorted(allowed))})")


# -- sources and actors ------------------------------------------------------------------


def source_spec(where: str, data: Any) -> SourceSpec:
    w = _Where(where)
    data = _mapping(w, None, data)
    _no_extra(w, data, ("slug", "title", "kind", "url", "outlet", "author", "published"))
    url = _text(w, "url", data.get("url"), limit=2000)
    if url is not None and not re.match(r"^https?://\S+$", url):
        raise w.fail("url", f"{url!r} is not an http(s) URL")
    return SourceSpec(
        where=where,
        slug=_slug(w, "slug", data.get("slug")) or "",
        title=_text(w, "title", data.get("title"), required=True) or "",
        kind=_choice(w, "kind", data.get("kind", "article"), SOURCE_KINDS) or "article",
        url=url,
        outlet=_text(w, "outlet", data.get("outlet"), limit=200),
        author=_text(w, "author", data.get("author"), limit=200),
        published=_partial(w, "published", data.get("published")),
    )


def _role(w: _Where, i: int, data: Any) -> RoleSpec:
    key = f"roles[{i}]"
    data = _mapping(w, key, data)
    _no_extra(w, data, ("title", "organization", "party", "state", "district", "start", "end"), key)
    start, end = _day(w, f"{key}.start", data.get("start")), _day(w, f"{key}.end", data.get("end"))
    if start and end and end < start:
        raise w.fail(f"{key}.end", "is before start")
    state = _text(w, f"{key}.state", data.get("state"), limit=2)
    return RoleSpec(
        title=_text(w, f"{key}.title", data.get("title"), required=True, limit=120) or "",
        organization=_slug(w, f"{key}.organization", data.get("organization"), required=False),
        party=_text(w, f"{key}.party", data.get("party"), limit=40),
        state=state.upper() if state else None,
        district=_text(w, f"{key}.district", data.get("district"), limit=10),
        start=start,
        end=end,
    )


def actor_spec(where: str, data: Any) -> ActorSpec:
    w = _Where(where)
    data = _mapping(w, None, data)
    _no_extra(
        w,
        data,
        ("slug", "name", "kind", "country", "parent", "description", "aliases", "ids", "roles"),
    )
    aliases: list[tuple[str, str | None]] = []
    for i, item in enumerate(_list(w, "aliases", data.get("aliases"))):
        if isinstance(item, dict):
            _no_extra(w, item, ("alias", "note"), f"aliases[{i}]")
            alias = _text(w, f"aliases[{i}].alias", item.get("alias"), required=True, limit=300)
            note = _text(w, f"aliases[{i}].note", item.get("note"), limit=40)
        else:
            alias, note = _text(w, f"aliases[{i}]", item, required=True, limit=300), None
        assert alias is not None
        aliases.append((alias, note))
    ids = _mapping(w, "ids", data.get("ids") or {})
    id_pairs = []
    for scheme, value in sorted(ids.items()):
        scheme_text = _slug(w, "ids", str(scheme), limit=40) or ""
        id_pairs.append(
            (scheme_text, _text(w, f"ids.{scheme}", value, required=True, limit=200) or "")
        )
    country = _text(w, "country", data.get("country"), limit=2)
    if country and not re.match(r"^[A-Za-z]{2}$", country):
        raise w.fail("country", f"{country!r} is not a two-letter country code")
    slug = _slug(w, "slug", data.get("slug")) or ""
    parent = _slug(w, "parent", data.get("parent"), required=False)
    if parent == slug:
        raise w.fail("parent", "an actor cannot be its own parent")
    return ActorSpec(
        where=where,
        slug=slug,
        name=_text(w, "name", data.get("name"), required=True, limit=300) or "",
        kind=_choice(w, "kind", data.get("kind"), ACTOR_KINDS, required=True) or "",
        country=country.upper() if country else None,
        parent=parent,
        description=_long_text(w, "description", data.get("description")),
        aliases=tuple(aliases),
        ids=tuple(id_pairs),
        roles=tuple(_role(w, i, r) for i, r in enumerate(_list(w, "roles", data.get("roles")))),
    )


# -- claim values ------------------------------------------------------------------------


def claim_value(w: _Where, kind: str, key: str, fld: str, value: Any) -> Any:
    """Validate and normalize one claimable value for a field of a record kind."""
    if fld == "status":
        return _choice(w, key, value, STATUSES[kind], required=True)
    if fld in DATE_FIELDS[kind]:
        pd = _partial(w, key, value)
        if pd is None:
            raise w.fail(key, "is required")
        return pd.iso()
    if kind == "incident" and fld.startswith(FIGURE_PREFIX) and len(fld) > len(FIGURE_PREFIX):
        return figure_value(w, key, value)
    allowed = ["status", *DATE_FIELDS[kind]] + (["figure.<metric>"] if kind == "incident" else [])
    raise w.fail(key, f"{fld!r} cannot be claimed on a {kind} (claimable: {', '.join(allowed)})")


def figure_value(w: _Where, key: str, value: Any) -> dict[str, Any]:
    data = value if isinstance(value, dict) else {"value": value}
    _no_extra(w, data, ("metric", "value", "qualifier", "unit"), key)
    number = data.get("value")
    if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0:
        raise w.fail(f"{key}.value", f"must be a non-negative number, not {number!r}")
    qualifier = _choice(w, f"{key}.qualifier", data.get("qualifier", "exactly"), FIGURE_QUALIFIERS)
    out: dict[str, Any] = {"value": number, "qualifier": qualifier or "exactly"}
    unit = _text(w, f"{key}.unit", data.get("unit"), limit=20)
    if unit:
        out["unit"] = unit
    return out
