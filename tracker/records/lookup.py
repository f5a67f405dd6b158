"""Finding an actor or a record from what a person typed: a slug, a name, an alias, a typo.

Order: exact slug, then a case- and accent-insensitive match on the name (or, for actors,
a curated/imported/generated alias), then fuzzy matching with rapidfuzz. A clear winner is
returned; names that match several things about equally raise Ambiguous with the choices;
nothing close raises NotFound with up to three suggestions. Merged actors resolve to the
actor they were merged into.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.errors import Ambiguous, NotFound, UsageError
from tracker.models import Actor, ActorAlias, Record

# A fuzzy match must score at least this (0-100) to be returned…
ACCEPT = 86.0
# …and beat the runner-up by this margin; otherwise the name is ambiguous.
MARGIN = 4.0
# A typo ("Hagarty") scores lower on a short name; it is still taken when nothing else is
# anywhere near: at least CLEAR_SCORE, and CLEAR_LEAD ahead of the runner-up.
CLEAR_SCORE = 75.0
CLEAR_LEAD = 25.0
# Candidates at least this close are offered as suggestions.
SUGGEST = 55.0
# How many strings the fast first pass keeps for the finer score.
PRESELECT = 200
UNMATCHED_WORD = 5.0  # score points per name word the query leaves out (up to 3)

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize_name(text: str) -> str:
    """Lower-case, accents removed, punctuation collapsed to single spaces: "Kamlager-Dove"
    → "kamlager dove"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_WORD.sub(" ", bare).strip()


def slugify(text: str) -> str:
    """The slug form of a name: "Alibaba Group" → "alibaba-group"."""
    return normalize_name(text).replace(" ", "-")


@dataclass(frozen=True)
class _Candidate:
    kind: str  # "actor" | "record"
    id: int
    slug: str
    label: str
    score: float


def _survivor(session: Session, actor: Actor) -> Actor:
    """Follow merged_into_id to the actor that absorbed this one (cycles are cut)."""
    seen = {actor.id}
    while actor.merged_into_id is not None and actor.merged_into_id not in seen:
        nxt = session.get(Actor, actor.merged_into_id)
        if nxt is None:
            break
        seen.add(nxt.id)
        actor = nxt
    return actor


def _check(name: str) -> str:
    text = " ".join(str(name).split())
    if not text:
        raise UsageError("empty name: give a slug or a name")
    return text


# -- candidates --------------------------------------------------------------------------


def _actor_exact(session: Session, text: str) -> list[_Candidate]:
    """Slug, then alias or name ignoring case (indexed or in-SQL; no table load, since
    timeline --actor and watch add call this on every run)."""
    norm = normalize_name(text)
    if not norm:
        return []
    slug_hit = session.scalars(select(Actor).where(Actor.slug.in_({text, slugify(text)}))).first()
    if slug_hit is not None:
        a = _survivor(session, slug_hit)
        return [_Candidate("actor", a.id, a.slug, a.name, 100.0)]
    hits = session.scalars(
        select(Actor)
        .join(ActorAlias, ActorAlias.actor_id == Actor.id)
        .where(ActorAlias.normalized.in_({norm, text.casefold()}))
        .distinct()
    ).all()
    if not hits:  # names are usually aliases too; scan names only when no alias matched
        hits = session.scalars(select(Actor).where(func.lower(Actor.name) == text.lower())).all()
    out: dict[int, _Candidate] = {}
    for actor in sorted(hits, key=lambda a: a.id):
        a = _survivor(session, actor)
        out[a.id] = _Candidate("actor", a.id, a.slug, a.name, 100.0)
    return list(out.values())


def _record_exact(session: Session, text: str) -> list[_Candidate]:
    hit = session.scalars(select(Record).where(Record.slug.in_({text, slugify(text)}))).first()
    if hit is not None:
        return [_Candidate("record", hit.id, hit.slug, hit.title, 100.0)]
    rows = session.execute(
        select(Record.id, Record.slug, Record.title).where(func.lower(Record.title) == text.lower())
    ).all()
    return [_Candidate("record", rid, slug, title, 100.0) for rid, slug, title in rows]


def _score(query: str, choice: str, **_: object) -> float:
    """The best of: whole-name similarity; how well every query word is found among the
    name's words ("hagerty" → "bill hagerty", not "qwen campaign" → "qwen"); and a
    discounted partial match."""
    from rapidfuzz import fuzz

    words = choice.split()
    coverage = 0.0
    if words and query:
        asked = query.split()
        per_word = [max(fuzz.ratio(q, w) for w in words) for q in asked]
        coverage = sum(per_word) / len(per_word)
        # words of the name the query does not mention count a little against it, so a
        # typo of one name ("alibba") prefers "alibaba" to "alibaba qwen"
        unmatched = sum(1 for w in words if max(fuzz.ratio(q, w) for q in asked) < 80)
        coverage -= UNMATCHED_WORD * min(unmatched, 3)
    return max(fuzz.ratio(query, choice), coverage, 0.9 * fuzz.WRatio(query, choice))


# A record title is a sentence: finding the query's words in it is weaker evidence than
# finding them in a name, so an actor's name wins a tie against a title ("hagerty").
RECORD_WEIGHT = 0.95


Choice = tuple[tuple[str, int], str]  # ((kind, id), a string naming it)


def _fold(text: str) -> str:
    """A cheap form for matching: ASCII text is only lower-cased (default_process does the
    rest); anything else is accent-folded like the query."""
    return text.lower() if text.isascii() else normalize_name(text)


def _fuzzy(choices: list[Choice], labels: dict, text: str) -> list[_Candidate]:
    """Best fuzzy score per target, highest first."""
    from rapidfuzz import fuzz, process, utils

    if not choices:
        return []
    query = utils.default_process(normalize_name(text))
    strings = [s for _, s in choices]
    # A fast C-level pass keeps the plausible strings; the finer score runs only on those.
    shortlist = process.extract(
        query,
        strings,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=min(len(strings), PRESELECT),
        score_cutoff=30,
    )
    best: dict[tuple[str, int], float] = {}
    for _match, _first, index in shortlist:
        target = choices[index][0]
        score = _score(query, utils.default_process(strings[index]))
        weighted = score * (RECORD_WEIGHT if target[0] == "record" else 1.0)
        best[target] = max(best.get(target, 0.0), weighted)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], labels[kv[0]][0]))
    return [
        _Candidate(target[0], target[1], labels[target][0], labels[target][1], score)
        for target, score in ranked
    ]


def _actor_choices(session: Session) -> tuple[list[Choice], dict]:
    choices: list[Choice] = []
    labels: dict[tuple[str, int], tuple[str, str]] = {}
    merged_into: dict[int, int] = {}
    rows = session.execute(select(Actor.id, Actor.slug, Actor.name, Actor.merged_into_id)).all()
    for actor_id, slug, name, merged in rows:
        if merged is not None:
            merged_into[actor_id] = merged
            continue
        key = ("actor", actor_id)
        choices.append((key, _fold(name)))
        choices.append((key, slug.replace("-", " ")))
        labels[key] = (slug, name)

    def survivor(actor_id: int) -> int:
        seen = set()
        while actor_id in merged_into and actor_id not in seen:
            seen.add(actor_id)
            actor_id = merged_into[actor_id]
        return actor_id

    for actor_id, norm in session.execute(select(ActorAlias.actor_id, ActorAlias.normalized)):
        key = ("actor", survivor(actor_id) if merged_into else actor_id)
        if key in labels:
            choices.append((key, norm))
    return choices, labels


def _record_choices(session: Session) -> tuple[list[Choice], dict]:
    choices: list[Choice] = []
    labels: dict[tuple[str, int], tuple[str, str]] = {}
    for rid, slug, title in session.execute(select(Record.id, Record.slug, Record.title)):
        key = ("record", rid)
        choices.append((key, _fold(title)))
        choices.append((key, slug.replace("-", " ")))
        labels[key] = (slug, title)
    return choices, labels


def _decide(text: str, what: str, exact: list[_Candidate], fuzzy: list[_Candidate]) -> _Candidate:
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise Ambiguous(
            f"{what} {text!r} matches several", [f"{c.slug} ({c.label})" for c in exact]
        )
    if fuzzy and fuzzy[0].score >= ACCEPT:
        close = [c for c in fuzzy if c.score >= fuzzy[0].score - MARGIN]
        if len(close) == 1:
            return close[0]
        raise Ambiguous(
            f"{what} {text!r} matches several", [f"{c.slug} ({c.label})" for c in close[:6]]
        )
    if fuzzy and fuzzy[0].score >= CLEAR_SCORE:
        runner_up = fuzzy[1].score if len(fuzzy) > 1 else 0.0
        if fuzzy[0].score - runner_up >= CLEAR_LEAD:
            return fuzzy[0]
    suggestions = [c.slug for c in fuzzy if c.score >= SUGGEST][:3]
    raise NotFound(f"no {what} matches {text!r}", suggestions)


# -- public API --------------------------------------------------------------------------


def find_actor(session: Session, name: str) -> Actor:
    """The actor a slug, name or alias refers to (merged actors resolve to the survivor)."""
    text = _check(name)
    exact = _actor_exact(session, text)
    fuzzy = [] if exact else _fuzzy(*_actor_choices(session), text)
    found = _decide(text, "actor", exact, fuzzy)
    actor = session.get(Actor, found.id)
    assert actor is not None
    return actor


def find_record(session: Session, name_or_slug: str) -> Record:
    """The record a slug or title refers to."""
    text = _check(name_or_slug)
    exact = _record_exact(session, text)
    fuzzy = [] if exact else _fuzzy(*_record_choices(session), text)
    found = _decide(text, "record", exact, fuzzy)
    record = session.get(Record, found.id)
    assert record is not None
    return record


def find_any(session: Session, name: str) -> Actor | Record:
    """An actor or a record. An exact slug wins outright (actors first when both share one);
    otherwise names and aliases of both are matched together."""
    text = _check(name)
    for model in (Actor, Record):
        hit = session.scalars(select(model).where(model.slug == text)).first()
        if hit is not None:
            return _survivor(session, hit) if isinstance(hit, Actor) else hit
    exact = _actor_exact(session, text) + _record_exact(session, text)
    fuzzy: list[_Candidate] = []
    if not exact:
        a_choices, a_labels = _actor_choices(session)
        r_choices, r_labels = _record_choices(session)
        fuzzy = _fuzzy(a_choices + r_choices, {**a_labels, **r_labels}, text)
    found = _decide(text, "actor or record", exact, fuzzy)
    obj = session.get(Actor if found.kind == "actor" else Record, found.id)
    assert obj is not None
    return obj
