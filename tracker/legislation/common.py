"""Pieces every official-data importer shares: the import report, names, slugs, chamber actors.

Importers own only what they import: they add external ids, imported aliases and imported
roles to existing actors, but never rename an actor somebody else created, and a field a
person pinned with an override (tracker.legislation.overrides) is never overwritten.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models import Actor

MAX_CHANGES = 200  # change lines kept per report; counts stay exact


@dataclass(frozen=True)
class ImportReport:
    """What one import of one file did. `changes` says what changed, in words."""

    path: str
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str | None = None  # set when the file was skipped (nothing written)
    changes: tuple[str, ...] = ()
    overrides_kept: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()  # e.g. (("actions", 79), ("cosponsors", 3))

    @property
    def ok(self) -> bool:
        return self.error is None

    def count(self, name: str) -> int:
        return dict(self.counts).get(name, 0)


@dataclass
class ReportBuilder:
    """Mutable companion of ImportReport while an import runs."""

    path: str
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[str] = field(default_factory=list)
    overrides_kept: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def change(self, line: str) -> None:
        if len(self.changes) < MAX_CHANGES:
            self.changes.append(line)

    def warn(self, line: str) -> None:
        if len(self.warnings) < MAX_CHANGES:
            self.warnings.append(line)

    def bump(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def build(self) -> ImportReport:
        return ImportReport(
            path=self.path,
            kind=self.kind,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            changes=tuple(self.changes),
            overrides_kept=tuple(self.overrides_kept),
            warnings=tuple(self.warnings),
            counts=tuple(sorted(self.counts.items())),
        )


def failed(path: str, kind: str, reason: str) -> ImportReport:
    return ImportReport(path=path, kind=kind, error=" ".join(reason.split()))


_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)


def normalize_name(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name (for ActorAlias.normalized).

    Uses the gazetteer's normalizer when the linking package provides one, so imported
    aliases match the way linking matches.
    """
    try:
        from tracker.linking.normalize import normalize  # type: ignore[import-not-found]
    except ImportError:
        normalize = None
    if normalize is not None:
        try:
            result = normalize(text)
            if isinstance(result, str) and result:
                return result
        except Exception:  # a foreign helper must never break an import
            pass
    return basic_normalize(text)


def basic_normalize(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = s.replace("'s ", " ").replace("’s ", " ")
    s = _PUNCT.sub(" ", s.replace("_", " "))
    return " ".join(s.split())


def slugify(text: str, limit: int = 100) -> str:
    s = basic_normalize(text).replace(" ", "-")
    s = re.sub(r"-+", "-", s).strip("-")
    return s[:limit].rstrip("-") or "x"


def unique_slug(base: str, taken: set[str], *fallbacks: str) -> str:
    """base, else base-<fallback> for each fallback, else base-2, base-3… Adds it to taken."""
    # The fallbacks are slugified only when needed: the base is nearly always free.
    candidates = itertools.chain([base], (f"{base}-{slugify(f)}" for f in fallbacks if f))
    for c in candidates:
        c = c[:120]
        if c not in taken:
            taken.add(c)
            return c
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    taken.add(f"{base}-{n}")
    return f"{base}-{n}"


def parse_day(value: object) -> date | None:
    """'2025-01-03', '2025-01-03T10:00:00-05:00' or a date → date (None for blanks/garbage)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if (
        isinstance(value, str)
        and len(value) >= 10
        and value[4] == value[7] == "-"
        and value[:4].isdigit()
        and value[5:7].isdigit()
        and value[8:10].isdigit()
    ):
        try:  # the usual 'YYYY-MM-DD…' prefix: no regex (official files hold thousands)
            return date(int(value[:4]), int(value[5:7]), int(value[8:10]))
        except ValueError:
            pass  # e.g. '2025-02-30' or ' 2025-…': the general rule below decides
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# Chamber actors, found by wikidata id, then by a known slug or name, else created.
CHAMBERS = {
    "senate": (
        "us-senate",
        "United States Senate",
        "Q66096",
        ("senate", "united-states-senate", "us-senate"),
        ("U.S. Senate", "Senate"),
    ),
    "house": (
        "us-house",
        "United States House of Representatives",
        "Q11701",
        (
            "house",
            "us-house",
            "house-of-representatives",
            "us-house-of-representatives",
            "united-states-house-of-representatives",
        ),
        ("U.S. House", "House of Representatives"),
    ),
    "joint": (
        "us-congress",
        "United States Congress",
        "Q11268",
        ("congress", "us-congress", "united-states-congress"),
        ("Congress", "U.S. Congress"),
    ),
}


def chamber_actor(session: Session, chamber: str, cache: dict[str, Actor] | None = None) -> Actor:
    """The Senate/House/Congress actor, created (with its wikidata id) when missing."""
    from sqlalchemy import func, select

    from tracker.models import Actor, ActorAlias, ActorExternalId

    if cache is not None and chamber in cache:
        return cache[chamber]
    slug, name, qid, slugs, aliases = CHAMBERS[chamber]
    actor = session.scalars(
        select(Actor)
        .join(ActorExternalId)
        .where(ActorExternalId.scheme == "wikidata", ActorExternalId.value == qid)
    ).first()
    if actor is None:
        actor = session.scalars(
            select(Actor)
            .where(
                Actor.kind == "legislature",
                (Actor.slug.in_(slugs)) | (func.lower(Actor.name).in_([name.lower()])),
            )
            .order_by(Actor.id)
        ).first()
    if actor is None:
        taken = set(session.scalars(select(Actor.slug).where(Actor.slug.like(f"{slug}%"))))
        actor = Actor(slug=unique_slug(slug, taken), name=name, kind="legislature", country="US")
        session.add(actor)
        for a in aliases:
            actor.aliases.append(
                ActorAlias(alias=a, normalized=normalize_name(a), origin="imported")
            )
    if not any(x.scheme == "wikidata" for x in actor.external_ids):
        clash = session.scalars(
            select(ActorExternalId).where(
                ActorExternalId.scheme == "wikidata", ActorExternalId.value == qid
            )
        ).first()
        if clash is None:
            actor.external_ids.append(ActorExternalId(scheme="wikidata", value=qid))
    session.flush()
    if cache is not None:
        cache[chamber] = actor
    return actor


def add_aliases(actor: Actor, names: Iterable[tuple[str, str | None]]) -> int:
    """Add imported aliases (text, note) the actor lacks; returns how many were added."""
    from tracker.models import ActorAlias

    have = {(a.normalized, a.origin) for a in actor.aliases}
    have_any = {a.normalized for a in actor.aliases if a.origin != "generated"}
    added = 0
    for text, note in names:
        text = " ".join((text or "").split())
        if not text:
            continue
        norm = normalize_name(text)
        if not norm or (norm, "imported") in have or norm in have_any:
            continue
        actor.aliases.append(ActorAlias(alias=text, normalized=norm, origin="imported", note=note))
        have.add((norm, "imported"))
        have_any.add(norm)
        added += 1
    return added
