"""Reading record files: YAML text → validated specs (pure; no database).

A file is a mapping of sections (sources, actors, incidents, letters, measures,
designations, events), each a list of entries. See docs/records-format.md.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import ValidationError
from tracker.models.records import (
    ACTOR_ROLES,
    CHALLENGE_OUTCOMES,
    CHAMBERS,
    MEASURE_TYPES,
    RELATIONS,
)
from tracker.records.schema import (
    COMMON,
    DATE_FIELDS,
    DETAILS,
    FIGURE_PREFIX,
    LISTS,
    SECTIONS,
    ActorSpec,
    ClaimSpec,
    RecordSpec,
    SourceSpec,
    _choice,
    _list,
    _long_text,
    _mapping,
    _moment,
    _no_extra,
    _partial,
    _slug,
    _text,
    _Where,
    actor_spec,
    claim_value,
    figure_value,
    source_spec,
)

MAX_FILE_BYTES = 5_000_000
MAX_NODES = 1_000_000


@dataclass
class Parsed:
    """Everything in one load, in file order."""

    sources: list[SourceSpec] = field(default_factory=list)
    actors: list[ActorSpec] = field(default_factory=list)
    records: list[RecordSpec] = field(default_factory=list)

    def extend(self, other: Parsed) -> None:
        self.sources += other.sources
        self.actors += other.actors
        self.records += other.records


def _actors(w: _Where, value: Any) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    data = _mapping(w, "actors", value or {})
    for role, entries in data.items():
        role_text = _choice(w, "actors", str(role), ACTOR_ROLES, required=True) or ""
        for i, entry in enumerate(
            _list(w, f"actors.{role}", entries if isinstance(entries, list) else [entries])
        ):
            key = f"actors.{role}[{i}]"
            if isinstance(entry, dict):
                _no_extra(w, entry, ("actor", "note"), key)
                slug = _slug(w, f"{key}.actor", entry.get("actor")) or ""
                note = _text(w, f"{key}.note", entry.get("note"), limit=300)
            else:
                slug, note = _slug(w, key, entry) or "", None
            if any(r == role_text and s == slug for r, s, _ in out):
                raise w.fail(key, f"{slug!r} is listed twice as {role_text}")
            out.append((role_text, slug, note))
    return out


def _links(w: _Where, value: Any, own: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, entry in enumerate(_list(w, "links", value)):
        key = f"links[{i}]"
        entry = _mapping(w, key, entry)
        _no_extra(w, entry, ("to", "relation"), key)
        to = _slug(w, f"{key}.to", entry.get("to")) or ""
        if to == own:
            raise w.fail(f"{key}.to", "a record cannot link to itself")
        rel = (
            _choice(w, f"{key}.relation", entry.get("relation", "related"), RELATIONS) or "related"
        )
        if (rel, to) not in out:
            out.append((rel, to))
    return out


def _claims(w: _Where, kind: str, value: Any) -> list[ClaimSpec]:
    out = []
    for i, entry in enumerate(_list(w, "claims", value)):
        key = f"claims[{i}]"
        entry = _mapping(w, key, entry)
        _no_extra(w, entry, ("field", "value", "source", "locator", "quote", "recorded"), key)
        fld = _text(w, f"{key}.field", entry.get("field"), required=True, limit=60) or ""
        if "value" not in entry:
            raise w.fail(f"{key}.value", "is required")
        out.append(
            ClaimSpec(
                field=fld,
                value=claim_value(w, kind, f"{key}.value", fld, entry["value"]),
                source=_slug(w, f"{key}.source", entry.get("source")) or "",
                locator=_text(w, f"{key}.locator", entry.get("locator"), limit=120),
                quote=_long_text(w, f"{key}.quote", entry.get("quote")),
                recorded=_moment(w, f"{key}.recorded", entry.get("recorded")),
            )
        )
    return out


def _details(w: _Where, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, (typ, required, limit) in DETAILS[kind].items():
        value = data.get(key)
        if typ == "str":
            out[key] = _text(w, key, value, required=required, limit=limit)
        elif typ == "slug":
            out[key] = _slug(w, key, value, required=required)
        elif typ == "int":
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value <= 0
            ):
                raise w.fail(key, f"must be a positive whole number, not {value!r}")
            out[key] = value
        else:  # strlist
            items = [
                _text(w, f"{key}[{i}]", v, required=True)
                for i, v in enumerate(_list(w, key, value))
            ]
            out[key] = tuple(dict.fromkeys(items))
    if kind == "measure":
        _choice(w, "measure_type", out["measure_type"], MEASURE_TYPES, required=True)
        _choice(w, "chamber", out["chamber"], CHAMBERS)
    return out


def _action(w: _Where, i: int, entry: Any) -> dict[str, Any]:
    key = f"actions[{i}]"
    entry = _mapping(w, key, entry)
    _no_extra(w, entry, ("date", "type", "text", "chamber", "code", "source"), key)
    when = _partial(w, f"{key}.date", entry.get("date"))
    if when is None:
        raise w.fail(f"{key}.date", "is required")
    return {
        "date": when,
        "type": _text(w, f"{key}.type", entry.get("type"), required=True, limit=40),
        "text": _text(w, f"{key}.text", entry.get("text"), required=True, limit=2000),
        "chamber": _choice(w, f"{key}.chamber", entry.get("chamber"), CHAMBERS),
        "code": _text(w, f"{key}.code", entry.get("code"), limit=20),
        "source": _slug(w, f"{key}.source", entry.get("source"), required=False),
    }


def _challenge(w: _Where, i: int, entry: Any) -> dict[str, Any]:
    key = f"challenges[{i}]"
    entry = _mapping(w, key, entry)
    _no_extra(w, entry, ("challenger", "venue", "filed", "decided", "outcome", "description"), key)
    filed = _partial(w, f"{key}.filed", entry.get("filed"))
    decided = _partial(w, f"{key}.decided", entry.get("decided"))
    if filed and decided and decided.end < filed.start:
        raise w.fail(f"{key}.decided", "is before filed")
    return {
        "challenger": _slug(w, f"{key}.challenger", entry.get("challenger")),
        "venue": _text(w, f"{key}.venue", entry.get("venue"), limit=200) or "",
        "filed": filed,
        "decided": decided,
        "outcome": _choice(
            w, f"{key}.outcome", entry.get("outcome", "pending"), CHALLENGE_OUTCOMES
        ),
        "description": _long_text(w, f"{key}.description", entry.get("description")),
    }


def record_spec(where: str, kind: str, data: Any) -> RecordSpec:
    w = _Where(where)
    data = _mapping(w, None, data)
    claimable = {"status", *DATE_FIELDS[kind]}
    allowed = set(COMMON) | claimable | set(DETAILS[kind]) | set(LISTS.get(kind, ()))
    _no_extra(w, data, allowed)
    slug = _slug(w, "slug", data.get("slug")) or ""
    facts: list[tuple[str, Any]] = []
    for fld in ("status", *DATE_FIELDS[kind]):
        if data.get(fld) is not None:
            facts.append((fld, claim_value(w, kind, fld, fld, data[fld])))
    items: list[dict[str, Any]] = []
    for i, entry in enumerate(_list(w, "figures", data.get("figures"))):
        entry = _mapping(w, f"figures[{i}]", entry)
        metric = _slug(w, f"figures[{i}].metric", entry.get("metric"), limit=40) or ""
        fld = FIGURE_PREFIX + metric
        if any(f == fld for f, _ in facts):
            raise w.fail(f"figures[{i}].metric", f"{metric!r} is given twice")
        facts.append((fld, figure_value(w, f"figures[{i}]", entry)))
    items += [_action(w, i, e) for i, e in enumerate(_list(w, "actions", data.get("actions")))]
    items += [
        _challenge(w, i, e) for i, e in enumerate(_list(w, "challenges", data.get("challenges")))
    ]
    sources = [
        _slug(w, f"sources[{i}]", s) or ""
        for i, s in enumerate(_list(w, "sources", data.get("sources")))
    ]
    claims = _claims(w, kind, data.get("claims"))
    if not sources and not claims:
        raise w.fail("sources", "every record needs at least one source")
    spec = RecordSpec(
        where=where,
        kind=kind,
        slug=slug,
        title=_text(w, "title", data.get("title"), required=True) or "",
        summary=_long_text(w, "summary", data.get("summary")),
        sources=tuple(dict.fromkeys(sources)),
        tags=tuple(
            dict.fromkeys(
                _slug(w, f"tags[{i}]", t, limit=60) or ""
                for i, t in enumerate(_list(w, "tags", data.get("tags")))
            )
        ),
        actors=tuple(_actors(w, data.get("actors"))),
        links=tuple(_links(w, data.get("links"), slug)),
        facts=tuple(facts),
        claims=tuple(claims),
        details=_details(w, kind, data),
        items=tuple(items),
    )
    if kind == "event" and "occurred_on" not in spec.claimed_fields():
        raise w.fail("occurred_on", "is required for an event (directly or as a claim)")
    return spec


@functools.cache
def _loader() -> type:
    """PyYAML's safe loader, except that dates stay text (our own parser reads them, partial
    dates included, and reports a bad one with its file, entry and field), and a document
    whose aliases would expand past MAX_NODES values is refused (a "billion laughs" file)."""
    import yaml

    class Loader(yaml.SafeLoader):
        def get_single_node(self):  # type: ignore[no-untyped-def]
            node = super().get_single_node()
            if node is not None and _expanded_size(node, {}) > MAX_NODES:
                raise ValueError(f"expands to more than {MAX_NODES:,} values (too many aliases)")
            return node

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def _expanded_size(node: Any, memo: dict[int, int]) -> int:
    """How many values the node stands for once aliases are expanded (shared nodes counted
    each time they are used, computed once each)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_NODES + 1  # a node that contains itself expands forever
    value = node.value
    total = 1
    if isinstance(value, list):
        for item in value:
            parts = item if isinstance(item, tuple) else (item,)
            for part in parts:
                total += _expanded_size(part, memo)
                if total > MAX_NODES:
                    break
    memo[key] = total
    return total


def parse_text(text: str, name: str) -> Parsed:
    """Validate one file's YAML text; `name` is how errors refer to the file."""
    import yaml

    try:
        data = yaml.load(text, Loader=_loader())
    except ValueError as exc:  # e.g. a value the YAML library itself could not build
        raise ValidationError(f"{name}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ValidationError(f"{name}:{where}: {problem}") from None
    if data is None:
        return Parsed()
    if not isinstance(data, dict):
        raise ValidationError(f"{name}: must be a mapping of sections ({', '.join(SECTIONS)})")
    _no_extra(_Where(name), data, tuple(SECTIONS))
    parsed = Parsed()
    for section, kind in SECTIONS.items():
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise ValidationError(f"{name}: {section}: must be a list")
        for i, entry in enumerate(entries):
            slug = entry.get("slug") if isinstance(entry, dict) else None
            where = f"{name}: {section}[{i}]" + (f" ({slug})" if isinstance(slug, str) else "")
            if kind == "source":
                parsed.sources.append(source_spec(where, entry))
            elif kind == "actor":
                parsed.actors.append(actor_spec(where, entry))
            else:
                parsed.records.append(record_spec(where, kind, entry))
    return parsed


def parse_file(path: Path) -> Parsed:
    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError(f"{name}: larger than {MAX_FILE_BYTES // 1_000_000} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(f"{name}: not UTF-8 text") from None
    return parse_text(text, name)


def check_unique(parsed: Parsed) -> None:
    """No slug is defined twice in one load (across files too)."""
    for items in (parsed.sources, parsed.actors, parsed.records):
        seen: dict[str, str] = {}
        for spec in items:
            if spec.slug in seen:
                raise ValidationError(
                    f"{spec.where}: slug: {spec.slug!r} is already defined in {seen[spec.slug]}"
                )
            seen[spec.slug] = spec.where
    by_url: dict[str, str] = {}
    for src in parsed.sources:
        if src.url:
            if src.url in by_url:
                raise ValidationError(f"{src.where}: url: already used by {by_url[src.url]}")
            by_url[src.url] = src.where
