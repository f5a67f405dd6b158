"""Members of Congress from the unitedstates/congress-legislators YAML (legislators-current.yaml).

Each person becomes (or joins) a person actor: matched by bioguide id first, then by any other
id the file gives (govtrack, wikidata…), then by an exact, unique name match among person
actors that have no bioguide id yet. Matched actors keep their slug and name; the import adds
external ids, imported aliases and one imported role per term (Senator / Representative /
Delegate, with party, state, district and dates, in the Senate or House actor). Re-importing
replaces only the imported roles, so it is idempotent and curated roles survive.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import ParseError
from tracker.legislation.common import (
    ImportReport,
    ReportBuilder,
    add_aliases,
    basic_normalize,
    chamber_actor,
    parse_day,
    slugify,
    unique_slug,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models import Actor

# Schemes copied from the file's `id` block, in this order (the first is the match key).
ID_SCHEMES = (
    "bioguide",
    "govtrack",
    "wikidata",
    "thomas",
    "lis",
    "opensecrets",
    "votesmart",
    "fec",
    "cspan",
    "icpsr",
    "wikipedia",
    "ballotpedia",
    "house_history",
    "maplight",
    "google_entity_id",
    "pictorial",
)
MATCH_SCHEMES = ("bioguide", "govtrack", "wikidata", "thomas", "lis", "icpsr")
TERRITORIES = {
    "PR": "Resident Commissioner",
    "DC": "Delegate",
    "GU": "Delegate",
    "VI": "Delegate",
    "AS": "Delegate",
    "MP": "Delegate",
}
PARTY_LETTERS = {"Democrat": "D", "Republican": "R", "Independent": "I", "Libertarian": "L"}


def load_yaml(path: Path) -> Any:
    """Parse a YAML file with the C loader when available (legislators-current is ~1 MB)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ParseError(f"{path}: not valid YAML: {reason}") from None


def id_value(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or value == "":
        return None
    return str(value)


def display_name(name: dict[str, Any]) -> str:
    full = name.get("official_full")
    if full:
        return " ".join(str(full).split())
    return " ".join(str(x) for x in (name.get("first"), name.get("last")) if x)


def alias_names(name: dict[str, Any]) -> list[tuple[str, str | None]]:
    first, last = name.get("first") or "", name.get("last") or ""
    middle, nick, suffix = name.get("middle"), name.get("nickname"), name.get("suffix")
    out: list[tuple[str, str | None]] = []
    if name.get("official_full"):
        out.append((str(name["official_full"]), "official_full"))
    out.append((f"{first} {last}", "first_last"))
    if nick:
        out.append((f"{nick} {last}", "nickname"))
    if middle:
        out.append((f"{first} {middle} {last}", "full_name"))
    if suffix:
        out.append((f"{first} {last} {suffix}", "full_name"))
    return out


def role_title(term: dict[str, Any]) -> str:
    if term.get("type") == "sen":
        return "Senator"
    return TERRITORIES.get(str(term.get("state") or ""), "Representative")


def _people(data: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(data, list):
        raise ParseError(f"{path}: expected a list of legislators (congress-legislators format)")
    people = []
    for i, item in enumerate(data):
        ok = (
            isinstance(item, dict)
            and isinstance(item.get("id"), dict)
            and item["id"].get("bioguide")
            and isinstance(item.get("name"), dict)
            and isinstance(item.get("terms", []), list)
        )
        if not ok:
            raise ParseError(f"{path}: entry {i + 1} has no id.bioguide, name or terms")
        people.append(item)
    return people


def _existing_by_ids(session: Session, people: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    from sqlalchemy import select

    from tracker.models import ActorExternalId

    wanted = {(s, v) for p in people for s in MATCH_SCHEMES if (v := id_value(p["id"].get(s)))}
    out: dict[tuple[str, str], int] = {}
    schemes = sorted({s for s, _ in wanted})
    if not wanted:
        return out
    rows = session.execute(
        select(ActorExternalId.scheme, ActorExternalId.value, ActorExternalId.actor_id).where(
            ActorExternalId.scheme.in_(schemes),
            ActorExternalId.value.in_(sorted({v for _, v in wanted})),
        )
    )
    for scheme, value, actor_id in rows:
        if (scheme, value) in wanted:
            out[(scheme, value)] = actor_id
    return out


def import_legislators(session: Session, path: str | Path) -> ImportReport:
    """Import legislators-current.yaml (or any file in its format) into actors; no commit."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from tracker.models import Actor, ActorExternalId

    path = Path(path)
    people = _people(load_yaml(path), path)
    rep = ReportBuilder(str(path), "legislators")
    chambers: dict[str, Actor] = {}
    senate, house = (
        chamber_actor(session, "senate", chambers),
        chamber_actor(session, "house", chambers),
    )

    by_id = _existing_by_ids(session, people)
    ids = set(by_id.values())
    # Name fallback: person actors without a bioguide id, by normalized name (unique only).
    with_bioguide = select(ActorExternalId.actor_id).where(ActorExternalId.scheme == "bioguide")
    loose: dict[str, list[int]] = {}
    for aid, name in session.execute(
        select(Actor.id, Actor.name).where(
            Actor.kind == "person", Actor.merged_into_id.is_(None), Actor.id.not_in(with_bioguide)
        )
    ):
        loose.setdefault(basic_normalize(name), []).append(aid)
    for p in people:
        if not any((s, id_value(p["id"].get(s))) in by_id for s in MATCH_SCHEMES):
            hits = loose.get(basic_normalize(display_name(p["name"])), [])
            if len(hits) == 1:
                by_id[("name", p["id"]["bioguide"])] = hits[0]
                ids.add(hits[0])
    actors: dict[int, Actor] = {}
    if ids:
        stmt = (
            select(Actor)
            .where(Actor.id.in_(sorted(ids)))
            .options(
                selectinload(Actor.aliases),
                selectinload(Actor.external_ids),
                selectinload(Actor.roles),
            )
        )
        actors = {a.id: a for a in session.scalars(stmt)}
    taken_ids = {
        (s, v): aid
        for s, v, aid in session.execute(
            select(ActorExternalId.scheme, ActorExternalId.value, ActorExternalId.actor_id)
        )
    }
    taken_slugs = set(session.scalars(select(Actor.slug)))
    orgs = {"sen": senate, "rep": house}

    for p in people:
        bioguide = str(p["id"]["bioguide"])
        actor_id = next(
            (
                by_id[k]
                for k in [(s, id_value(p["id"].get(s))) for s in MATCH_SCHEMES]
                + [("name", bioguide)]
                if k in by_id
            ),
            None,
        )
        name = display_name(p["name"])
        created = actor_id is None
        if created:
            first = p["name"].get("nickname") or p["name"].get("first") or ""
            base = slugify(f"{first} {p['name'].get('last', '')}")
            state = next(
                (t.get("state") for t in reversed(p.get("terms") or []) if t.get("state")), ""
            )
            actor = Actor(
                slug=unique_slug(base, taken_slugs, str(state or ""), bioguide),
                name=name,
                kind="person",
                country="US",
            )
            session.add(actor)
        else:
            actor = actors[actor_id]  # type: ignore[index]
        changed = _apply_person(session, actor, p, orgs, taken_ids, rep)
        if created:
            rep.created += 1
            rep.change(f"added {actor.slug} ({name}, {bioguide})")
        elif changed:
            rep.updated += 1
            rep.change(f"updated {actor.slug}: {', '.join(changed)}")
        else:
            rep.unchanged += 1
    rep.bump("people", len(people))
    session.flush()
    return rep.build()


def _apply_person(
    session: Session,
    actor: Actor,
    p: dict[str, Any],
    orgs: dict[str, Actor],
    taken_ids: dict[tuple[str, str], object],
    rep: ReportBuilder,
) -> list[str]:
    from tracker.models import ActorExternalId

    changed: list[str] = []
    have = {x.scheme: x for x in actor.external_ids}
    me = actor.id if actor.id is not None else actor  # new actors have no id before flush
    for scheme in ID_SCHEMES:
        value = id_value(p["id"].get(scheme))
        if value is None:
            continue
        owner = taken_ids.get((scheme, value), me)
        if owner is not me and owner != me:
            rep.warn(f"{actor.slug}: {scheme} id {value} belongs to another actor; not added")
            continue
        current = have.get(scheme)
        if current is not None:
            if current.value != value:
                taken_ids.pop((scheme, current.value), None)
                current.value = value
                changed.append(f"{scheme} id")
        else:
            actor.external_ids.append(ActorExternalId(scheme=scheme, value=value))
            changed.append(f"{scheme} id")
        taken_ids[(scheme, value)] = me
    if add_aliases(actor, alias_names(p["name"])):
        changed.append("aliases")
    chambers = {o.id for o in orgs.values()}
    if _sync_roles(actor, list(_term_roles(p.get("terms") or [], orgs)), chambers):
        changed.append("roles")
    return changed


def _term_roles(
    terms: Iterable[dict[str, Any]], orgs: dict[str, Actor]
) -> Iterable[dict[str, Any]]:
    for t in terms:
        org = orgs.get(str(t.get("type")))
        if org is None:
            continue
        district = t.get("district")
        yield {
            "title": role_title(t),
            "organization": org,
            "party": t.get("party"),
            "state": (str(t["state"])[:2] if t.get("state") else None),
            "district": None if district is None or t.get("type") == "sen" else str(district),
            "start_on": parse_day(t.get("start")),
            "end_on": parse_day(t.get("end")),
        }


def _sync_roles(actor: Actor, wanted: list[dict[str, Any]], chambers: set[int]) -> bool:
    """Make the actor's imported chamber roles equal `wanted`; other roles are untouched."""
    from tracker.models import ActorRole

    mine: dict[tuple[object, ...], ActorRole] = {}
    others: set[tuple[object, ...]] = set()
    for r in actor.roles:
        key = (r.title, r.organization_id, r.start_on)
        if r.origin == "imported" and r.organization_id in chambers:
            mine[key] = r
        else:
            others.add(key)
    changed = False
    seen = set()
    for w in wanted:
        key = (w["title"], w["organization"].id, w["start_on"])
        if key in seen or key in others:
            continue
        seen.add(key)
        row = mine.get(key)
        if row is None:
            actor.roles.append(ActorRole(origin="imported", **w))
            changed = True
            continue
        for f in ("party", "state", "district", "end_on"):
            if getattr(row, f) != w[f]:
                setattr(row, f, w[f])
                changed = True
    for key, row in mine.items():
        if key not in seen:
            actor.roles.remove(row)
            changed = True
    return changed
