"""Loading record files: validate everything, then upsert by slug in one go.

`load_files` parses and validates every file and checks every reference (against the
files and the database) before it writes anything, so a bad file changes nothing. Writing
is idempotent: unchanged entries are not touched (no new claims, no updated_at churn), and a
changed fact supersedes the old claim instead of overwriting it. The caller owns the
transaction (commit or roll back).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, aliased

from tracker.errors import ValidationError
from tracker.models import Actor, ActorExternalId, Measure, Record, Source
from tracker.records.parse import Parsed, check_unique, parse_file, parse_text
from tracker.records.schema import ActorSpec, RecordSpec


@dataclass(frozen=True)
class LoadReport:
    """What a load did. Loading the same files twice gives a report with changed == False."""

    files: tuple[str, ...]
    sources_created: int = 0
    sources_updated: int = 0
    actors_created: int = 0
    actors_updated: int = 0
    records_created: int = 0
    records_updated: int = 0
    claims_added: int = 0
    claims_superseded: int = 0
    claims_retracted: int = 0
    sources_total: int = 0
    actors_total: int = 0
    records_total: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.sources_created, self.sources_updated, self.actors_created,
                self.actors_updated, self.records_created, self.records_updated,
                self.claims_added, self.claims_superseded, self.claims_retracted,
            )
        )  # fmt: skip

    def summary(self) -> str:
        parts = []
        for label, created, updated, total in (
            ("sources", self.sources_created, self.sources_updated, self.sources_total),
            ("actors", self.actors_created, self.actors_updated, self.actors_total),
            ("records", self.records_created, self.records_updated, self.records_total),
        ):
            parts.append(f"{total} {label} ({created} new, {updated} updated)")
        claims = (
            f"claims: {self.claims_added} added, {self.claims_superseded} superseded, "
            f"{self.claims_retracted} retracted"
        )
        return "; ".join(parts) + "; " + claims


# -- reference checks (read-only) ----------------------------------------------------------


class _Refs:
    """Which slugs exist, in this load or already in the database."""

    def __init__(self, session: Session, parsed: Parsed) -> None:
        self.sources = {s.slug for s in parsed.sources} | set(
            session.scalars(select(Source.slug).where(Source.slug.is_not(None)))
        )
        self.actors = {a.slug for a in parsed.actors} | set(session.scalars(select(Actor.slug)))
        db_records = {
            slug: kind for slug, kind in session.execute(select(Record.slug, Record.kind))
        }
        self.records = db_records | {r.slug: r.kind for r in parsed.records}
        self.db_records = db_records

    def need(self, where: str, key: str, slug: str | None, kind: str) -> None:
        if slug is None:
            return
        pool = {"source": self.sources, "actor": self.actors, "record": self.records}[kind]
        if slug not in pool:
            from tracker.records.lookup import normalize_name

            close = sorted(pool, key=lambda s: -_similar(normalize_name(slug), normalize_name(s)))[
                :3
            ]
            hint = f" (did you mean: {', '.join(close)}?)" if close else ""
            raise ValidationError(f"{where}: {key}: unknown {kind} {slug!r}{hint}")


def _similar(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b)


def _check_actor(session: Session, refs: _Refs, spec: ActorSpec, parents: dict[str, str]) -> None:
    refs.need(spec.where, "parent", spec.parent, "actor")
    for i, role in enumerate(spec.roles):
        refs.need(spec.where, f"roles[{i}].organization", role.organization, "actor")
    for scheme, value in spec.ids:
        owner = session.execute(
            select(Actor.slug)
            .join(ActorExternalId, ActorExternalId.actor_id == Actor.id)
            .where(ActorExternalId.scheme == scheme, ActorExternalId.value == value)
        ).scalar_one_or_none()
        if owner is not None and owner != spec.slug:
            raise ValidationError(
                f"{spec.where}: ids.{scheme}: {value!r} already belongs to {owner!r}"
            )
    # The parent chain must not loop back (through this load or the database).
    seen, current = {spec.slug}, spec.parent
    while current is not None:
        if current in seen:
            raise ValidationError(f"{spec.where}: parent: {spec.parent!r} makes a cycle")
        seen.add(current)
        current = parents.get(current)


def _check_record(refs: _Refs, spec: RecordSpec) -> None:
    w = spec.where
    existing = refs.db_records.get(spec.slug)
    if existing is not None and existing != spec.kind:
        raise ValidationError(
            f"{w}: slug: {spec.slug!r} is already a {existing}, not a {spec.kind}"
        )
    for i, s in enumerate(spec.sources):
        refs.need(w, f"sources[{i}]", s, "source")
    for i, c in enumerate(spec.claims):
        refs.need(w, f"claims[{i}].source", c.source, "source")
    for role, slug, _ in spec.actors:
        refs.need(w, f"actors.{role}", slug, "actor")
    for rel, to in spec.links:
        refs.need(w, f"links ({rel})", to, "record")
    d = spec.details
    if spec.kind == "measure" and d.get("vehicle"):
        refs.need(w, "vehicle", d["vehicle"], "record")
        if refs.records[d["vehicle"]] != "measure":
            raise ValidationError(f"{w}: vehicle: {d['vehicle']!r} is not a measure")
        if d["vehicle"] == spec.slug:
            raise ValidationError(f"{w}: vehicle: a measure cannot amend itself")
    if spec.kind == "designation":
        refs.need(w, "subject", d["subject"], "actor")
        refs.need(w, "authority", d.get("authority"), "actor")
    if spec.kind == "event":
        refs.need(w, "subject_record", d.get("subject_record"), "record")
    for i, item in enumerate(spec.items):
        if "challenger" in item:
            refs.need(w, f"challenges[{i}].challenger", item["challenger"], "actor")
        elif item.get("source"):
            refs.need(w, f"actions[{i}].source", item["source"], "source")
    _check_dates(spec)


_ORDERED = (
    ("activity_start_on", "activity_end_on"),
    ("sent_on", "made_public_on"),
    ("added_on", "removed_on"),
)


def _check_dates(spec: RecordSpec) -> None:
    """Direct facts must be in order (claims from different sources may disagree)."""
    from tracker.dates import parse_partial

    facts = dict(spec.facts)
    for first, then in _ORDERED:
        if first in facts and then in facts:
            a, b = parse_partial(facts[first]), parse_partial(facts[then])
            if b.end < a.start:
                raise ValidationError(
                    f"{spec.where}: {then}: {b.iso()} is before {first} {a.iso()}"
                )


def _check_unique_values(session: Session, parsed: Parsed) -> None:
    seen: dict[str, str] = {}
    for spec in parsed.records:
        oid = spec.details.get("official_id") if spec.kind == "measure" else None
        if not oid:
            continue
        if oid in seen:
            raise ValidationError(f"{spec.where}: official_id: {oid!r} is also used by {seen[oid]}")
        seen[oid] = spec.where
        owner = session.execute(
            select(Measure.slug).where(Measure.official_id == oid)
        ).scalar_one_or_none()
        if owner is not None and owner != spec.slug:
            raise ValidationError(
                f"{spec.where}: official_id: {oid!r} already belongs to {owner!r}"
            )
    urls: dict[str, str] = {}
    for src in parsed.sources:
        if src.url:
            urls[src.url] = src.slug
    if urls:
        for slug, url in session.execute(
            select(Source.slug, Source.url).where(Source.url.in_(list(urls)))
        ):
            if slug is not None and slug != urls[url]:
                spec = next(s for s in parsed.sources if s.url == url)
                raise ValidationError(f"{spec.where}: url: already used by source {slug!r}")


def validate(session: Session, parsed: Parsed) -> None:
    """Check every slug is unique in the load and every reference resolves; reads only."""
    check_unique(parsed)
    refs = _Refs(session, parsed)
    parent = aliased(Actor)
    parents = {
        child: par
        for child, par in session.execute(
            select(Actor.slug, parent.slug).join(parent, Actor.parent_id == parent.id)
        )
    }
    parents.update({a.slug: a.parent for a in parsed.actors if a.parent})
    for a in parsed.actors:
        if not a.parent:
            parents.pop(a.slug, None)
    for actor in parsed.actors:
        _check_actor(session, refs, actor, parents)
    for record in parsed.records:
        _check_record(refs, record)
    _check_unique_values(session, parsed)


# -- entry points --------------------------------------------------------------------------


def load_parsed(session: Session, parsed: Parsed, files: Iterable[str] = ()) -> LoadReport:
    """Validate then write already-parsed specs (the caller commits)."""
    from tracker.records.write import write_all

    validate(session, parsed)
    try:
        counts = write_all(session, parsed)
        session.flush()
    except (IntegrityError, DataError) as exc:
        # A safety net: validation should have caught it. The caller rolls back.
        detail = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        raise ValidationError(f"the records conflict with the database: {detail}") from None
    return LoadReport(files=tuple(files), **counts)


def load_files(session: Session, paths: Iterable[str | Path]) -> LoadReport:
    """Load record files: everything is validated before anything is written."""
    parsed = Parsed()
    names = []
    for p in paths:
        path = Path(p)
        parsed.extend(parse_file(path))
        names.append(str(path))
    return load_parsed(session, parsed, names)


def load_text(session: Session, text: str, name: str = "<text>") -> LoadReport:
    """Load one document given as text (tests, other areas' fixtures)."""
    return load_parsed(session, parse_text(text, name), [name])
