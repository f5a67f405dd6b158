"""Deciding what a match means: surnames, everyday words, names that belong to others.

A full name links on its own; these rules decide the rest from the document: whether a bare
surname is singled out (a full name elsewhere, a title with a party/state tag, a related
actor, a chamber colleague), whether an everyday word is meant as an organization, and
whether a surname is really part of somebody else's name ("Scott Warren").
"""

from __future__ import annotations

import re
from collections import defaultdict

from tracker.linking import context as ctx
from tracker.linking.candidates import ORG_KINDS, Found, Hit, make_found
from tracker.linking.gazetteer import SURNAME, Gazetteer, Target
from tracker.linking.normalize import common_words, fold


def neighbour_blocks(text: str, s: int, e: int, gz: Gazetteer, *, titles: bool = False) -> bool:
    """A capitalized word right before or after (one space between) that is not a title,
    party or state: the word is part of another name ("Scott Warren", "Opera House").
    With titles=True, "X of Y" counts too ("House of Cards")."""
    common = common_words()
    before = re.search(r"(?<![\w'’])([A-Z][\w'’]*)\.? $", text[max(0, s - 30) : s])
    after = re.match(r" ([A-Z][\w'’]*)", text[e : e + 30])
    if titles and _OF_NAME.match(text, e):
        return True
    for m in (before, after):
        if m is None:
            continue
        w = fold(m.group(1)).strip()
        if w in ctx.NAME_NEIGHBOURS:
            continue
        if w in common and w not in gz.vocab:
            continue  # "Kim Said" in a title-case headline
        return True
    return False


def document_words(gz, doc, covered, hits, direct_people, deferred) -> None:  # type: ignore[no-untyped-def]
    """Words of full names found in this document become names for the rest of it:
    after "Kim Jong Un", a later "Kim" means him (unless another full name shares it)."""
    if not direct_people:
        return
    owners: dict[str, set[int]] = defaultdict(set)
    for aid, words in direct_people.items():
        for w in words:
            if len(w) >= 3:
                owners[w].add(aid)
    taken = {h.start for h, _ in deferred} | {h.start for h in hits}
    common = common_words()
    for s, e, w in doc.capwords():
        if covered[s] or s in taken:
            continue
        if w in owners and w not in common:
            targets = [Target(a, SURNAME, "alias", 0.9, False, False) for a in sorted(owners[w])]
            deferred.append((Hit(s, e, -1, tuple(targets), 0.0, "local"), targets))


_OF_NAME = re.compile(r" (?:of|de|du) (?:the )?[A-Z]")


def common_word(gz, text, h, t, span, linked) -> list[Found]:  # type: ignore[no-untyped-def]
    """An everyday word that is also a name ("Moonshot", "House"): linked only with a
    sign that the organization is meant, and never inside another name."""
    info = gz.actors[t.actor_id]
    if t.actor_id not in linked and neighbour_blocks(text, h.start, h.end, gz, titles=True):
        return []  # "Opera House", "Carriage House Apartments", "House of Cards"
    orgs = any(gz.actors[a].kind in ORG_KINDS for a in linked if a != t.actor_id)
    if t.actor_id in linked:
        return [make_found(t, h, span, t.score, t.method, "full name elsewhere in the text")]
    if ctx.org_context(text, h.start, h.end, info.kind):
        return [make_found(t, h, span, 0.9, "context", "everyday word; organization context")]
    if orgs or info.related & linked:
        return [
            make_found(t, h, span, 0.85, "context", "everyday word; related organizations named")
        ]
    if _mid_sentence(text, h.start) and not _title_case_line(text, h.start, h.end):
        return [make_found(t, h, span, 0.85, "context", "everyday word capitalized mid-sentence")]
    return [make_found(t, h, span, 0.55, t.method, "everyday word without organization context")]


_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")


def _mid_sentence(text: str, start: int) -> bool:
    """Not the first word of a sentence or line (where everything is capitalized)."""
    before = text[max(0, start - 4) : start].rstrip(" \t(\"“‘'")
    return bool(before) and before[-1] not in ".!?:;\n"


def _title_case_line(text: str, start: int, end: int) -> bool:
    """The line is a title-case headline ("Moonshot Plan For Chips Advances")."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    line = text[a : b if b >= 0 else len(text)]
    words = _TITLE_WORD.findall(line)
    if len(words) < 3:
        return True
    return sum(1 for w in words if w[0].isupper()) / len(words) >= 0.6


def surname(gz, text, h, targets, span, direct_people, linked, foreign) -> Found | None:  # type: ignore[no-untyped-def]
    word = " ".join(fold(span).split())
    if word in foreign:
        return None
    ids = {t.actor_id for t in targets}
    # people named in full in this document who carry this word ("Kim" after "Kim Jong Un")
    local = {a for a, words in direct_people.items() if a in ids or word in words}
    in_doc = [gz.actors[a] for a in sorted(local)]
    ev = ctx.evidence(text, h.start, h.end)
    t0 = targets[0]
    if in_doc:
        if len(in_doc) > 1 and ev.any:
            in_doc = ctx.filter_by(in_doc, ev)
        if len(in_doc) == 1:
            t = Target(in_doc[0].id, SURNAME, "alias", 0.9, False, False)
            return make_found(t, h, span, 0.9, "context", "full name elsewhere in the text")
        return None
    cands = [gz.actors[a] for a in ids]
    if ev.any:
        kept = ctx.filter_by(cands, ev)
        if len(kept) == 1:
            t = next(t for t in targets if t.actor_id == kept[0].id)
            score, why = (0.92, "party/state tag") if ev.tagged else (0.85, "title")
            if ev.chair and not ev.chamber and not ev.tagged:
                score, why = 0.82, "committee title"
            return make_found(t, h, span, score, "context", f"surname; {why} fits one person")
        if not kept:
            return None
    if h.fuzzy:
        return None  # a misspelt surname ("Faster", "Round") needs the full name or a title
    related = [c for c in cands if c.related & linked]
    if len(related) == 1:
        t = next(t for t in targets if t.actor_id == related[0].id)
        return make_found(
            t, h, span, 0.8, "context", "surname; related to an actor named in the text"
        )
    if len(cands) == 1 and not t0.common:
        only = cands[0]
        colleagues = [
            gz.actors[a]
            for a in linked
            if gz.actors[a].person and gz.actors[a].chambers & only.chambers
        ]
        if colleagues and word not in common_words():
            return make_found(
                t0, h, span, 0.8, "context", "surname only one person has; a colleague is named"
            )
        if linked or _POLITICS.search(text):  # not "Self-Driving" in a gadget blog
            return make_found(t0, h, span, 0.55, "context", "surname only; one person has it")
    return None


_POLITICS = re.compile(
    r"\b(?:Sens?|Senators?|Reps?|Representatives?|Congress(?:man|woman)?|Senate|House|"
    r"lawmakers?|legislat\w+|Democrats?|Republicans?|GOP)\b"
)
