"""The gazetteer: every actor's names and aliases, normalized, in one Aho-Corasick automaton.

Built from actor names and curated/imported aliases; the variants `normalize.name_variants`
derives (titles stripped, corporate suffixes dropped, surnames, spacing) are computed here
and mirrored into `actor_aliases` rows with origin='generated' by `sync_generated_aliases`,
so they can be inspected and rebuilt but never mix with what a person wrote.

A built gazetteer is cached per database and rebuilt when actors or aliases change
(`gazetteer_version` is one cheap aggregate query).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import ahocorasick

from tracker.linking.normalize import common_words, despace, name_variants, normalize

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Alias classes: how much evidence a match needs before it links.
FULL = "full"  # several words ("Bill Hagerty", "Moonshot AI"): capitalized in the text
SHORT = (
    "short"  # one word that is not a surname ("Anthropic", "BIS"): capitalized, context if common
)
SURNAME = "surname"  # a person's family name alone: needs the document to single the person out

FUZZY_MIN_LEN = 5


class Target(NamedTuple):
    actor_id: int
    klass: str
    method: str  # exact (the actor's name) / alias (curated, imported or generated)
    score: float
    acronym: bool  # written in capitals in the KB ("BIS"): must be capitals in the text
    common: bool  # also an everyday word ("moonshot"): needs an organization context


@dataclass(frozen=True)
class ActorInfo:
    id: int
    slug: str
    name: str
    kind: str
    chambers: frozenset[str] = frozenset()  # "sen" / "rep"
    parties: frozenset[str] = frozenset()  # "D" / "R" / "I"
    states: frozenset[str] = frozenset()  # postal codes
    titles: frozenset[str] = frozenset()  # role titles, lower case
    related: frozenset[int] = frozenset()  # co-actors on records, parent/children, committees
    first_names: frozenset[str] = frozenset()  # normalized first words of its full names

    @property
    def person(self) -> bool:
        return self.kind == "person"


@dataclass
class Gazetteer:
    actors: dict[int, ActorInfo]
    entries: list[tuple[str, tuple[Target, ...]]]
    automaton: ahocorasick.Automaton
    index: dict[str, int]  # normalized alias → entry index
    despaced: dict[str, int]  # alias without spaces → entry index ("deepseek")
    vocab: frozenset[str]  # every word of every alias
    token_entries: dict[str, tuple[int, ...]]  # alias word → entries containing it
    blocks: dict[tuple[str, int], list[str]]  # (first letter, length) → distinctive words
    version: tuple[object, ...] = ()
    _block_cache: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    # fuzzy verdicts for words seen before (news repeats its unknown words); per gazetteer
    word_cache: dict[tuple[str, float], str | None] = field(default_factory=dict)
    viable_cache: dict[tuple[int, bool, bool, bool], tuple[Target, ...]] = field(
        default_factory=dict
    )

    @property
    def alias_count(self) -> int:
        return len(self.entries)

    def fuzzy_candidates(self, word: str) -> list[str]:
        """Distinctive alias words that could be `word` with a typo: same first letter,
        length within one (the blocking that keeps the fuzzy pass cheap)."""
        key = (word[0], len(word))
        hit = self._block_cache.get(key)
        if hit is None:
            hit = []
            for n in (len(word) - 1, len(word), len(word) + 1):
                hit.extend(self.blocks.get((word[0], n), ()))
            self._block_cache[key] = hit
        return hit


@dataclass(frozen=True)
class AliasSource:
    """One name of one actor, as the gazetteer receives it."""

    actor_id: int
    text: str
    origin: str  # name / curated / imported / generated
    note: str | None = None


def _classify(norm: str, src: AliasSource, info: ActorInfo, common: frozenset[str]) -> Target:
    single = " " not in norm
    klass = SURNAME if src.note == "surname" and info.person else SHORT if single else FULL
    if src.origin == "name":
        method, score = "exact", 1.0
    elif src.origin == "generated":
        method, score = "alias", 0.93
    else:
        method, score = "alias", 0.97
    letters = [c for c in src.text if c.isalpha()]
    acronym = single and 1 < len(letters) <= 6 and all(c.isupper() for c in letters)
    # "open ai" from "OpenAI": a split brand made of everyday words needs the same care
    everyday = (
        norm in common
        if single
        else (src.note == "spacing" and all(w in common for w in norm.split()))
    )
    if everyday and not single:
        klass = SHORT
    return Target(info.id, klass, method, score, acronym, everyday)


COMMITTEE_WORDS = frozenset(
    [
        "committee",
        "committees",
        "subcommittee",
        "panel",
        "commission",
        "caucus",
        "senate",
        "house",
        "joint",
        "select",
        "congressional",
    ]
)


def linkable(text: str, norm: str, kind: str, origin: str) -> bool:
    """Whether a name may be matched in news text. A committee's alias must say it is a
    committee, name its chamber or be an acronym ("HFAC"): subcommittee subjects
    ("Africa", "Health Care", "Tax") are aliases for lists, not names to find in articles."""
    if kind != "committee" or origin == "name":
        return True
    letters = [c for c in text if c.isalpha()]
    if 1 < len(letters) <= 8 and " " not in text.strip() and all(c.isupper() for c in letters):
        return True
    return any(w in COMMITTEE_WORDS for w in norm.split())


def build(actors: Iterable[ActorInfo], names: Iterable[AliasSource]) -> Gazetteer:
    """Build a gazetteer from actor facts and their names (no database access)."""
    infos = {a.id: a for a in actors}
    common = common_words()
    targets: dict[str, dict[int, Target]] = defaultdict(dict)
    first_names: dict[int, set[str]] = defaultdict(set)

    def add(norm: str, src: AliasSource, info: ActorInfo) -> None:
        if not norm or len(despace(norm)) < 2:
            return
        t = _classify(norm, src, info, common)
        old = targets[norm].get(info.id)
        # one target per (alias, actor): the strongest class and score win
        if old is None or (old.klass == SURNAME and t.klass != SURNAME) or old.score < t.score:
            targets[norm][info.id] = t
        if info.person and " " in norm and t.klass == FULL:
            first_names[info.id].add(norm.split()[0])

    for src in names:
        info = infos.get(src.actor_id)
        if info is None:
            continue
        norm = normalize(src.text)
        if not linkable(src.text, norm, info.kind, src.origin):
            continue
        add(norm, src, info)
        if src.origin != "generated":
            for variant, note in name_variants(src.text, info.kind):
                add(variant, AliasSource(src.actor_id, variant, "generated", note), info)

    # A one-word name two people share ("Kim") is a surname for both, whatever its origin.
    for norm, by_actor in targets.items():
        if " " not in norm and sum(1 for a in by_actor if infos[a].person) > 1:
            for aid, t in list(by_actor.items()):
                if infos[aid].person and t.klass != SURNAME:
                    by_actor[aid] = t._replace(klass=SURNAME)

    automaton = ahocorasick.Automaton()
    entries: list[tuple[str, tuple[Target, ...]]] = []
    index: dict[str, int] = {}
    despaced: dict[str, int] = {}
    token_entries: dict[str, list[int]] = defaultdict(list)
    for norm in sorted(targets):
        i = len(entries)
        entries.append((norm, tuple(sorted(targets[norm].values()))))
        index[norm] = i
        automaton.add_word(f" {norm} ", i)
        if " " in norm:
            despaced.setdefault(despace(norm), i)
        for tok in set(norm.split()):
            token_entries[tok].append(i)
    automaton.make_automaton()
    blocks: dict[tuple[str, int], list[str]] = defaultdict(list)
    for tok in sorted(token_entries):
        if len(tok) >= FUZZY_MIN_LEN and tok not in common and not tok.isdigit():
            blocks[(tok[0], len(tok))].append(tok)
    for aid, names_ in first_names.items():
        infos[aid] = ActorInfo(**{**infos[aid].__dict__, "first_names": frozenset(names_)})
    return Gazetteer(
        actors=infos,
        entries=entries,
        automaton=automaton,
        index=index,
        despaced=despaced,
        vocab=frozenset(token_entries),
        token_entries={k: tuple(v) for k, v in token_entries.items()},
        blocks=dict(blocks),
    )


# -- from the database --------------------------------------------------------------------

_CHAMBER_WORDS = (
    ("senator", "sen"),
    ("representative", "rep"),
    ("delegate", "rep"),
    ("resident commissioner", "rep"),
    ("congressman", "rep"),
    ("congresswoman", "rep"),
)


def gazetteer_version(session: Session) -> tuple[object, ...]:
    """Changes whenever an actor, a non-generated alias or a role is added, edited or removed.

    One round trip of aggregates (ids and counts come from indexes), run on every linking
    call so a changed knowledge base is never matched with a stale automaton.
    """
    from sqlalchemy import func, select

    from tracker.models import Actor, ActorAlias, ActorRole

    written = ActorAlias.origin != "generated"
    row = session.execute(
        select(
            select(func.count(Actor.id)).scalar_subquery(),
            select(func.max(Actor.id)).scalar_subquery(),
            select(func.max(Actor.updated_at)).scalar_subquery(),
            select(func.count(ActorAlias.id)).where(written).scalar_subquery(),
            select(func.max(ActorAlias.id)).where(written).scalar_subquery(),
            select(func.count(ActorRole.id)).scalar_subquery(),
            select(func.max(ActorRole.id)).scalar_subquery(),
        )
    ).one()
    return tuple(row)


def load_sources(session: Session) -> tuple[list[ActorInfo], list[AliasSource]]:
    """Actor facts (roles, relations) and names, read in a handful of queries."""
    from sqlalchemy import select

    from tracker.models import Actor, ActorAlias, ActorRole, RecordActor

    rows = session.execute(
        select(Actor.id, Actor.slug, Actor.name, Actor.kind, Actor.parent_id).where(
            Actor.merged_into_id.is_(None)
        )
    ).all()
    live = {r.id for r in rows}
    related: dict[int, set[int]] = defaultdict(set)
    kinds = {r.id: r.kind for r in rows}
    for r in rows:
        if r.parent_id in live and kinds[r.parent_id] != "legislature":
            related[r.id].add(r.parent_id)
            related[r.parent_id].add(r.id)
    chambers: dict[int, set[str]] = defaultdict(set)
    parties: dict[int, set[str]] = defaultdict(set)
    states: dict[int, set[str]] = defaultdict(set)
    titles: dict[int, set[str]] = defaultdict(set)
    for aid, title, org, party, state in session.execute(
        select(
            ActorRole.actor_id,
            ActorRole.title,
            ActorRole.organization_id,
            ActorRole.party,
            ActorRole.state,
        )
    ):
        low = (title or "").lower()
        titles[aid].add(low)
        for word, chamber in _CHAMBER_WORDS:
            if word in low:
                chambers[aid].add(chamber)
        if party:
            parties[aid].add(party.strip()[:1].upper())
        if state:
            states[aid].add(state.upper())
        if org in live and kinds.get(org) not in (None, "legislature"):
            related[aid].add(org)
            related[org].add(aid)
    by_record: dict[int, set[int]] = defaultdict(set)
    for rid, aid in session.execute(select(RecordActor.record_id, RecordActor.actor_id)):
        by_record[rid].add(aid)
    for members in by_record.values():
        if len(members) <= 12:  # a record with a hundred cosponsors says little about any pair
            for aid in members:
                related[aid].update(members - {aid})
    infos = [
        ActorInfo(
            id=r.id,
            slug=r.slug,
            name=r.name,
            kind=r.kind,
            chambers=frozenset(chambers[r.id]),
            parties=frozenset(parties[r.id]),
            states=frozenset(states[r.id]),
            titles=frozenset(titles[r.id]),
            related=frozenset(related[r.id] & live),
        )
        for r in rows
    ]
    names = [AliasSource(r.id, r.name, "name") for r in rows]
    for aid, text, origin, note in session.execute(
        select(ActorAlias.actor_id, ActorAlias.alias, ActorAlias.origin, ActorAlias.note).where(
            ActorAlias.origin != "generated"
        )
    ):
        if aid in live:
            names.append(AliasSource(aid, text, origin, note))
    return infos, names


_CACHE: dict[str, Gazetteer] = {}
_LOCK = threading.Lock()


def _cache_key(session: Session) -> str:
    bind = session.get_bind()
    return f"{bind.url!r}|{id(bind)}"


def load_gazetteer(session: Session, *, force: bool = False) -> Gazetteer:
    """The gazetteer for this database, rebuilt only when actors or aliases changed."""
    version = gazetteer_version(session)
    key = _cache_key(session)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.version == version and not force:
            return cached
    infos, names = load_sources(session)
    gz = build(infos, names)
    gz.version = version
    with _LOCK:
        _CACHE[key] = gz
    return gz


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def sync_generated_aliases(session: Session) -> tuple[int, int]:
    """Make the stored generated aliases equal the computed variants; returns (added, removed).

    Curated and imported aliases are never touched; a variant equal to one of them is not
    stored twice.
    """
    from sqlalchemy import delete, select

    from tracker.models import Actor, ActorAlias

    infos, names = load_sources(session)
    kinds = {i.id: i.kind for i in infos}
    written = {(s.actor_id, normalize(s.text)) for s in names}
    wanted: dict[tuple[int, str], str] = {}
    for src in names:
        for norm, note in name_variants(src.text, kinds[src.actor_id]):
            if (src.actor_id, norm) not in written:
                wanted.setdefault((src.actor_id, norm), note)
    have = {
        (aid, norm): alias_id
        for alias_id, aid, norm in session.execute(
            select(ActorAlias.id, ActorAlias.actor_id, ActorAlias.normalized)
            .join(Actor, Actor.id == ActorAlias.actor_id)
            .where(ActorAlias.origin == "generated", Actor.merged_into_id.is_(None))
        )
    }
    stale = [alias_id for key, alias_id in have.items() if key not in wanted]
    for chunk in range(0, len(stale), 500):
        session.execute(delete(ActorAlias).where(ActorAlias.id.in_(stale[chunk : chunk + 500])))
    new = [
        {"actor_id": aid, "alias": norm, "normalized": norm, "origin": "generated", "note": note}
        for (aid, norm), note in sorted(wanted.items())
        if (aid, norm) not in have
    ]
    if new:
        session.execute(ActorAlias.__table__.insert(), new)
    session.flush()
    return len(new), len(stale)
