"""Listed companies to actors: exact names and aliases join, previous names join, the same
name with another legal form joins; a close but inexact name gets its own actor and the
pair goes to `import_reviews` for a person to decide."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tracker.legislation.common import (
    ReportBuilder,
    add_aliases,
    basic_normalize,
    slugify,
    unique_slug,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.models import Actor

FUZZY_REVIEW = 88  # rapidfuzz score (0-100) from which a near-miss goes to review
# Legal-form words only: "Group" and "Holding" stay, because a group and its listed
# company are different entities on these lists (China Telecom Group vs China Telecom Corp).
_SUFFIXES = re.compile(
    r"\b(co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|sa|ag|gmbh)\b"
)


def org_key(name: str) -> str:
    """A company name without its legal form: 'Baidu, Inc.' → 'baidu'."""
    return " ".join(_SUFFIXES.sub(" ", basic_normalize(name)).split())


class Companies:
    """Finds or creates the actor for each listed name (exact joins, fuzzy goes to review)."""

    KINDS = ("company", "organization", "ai_lab", "agency")

    def __init__(self, session: Session, rep: ReportBuilder) -> None:
        from sqlalchemy import select
        from sqlalchemy.orm import selectinload

        from tracker.models import Actor
        from tracker.models.legislation import ImportReview

        self.session, self.rep = session, rep
        self.exact: dict[str, set[int]] = {}
        self.loose: dict[str, set[int]] = {}
        self.names: dict[str, set[int]] = {}
        self.former: dict[str, set[int]] = {}
        self.loose_names: dict[str, set[int]] = {}
        self.actors: dict[int, Actor] = {}
        for a in session.scalars(
            select(Actor)
            .where(Actor.kind.in_(self.KINDS), Actor.merged_into_id.is_(None))
            .options(selectinload(Actor.aliases))
        ):
            self._index(a)
        self.slugs = set(session.scalars(select(Actor.slug)))
        self.reviews: set[tuple[int, int]] = {
            (a, c)
            for a, c in session.execute(
                select(ImportReview.actor_id, ImportReview.candidate_id).where(
                    ImportReview.dataset == "designations"
                )
            )
        }
        self.by_entity: dict[str, Actor] = {}
        self.bound: set[int] = set()

    def _index(self, a: Actor) -> None:
        self.actors[a.id] = a
        self.names.setdefault(basic_normalize(a.name), set()).add(a.id)
        if org_key(a.name):
            self.loose_names.setdefault(org_key(a.name), set()).add(a.id)
        for x in a.aliases:
            if x.note == "merged":  # a person merged a listed company into this actor
                self.names.setdefault(basic_normalize(x.alias), set()).add(a.id)
            if x.note == "former_name":
                self.former.setdefault(basic_normalize(x.alias), set()).add(a.id)
        for n in {a.name, *(x.alias for x in a.aliases if x.origin != "generated")}:
            self.exact.setdefault(basic_normalize(n), set()).add(a.id)
            if org_key(n):
                self.loose.setdefault(org_key(n), set()).add(a.id)

    def find(
        self,
        entity: str,
        others: list[str],
        previous: tuple[str, ...] = (),
        *,
        any_actor: bool = False,
    ) -> Actor | None:
        """An actor's exact name, else an exact alias, else a suffix-insensitive match (each
        only when unique). Aliases never join an actor that already stands for another
        listed entity in this run, so two rows sharing an alias are not merged on that alone.
        """
        named = self.names.get(basic_normalize(entity), set())
        if len(named) == 1:
            return self.actors[next(iter(named))]
        former = self.former.get(basic_normalize(entity), set())
        if len(former) == 1:  # a row under the name another row gives as its previous name
            return self.actors[next(iter(former))]
        for n in previous:
            hits = self.names.get(basic_normalize(n), set())
            if len(hits) == 1:
                return self.actors[next(iter(hits))]
        spelled = self.loose_names.get(org_key(entity), set())
        if len(spelled) == 1:  # the same name spelled with another legal form ("Co., Ltd")
            return self.actors[next(iter(spelled))]
        for table, key in ((self.exact, basic_normalize), (self.loose, org_key)):
            for n in [entity, *others]:
                hits = table.get(key(n), set())
                if not any_actor:
                    hits = hits - self.bound
                if len(hits) == 1:
                    return self.actors[next(iter(hits))]
        return None

    def get(
        self,
        entity: str,
        aliases: tuple[str, ...] = (),
        previous: tuple[str, ...] = (),
        *,
        parent: bool = False,
    ) -> Actor:
        """The actor for a listed entity (or, with parent=True, for a parent named by a row,
        which may well be another listed entity)."""
        from tracker.models import Actor

        key = basic_normalize(entity)
        actor = self.by_entity.get(key)
        if actor is not None and not (aliases or previous):
            return actor
        if actor is None:
            actor = self.find(entity, [*aliases, *previous], previous, any_actor=parent)
        if actor is None:
            actor = Actor(
                slug=unique_slug(slugify(org_key(entity) or entity), self.slugs),
                name=entity,
                kind="company",
            )
            self.session.add(actor)
            self.session.flush()
            self.rep.bump("actors added")
            self.rep.change(f"added actor {actor.slug} ({entity})")
            self._review(actor, entity)
        for p in previous:  # a previous name that is another actor: a person decides
            for other in self.names.get(basic_normalize(p), set()) - {actor.id}:
                reason = f"{entity!r} gives {p!r} as its previous name, a separate actor"
                self._queue(actor, other, entity, 1.0, reason)
        add_aliases(
            actor,
            [
                (entity, "listed_name"),
                *((a, "listed_alias") for a in aliases),
                *((p, "former_name") for p in previous),
            ],
        )
        self.session.flush()
        self._index(actor)
        self.by_entity[key] = actor
        self.bound.add(actor.id)
        return actor

    def _review(self, actor: Actor, entity: str) -> None:
        """A close but inexact match is not joined automatically: it is queued for review."""
        from rapidfuzz import fuzz, process

        key = org_key(entity)
        choices = {k: ids for k, ids in self.loose.items() if actor.id not in ids}
        if not key or not choices:
            return
        for match, score, _ in process.extract(
            key, list(choices), scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_REVIEW, limit=3
        ):
            for cid in choices[match]:
                reason = f"{entity!r} resembles {self.actors[cid].name!r} ({score:.0f}/100)"
                self._queue(actor, cid, entity, score / 100, reason)

    def _queue(self, actor: Actor, candidate: int, entity: str, score: float, reason: str) -> None:
        from tracker.models.legislation import ImportReview

        if (actor.id, candidate) in self.reviews:
            return
        self.reviews.add((actor.id, candidate))
        self.session.add(
            ImportReview(
                dataset="designations",
                name=entity[:300],
                actor_id=actor.id,
                candidate_id=candidate,
                score=round(score, 3),
                reason=reason,
            )
        )
        self.rep.bump("matches to review")
        self.rep.warn(f"review: is {entity!r} the same as {self.actors[candidate].name!r}?")
