"""Sponsors and cosponsors to actors: by bioguide id, else by exact name, else a new actor.

A member the knowledge base does not know yet (a former member, say) becomes a person
actor with the bioguide id and the name the file gives; the legislators import later
finds them by that id and fills in the rest. Nobody named in an official file is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.legislation.common import add_aliases, basic_normalize, slugify, unique_slug
from tracker.legislation.parsed import MemberRef

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class People:
    """Bulk-loaded lookups for one import run (one query each, not one per row)."""

    def __init__(self, session: Session) -> None:
        from sqlalchemy import select

        from tracker.models import Actor, ActorExternalId

        self.session = session
        self.by_bioguide: dict[str, int] = dict(
            session.execute(
                select(ActorExternalId.value, ActorExternalId.actor_id).where(
                    ActorExternalId.scheme == "bioguide"
                )
            ).all()
        )
        self.by_name: dict[str, list[int]] = {}
        for aid, name in session.execute(
            select(Actor.id, Actor.name).where(
                Actor.kind == "person", Actor.merged_into_id.is_(None)
            )
        ):
            self.by_name.setdefault(basic_normalize(name), []).append(aid)
        self._slugs: set[str] | None = None
        self.created: list[str] = []

    def _taken(self) -> set[str]:
        if self._slugs is None:
            from sqlalchemy import select

            from tracker.models import Actor

            self._slugs = set(self.session.scalars(select(Actor.slug)))
        return self._slugs

    def resolve(self, refs: list[MemberRef]) -> dict[MemberRef, int]:
        """Actor ids for refs, creating actors for unknown members (one flush for all)."""
        from tracker.models import Actor, ActorExternalId

        out: dict[MemberRef, int] = {}
        new: list[tuple[MemberRef, Actor]] = []
        pending: dict[str, Actor] = {}
        for ref in refs:
            if ref.bioguide and ref.bioguide in self.by_bioguide:
                out[ref] = self.by_bioguide[ref.bioguide]
                continue
            key = ref.bioguide or "name:" + basic_normalize(ref.name)
            if key in pending:
                new.append((ref, pending[key]))
                continue
            hits = self.by_name.get(basic_normalize(ref.name), [])
            if len(hits) == 1:
                out[ref] = hits[0]
                if ref.bioguide:
                    self.session.add(
                        ActorExternalId(actor_id=hits[0], scheme="bioguide", value=ref.bioguide)
                    )
                    self.by_bioguide[ref.bioguide] = hits[0]
                    del self.by_name[basic_normalize(ref.name)]
                continue
            actor = Actor(
                slug=unique_slug(
                    slugify(ref.name), self._taken(), ref.state or "", ref.bioguide or ""
                ),
                name=ref.name,
                kind="person",
                country="US",
            )
            if ref.bioguide:
                actor.external_ids.append(ActorExternalId(scheme="bioguide", value=ref.bioguide))
            add_aliases(actor, [(ref.name, "official_record")])
            self.session.add(actor)
            pending[key] = actor
            new.append((ref, actor))
        if new:
            self.session.flush()
            for ref, actor in new:
                out[ref] = actor.id
                if ref.bioguide:
                    self.by_bioguide[ref.bioguide] = actor.id
                self.created.append(actor.slug)
        return out
