"""Committees and memberships from congress-legislators (committees-current.yaml,
committee-membership-current.yaml).

A committee is a `committee` actor whose parent is its chamber (joint committees: Congress);
a subcommittee's parent is its committee. Both carry their Thomas code as the external id
`thomas` (e.g. "SSBK", "SSBK12"; the scheme the records format uses too), which is how re-imports and bill-status
referrals find them. Memberships are imported roles (Member / Chair / Ranking Member /
Vice Chair) on the committee; a re-import replaces only imported committee roles.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import ParseError
from tracker.legislation.common import (
    ImportReport,
    ReportBuilder,
    add_aliases,
    basic_normalize,
    chamber_actor,
    slugify,
    unique_slug,
)
from tracker.legislation.legislators import load_yaml

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models import Actor

SCHEME = "thomas"
_COMMITTEE_NAME = re.compile(
    r"^(House|Senate|Joint)\s+(?:Permanent\s+Select\s+|Select\s+|Special\s+)?Committee\s+on\s+(?:the\s+)?(.+)$",
    re.IGNORECASE,
)
TITLES = {
    "chairman": "Chair",
    "chair": "Chair",
    "chairwoman": "Chair",
    "co-chairman": "Co-Chair",
    "cochairman": "Co-Chair",
    "co-chair": "Co-Chair",
    "ranking member": "Ranking Member",
    "vice chairman": "Vice Chair",
    "vice chair": "Vice Chair",
    "vice chairwoman": "Vice Chair",
    "ex officio": "Ex Officio Member",
}
ROLE_TITLES = ("Member", *sorted(set(TITLES.values())))


def short_name(name: str) -> str | None:
    """'Senate Committee on Banking, Housing, and Urban Affairs' -> 'Senate Banking Committee'."""
    m = _COMMITTEE_NAME.match(" ".join(name.split()))
    if not m:
        return None
    subject = re.split(r",| and ", m.group(2), maxsplit=1)[0].strip()
    return f"{m.group(1).title()} {subject} Committee" if subject else None


def role_title(raw: object) -> str:
    return TITLES.get(str(raw or "").strip().lower(), "Member") if raw else "Member"


def _committees(data: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(data, list) or not all(
        isinstance(c, dict) and c.get("thomas_id") and c.get("name") for c in data
    ):
        raise ParseError(f"{path}: expected a list of committees with thomas_id and name")
    return data


def import_committees(
    session: Session, path: str | Path, membership: str | Path | None = None
) -> ImportReport:
    """Import committees (and, if given, memberships) into actors and roles; no commit."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from tracker.models import Actor, ActorExternalId

    path = Path(path)
    committees = _committees(load_yaml(path), path)
    members = None
    if membership is not None:
        members = load_yaml(Path(membership))
        if not isinstance(members, dict):
            raise ParseError(f"{membership}: expected a mapping of committee codes to member lists")
    rep = ReportBuilder(str(path), "committees")
    chambers: dict[str, Actor] = {}

    existing = {
        v: a
        for v, a in session.execute(
            select(ActorExternalId.value, Actor)
            .join(Actor, Actor.id == ActorExternalId.actor_id)
            .where(ActorExternalId.scheme == SCHEME, Actor.kind == "committee")
            .options(selectinload(Actor.aliases))
        )
    }
    # Committees somebody wrote by hand (e.g. "Senate Banking Committee") join by name/alias.
    by_name: dict[str, list[Actor]] = {}
    for a in session.scalars(
        select(Actor)
        .where(Actor.kind == "committee", Actor.merged_into_id.is_(None))
        .options(selectinload(Actor.aliases), selectinload(Actor.external_ids))
    ):
        if SCHEME in a.ids():
            continue
        for n in {a.name, *(x.alias for x in a.aliases)}:
            by_name.setdefault(basic_normalize(n), []).append(a)
    taken = set(session.scalars(select(Actor.slug)))

    def upsert(code: str, name: str, parent: Actor, extra: list[tuple[str, str | None]]) -> Actor:
        actor = existing.get(code)
        if actor is None:
            for n in [name] + [e for e, _ in extra]:
                hits = by_name.get(basic_normalize(n), [])
                if len({h.id for h in hits}) == 1:
                    actor = hits[0]
                    by_name.pop(basic_normalize(n))
                    break
        if actor is None:
            actor = Actor(
                slug=unique_slug(slugify(name), taken, parent.slug),
                name=name,
                kind="committee",
                parent=parent,
                country="US",
            )
            session.add(actor)
            rep.created += 1
            rep.change(f"added {actor.slug} ({name})")
        else:
            what = []
            if actor.parent_id != parent.id and (actor.parent_id is None or code in existing):
                actor.parent = parent
                what.append("parent")
            if what:
                rep.updated += 1
                rep.change(f"updated {actor.slug}: {', '.join(what)}")
            else:
                rep.unchanged += 1
        if code not in existing:
            actor.external_ids.append(ActorExternalId(scheme=SCHEME, value=code))
            existing[code] = actor
        add_aliases(actor, [(name, "official_name"), *extra])
        return actor

    for c in committees:
        chamber = {"house": "house", "senate": "senate"}.get(str(c.get("type")), "joint")
        parent = chamber_actor(session, chamber, chambers)
        name = " ".join(str(c["name"]).split())
        short = short_name(name)
        committee = upsert(
            str(c["thomas_id"]), name, parent, [(short, "short_name")] if short else []
        )
        prefix = (short or name).removesuffix(" Committee")
        for sub in c.get("subcommittees") or []:
            if not isinstance(sub, dict) or not sub.get("thomas_id") or not sub.get("name"):
                rep.warn(f"{c['thomas_id']}: a subcommittee without thomas_id or name was skipped")
                continue
            sub_name = " ".join(str(sub["name"]).split())
            full = f"{prefix} Subcommittee on {sub_name}"
            upsert(
                f"{c['thomas_id']}{sub['thomas_id']}", full, committee, [(sub_name, "subcommittee")]
            )
        rep.bump("committees")
        rep.bump("subcommittees", len(c.get("subcommittees") or []))
    session.flush()
    if members is not None:
        _import_memberships(session, members, existing, rep)
    session.flush()
    from tracker.legislation.importer import resolve_committee_codes

    linked = resolve_committee_codes(session)
    if linked:
        rep.change(f"linked {linked} committee referrals of imported measures")
    return rep.build()


def _import_memberships(
    session: Session, members: dict[str, Any], committees: dict[str, Actor], rep: ReportBuilder
) -> None:
    from sqlalchemy import select

    from tracker.models import Actor, ActorExternalId, ActorRole

    committee_ids = {a.id for a in committees.values()}
    people = dict(
        session.execute(
            select(ActorExternalId.value, ActorExternalId.actor_id).where(
                ActorExternalId.scheme == "bioguide"
            )
        ).all()
    )
    current = {
        (r.actor_id, r.title, r.organization_id): r
        for r in session.scalars(
            select(ActorRole).where(
                ActorRole.origin == "imported", ActorRole.organization_id.in_(committee_ids)
            )
        )
    }
    others = {
        (aid, title, org)
        for aid, title, org in session.execute(
            select(ActorRole.actor_id, ActorRole.title, ActorRole.organization_id).where(
                ActorRole.origin != "imported", ActorRole.organization_id.in_(committee_ids)
            )
        )
    }
    taken = set(session.scalars(select(Actor.slug)))
    wanted: set[tuple[int, str, int]] = set()
    for code, rows in members.items():
        committee = committees.get(str(code))
        if committee is None:
            rep.warn(f"membership: unknown committee code {code}; its members were skipped")
            continue
        for m in rows or []:
            if not isinstance(m, dict) or not m.get("name"):
                continue
            bioguide = m.get("bioguide")
            actor_id = people.get(str(bioguide)) if bioguide else None
            if actor_id is None:
                # Not in the legislators file: keep the member as a person with their id.
                person = Actor(
                    slug=unique_slug(slugify(str(m["name"])), taken, str(bioguide or "")),
                    name=" ".join(str(m["name"]).split()),
                    kind="person",
                    country="US",
                )
                if bioguide:
                    person.external_ids.append(
                        ActorExternalId(scheme="bioguide", value=str(bioguide))
                    )
                session.add(person)
                session.flush()
                actor_id = person.id
                if bioguide:
                    people[str(bioguide)] = actor_id
                rep.change(f"added {person.slug} (committee member not among the legislators)")
            key = (actor_id, role_title(m.get("title")), committee.id)
            if key in wanted or key in others:
                continue
            wanted.add(key)
            if key not in current:
                session.add(
                    ActorRole(
                        actor_id=key[0], title=key[1], organization_id=key[2], origin="imported"
                    )
                )
                rep.bump("memberships added")
    for key, row in current.items():
        if key not in wanted:
            session.delete(row)
            rep.bump("memberships removed")
    rep.bump("memberships", len(wanted))
