"""Sponsors and cosponsors to actors: by bioguide id, else by exact name, else a new actor.

A member the knowledge base does not know yet (a former member, say) becomes a person
actor with the bioguide id and the name the file gives; the legislators import later
finds them by that id and fills in the rest. Nobody named in an official file is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker.legislation import statements
from tracker.legislation.common import basic_normalize, normalize_name, slugify, unique_slug
from tracker.legislation.parsed import MemberRef

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class People:
    """Bulk-loaded lookups for one import run (one query each, not one per row)."""

    def __init__(self, session: Session, shared: dict[str, Any] | None = None) -> None:
        """`shared` carries the lookups from one file's import to the next (import_paths
        drops it when a file fails, since that file's new actors were rolled back)."""
        from sqlalchemy import select

        from tracker.models import Actor, ActorExternalId

        self.session = session
        shared = {} if shared is None else shared
        if "bioguide" not in shared:
            shared["bioguide"] = dict(
                session.execute(
                    select(ActorExternalId.value, ActorExternalId.actor_id).where(
                        ActorExternalId.scheme == "bioguide"
                    )
                ).all()
            )
            # People without a bioguide id yet (e.g. written by hand) join by exact, unique name.
            by_name: dict[str, list[int]] = {}
            with_id = select(ActorExternalId.actor_id).where(ActorExternalId.scheme == "bioguide")
            for aid, name in session.execute(
                select(Actor.id, Actor.name).where(
                    Actor.kind == "person",
                    Actor.merged_into_id.is_(None),
                    Actor.id.not_in(with_id),
                )
            ):
                by_name.setdefault(basic_normalize(name), []).append(aid)
            shared["person_names"] = by_name
        self.by_bioguide: dict[str, int] = shared["bioguide"]
        self.by_name: dict[str, list[int]] = shared["person_names"]
        self.shared = shared
        self.created: list[str] = []

    def _taken(self) -> set[str]:
        if "actor_slugs" not in self.shared:
            from sqlalchemy import select

            from tracker.models import Actor

            self.shared["actor_slugs"] = set(self.session.scalars(select(Actor.slug)))
        return self.shared["actor_slugs"]

    def resolve(self, refs: list[MemberRef]) -> dict[MemberRef, int]:
        """Actor ids for refs; unknown members become actors, inserted in bulk."""
        from tracker.models import Actor, ActorAlias, ActorExternalId

        out: dict[MemberRef, int] = {}
        pending: dict[str, MemberRef] = {}
        later: list[tuple[MemberRef, str]] = []
        for ref in refs:
            if ref.bioguide and ref.bioguide in self.by_bioguide:
                out[ref] = self.by_bioguide[ref.bioguide]
                continue
            norm = basic_normalize(ref.name)
            key = ref.bioguide or "name:" + norm
            hits = self.by_name.get(norm, [])
            if key not in pending and len(hits) == 1:
                out[ref] = hits[0]
                if ref.bioguide:  # a hand-written person gains the id the file gives
                    self.session.execute(
                        statements.insert_into(ActorExternalId.__table__),
                        [{"actor_id": hits[0], "scheme": "bioguide", "value": ref.bioguide}],
                    )
                    self.by_bioguide[ref.bioguide] = hits[0]
                    del self.by_name[norm]
                continue
            pending.setdefault(key, ref)
            later.append((ref, key))
        if not pending:
            return out
        keys = list(pending)
        rows = [
            {
                "slug": unique_slug(
                    slugify(r.name), self._taken(), r.state or "", r.bioguide or ""
                ),
                "name": r.name,
                "kind": "person",
                "country": "US",
            }
            for r in (pending[k] for k in keys)
        ]
        table = Actor.__table__
        # One insert that returns the new ids; RETURNING order is not guaranteed, so they
        # are matched back by slug (unique).
        by_slug = dict(self.session.execute(statements.insert_returning_slug(table), rows).all())
        new = {k: by_slug[r["slug"]] for k, r in zip(keys, rows, strict=True)}
        ext = [
            {"actor_id": new[k], "scheme": "bioguide", "value": k}
            for k in keys
            if not k.startswith("name:")
        ]
        if ext:
            statements.bulk_insert(self.session, ActorExternalId.__table__, ext)
        statements.bulk_insert(
            self.session,
            ActorAlias.__table__,
            [
                {
                    "actor_id": new[k],
                    "alias": pending[k].name,
                    "origin": "imported",
                    "normalized": normalize_name(pending[k].name),
                    "note": "official_record",
                }
                for k in keys
                if normalize_name(pending[k].name)
            ],
        )
        for k, row in zip(keys, rows, strict=True):
            if k.startswith("name:"):
                self.by_name[k.removeprefix("name:")] = [new[k]]
            else:
                self.by_bioguide[k] = new[k]
            self.created.append(row["slug"])
        for ref, key in later:
            out[ref] = new[key]
        return out
