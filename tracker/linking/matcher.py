"""Finding actors in one text: exact pass, fuzzy pass, then disambiguation (no database).

1. Exact: the Aho-Corasick automaton runs over the folded, space-collapsed text; patterns
   are padded with spaces, so only whole words match. Overlaps keep the longest match.
2. Fuzzy (rapidfuzz), only for capitalized words no exact match covered and no alias
   contains: spacing ("Deep Seek") through the despaced index, typos ("Hagarty") through
   blocking by first letter and length, then the whole alias is compared to the text
   window around the word.
3. Decide (rules in disambiguate.py): full names link; one-word names need capitals (and an organization context
   when they are everyday words); surnames link only when the document singles out one
   person (a full name elsewhere in it, a title with a party/state tag, a related actor).

`match_text` returns candidate links with their mentions, scores and reasons; deciding
auto/review from the score is `LinkConfig`'s job.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from tracker.linking import context as ctx
from tracker.linking import disambiguate as dis
from tracker.linking.candidates import DEFAULT_CONFIG, Candidate, Found, Hit, LinkConfig, make_found
from tracker.linking.gazetteer import FULL, SHORT, SURNAME, Gazetteer, Target
from tracker.linking.normalize import common_words, fold

__all__ = ["DEFAULT_CONFIG", "Candidate", "Found", "LinkConfig", "match_text"]

_SPACES = re.compile(r" {2,}")
_CAPWORD = re.compile(r"(?<![\w'’])[A-Z\u00c0-\u00de][^\W\d_]+")
_NORMWORD = re.compile(r"\S+")


@dataclass
class _Doc:
    text: str
    norm: str
    cuts: list[int] = field(default_factory=list)
    adds: list[int] = field(default_factory=list)

    _capwords: list[tuple[int, int, str]] | None = None

    def capwords(self) -> list[tuple[int, int, str]]:
        """Capitalized words of the original text: (start, end, folded word)."""
        if self._capwords is None:
            self._capwords = [
                (m.start(), m.end(), g.lower() if g.isascii() else fold(g))
                for m in _CAPWORD.finditer(self.text)
                for g in (m.group(),)
            ]
        return self._capwords

    def orig(self, p: int) -> int:
        if not self.cuts:
            return p
        return p + self.adds[bisect_right(self.cuts, p) - 1]


def _prepare(text: str) -> _Doc:
    folded = fold(text)
    runs = list(_SPACES.finditer(folded))
    if not runs:
        return _Doc(text, folded)
    parts, cuts, adds, pos, removed = [], [0], [0], 0, 0
    for m in runs:
        a, b = m.span()
        parts.append(folded[pos : a + 1])
        removed += b - a - 1
        cuts.append(a + 1 - (removed - (b - a - 1)))
        adds.append(removed)
        pos = b
    parts.append(folded[pos:])
    return _Doc(text, "".join(parts), cuts, adds)


def _capitalized(s: str) -> bool:
    return s != s.lower()


def _viable(t: Target, span: str) -> bool:
    if t.acronym:
        return span.isupper()
    return _capitalized(span[:1]) or (t.klass == FULL and _capitalized(span))


def _exact_hits(gz: Gazetteer, doc: _Doc) -> list[Hit]:
    hits = []
    padded = f" {doc.norm} "
    entries, text = gz.entries, doc.text
    memo = gz.viable_cache
    for end, idx in gz.automaton.iter(padded):
        key, targets = entries[idx]
        ns = end - len(key) - 1
        s = doc.orig(ns)
        e = doc.orig(ns + len(key) - 1) + 1
        span = text[s:e]
        # which targets a span may stand for depends only on its capitals: memoize
        shape = (idx, span[0].isupper(), span != span.lower(), span.isupper())
        viable = memo.get(shape)
        if viable is None:
            viable = tuple(t for t in targets if _viable(t, span))
            if len(memo) < 500_000:
                memo[shape] = viable
        if viable:
            hits.append(Hit(s, e, idx, viable))
    return hits


def _longest(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h.start, h.start - h.end))
    out: list[Hit] = []
    last = -1
    for h in hits:
        if h.start >= last:
            out.append(h)
            last = h.end
    return out


def _fuzzy_hits(
    gz: Gazetteer, doc: _Doc, covered: bytearray, cfg: LinkConfig, cache: dict
) -> list[Hit]:
    text = doc.text
    common = common_words()
    words = [(s, e, w) for s, e, w in doc.capwords() if not covered[s]]
    hits: list[Hit] = []
    used: set[int] = set()
    norm_words = None
    for i, (s, e, w) in enumerate(words):
        if s in used:
            continue
        # spacing: "Deep Seek" / "Deep-Seek" → "deepseek"; "Deepseek" → "deep seek"
        if i + 1 < len(words) and text[e : words[i + 1][0]] in (" ", "-"):
            s2, e2, w2 = words[i + 1]
            idx = gz.index.get(w + w2)
            if idx is None:
                idx = gz.despaced.get(w + w2)
            if idx is not None:
                targets = gz.entries[idx][1]
                if w in common and w2 in common:  # "Open AI", "Deep Seek": everyday words
                    targets = tuple(t._replace(klass=SHORT, common=True) for t in targets)
                hits.append(Hit(s, e2, idx, targets, 0.95, "spacing"))
                used.add(s2)
                continue
        if w in gz.vocab or w in common:
            continue
        idx = gz.despaced.get(w)
        if idx is not None:
            hits.append(Hit(s, e, idx, gz.entries[idx][1], 0.95, "spacing"))
            continue
        if len(w) < 5:
            continue
        key = (w, cfg.fuzzy_word)
        best = cache.get(key, False)
        if best is False:
            found = process.extract(
                w, gz.fuzzy_candidates(w), scorer=fuzz.ratio, limit=2, score_cutoff=75
            )
            best = None
            clear = found and (len(found) == 1 or found[0][1] - found[1][1] >= 3)
            if clear and (found[0][1] >= cfg.fuzzy_word or _one_edit(w, found[0][0])):
                best = found[0][0]
            if len(cache) < 200_000:
                cache[key] = best
        if best is None:
            continue
        if norm_words is None:
            norm_words = [(doc.orig(m.start()), m.group()) for m in _NORMWORD.finditer(doc.norm)]
            starts = {st: k for k, (st, _) in enumerate(norm_words)}
        k0 = starts.get(s)
        if k0 is None:
            continue
        hit = _best_window(gz, doc, norm_words, k0, best, cfg, covered)
        if hit is not None:
            hits.append(hit)
    return hits


def _one_edit(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours, in a word of 5+ letters."""
    return min(len(a), len(b)) >= 5 and DamerauLevenshtein.distance(a, b) <= 1


def _best_window(gz, doc, norm_words, k0, token, cfg, covered) -> Hit | None:  # type: ignore[no-untyped-def]
    best: tuple[float, int, int, int, int] | None = None
    for idx in gz.token_entries.get(token, ())[:40]:
        key = gz.entries[idx][0]
        parts = key.split()
        pos = parts.index(token)
        a, b = k0 - pos, k0 - pos + len(parts)
        if a < 0 or b > len(norm_words):
            continue
        window = " ".join(w for _, w in norm_words[a:b])
        score = fuzz.ratio(window, key)
        if score < cfg.fuzzy_alias:
            if not _one_edit(window, key):
                continue
            score = cfg.fuzzy_alias  # one slip (a swap, a missing letter) in a long word
        s = norm_words[a][0]
        e = norm_words[b - 1][0] + len(norm_words[b - 1][1])
        if any(covered[s:e]):
            continue
        cand = (score, len(parts), idx, s, e)
        if best is None or cand[:2] > best[:2]:
            best = cand
    if best is None:
        return None
    score, _, idx, s, e = best
    if not _capitalized(doc.text[s:e]):
        return None
    return Hit(s, e, idx, gz.entries[idx][1], score / 100.0, "typo")


def match_text(
    gz: Gazetteer, text: str, cfg: LinkConfig = DEFAULT_CONFIG, cache: dict | None = None
) -> list[Candidate]:
    """Every actor `text` mentions, with mentions (spans into `text`), score and status."""
    if not text or not gz.entries:
        return []
    doc = _prepare(text)
    hits = _exact_hits(gz, doc)
    hits = _longest(hits)
    covered = bytearray(len(text) + 1)
    for h in hits:
        covered[h.start : h.end] = b"\x01" * (h.end - h.start)
    if cfg.fuzzy:
        extra = _fuzzy_hits(gz, doc, covered, cfg, gz.word_cache if cache is None else cache)
        if extra:
            hits = _longest(hits + extra)
    found: list[Found] = []
    deferred: list[tuple[Hit, list[Target]]] = []
    direct_people: dict[int, set[str]] = defaultdict(set)
    for h in hits:
        span = text[h.start : h.end]
        direct = [t for t in h.targets if t.klass != SURNAME]
        if direct:
            ids = {t.actor_id for t in direct}
            if len(ids) > 1:
                found.extend(_shared_name(gz, text, h, span, direct))
                continue
            t = direct[0]
            if t.klass == SHORT and t.common:
                deferred.append((h, [t]))
                continue
            if (
                t.klass == SHORT
                and gz.actors[t.actor_id].person
                and dis.neighbour_blocks(text, h.start, h.end, gz)
            ):
                continue  # "Melania Trump", "Trump Tower": another name around the word
            found.append(make_found(t, h, span, t.score, t.method, ""))
            if gz.actors[t.actor_id].person and t.klass == FULL:
                direct_people[t.actor_id].update(gz.entries[h.entry][0].split())
        else:
            deferred.append((h, [t for t in h.targets if t.klass == SURNAME]))
    linked = {f.actor_id for f in found if f.score >= cfg.accept}
    dis.document_words(gz, doc, covered, hits, direct_people, deferred)
    # a surname that is part of someone else's full name here ("Scott Warren") is taken
    foreign = {
        " ".join(fold(text[h.start : h.end]).split())
        for h, targets in deferred
        if targets
        and targets[0].klass == SURNAME
        and dis.neighbour_blocks(text, h.start, h.end, gz)
    }
    for h, targets in deferred:
        span = text[h.start : h.end]
        if targets and targets[0].klass == SHORT:
            found.extend(dis.common_word(gz, text, h, targets[0], span, linked))
        else:
            f = dis.surname(gz, text, h, targets, span, direct_people, linked, foreign)
            if f is not None:
                found.append(f)
    return _aggregate(found, cfg)


def _shared_name(gz: Gazetteer, text: str, h: Hit, span: str, direct: list[Target]) -> list[Found]:
    """A name several actors carry: roles that fit the text decide; else the one actor
    whose own name it is ("Department of Defense" over a subcommittee so called); else
    review for a full name, and nothing for one word ("Health", "Energy")."""
    ev = ctx.evidence(text, h.start, h.end)
    kept = ctx.filter_by([gz.actors[t.actor_id] for t in direct], ev) if ev.any else []
    if len(kept) == 1:
        t = next(t for t in direct if t.actor_id == kept[0].id)
        return [make_found(t, h, span, 0.9, "context", "shared name; roles fit the text")]
    own = [t for t in direct if t.method == "exact"]
    if len(own) == 1 and not own[0].common:
        return [make_found(own[0], h, span, 0.9, "context", "shared name; this actor's own name")]
    if all(t.klass == FULL for t in direct):
        return [
            make_found(t, h, span, 0.5, t.method, "several actors share this name") for t in direct
        ]
    return []


def _aggregate(found: list[Found], cfg: LinkConfig) -> list[Candidate]:
    by_actor: dict[int, list[Found]] = defaultdict(list)
    for f in found:
        by_actor[f.actor_id].append(f)
    out = []
    for aid, fs in by_actor.items():
        fs.sort(key=lambda f: (f.start, -f.score))
        spans: dict[int, Found] = {}
        for f in fs:
            spans.setdefault(f.start, f)
        mentions = tuple(spans.values())
        best = max(mentions, key=lambda f: (f.score, -f.start))
        status = cfg.status(best.score)
        if status is None:
            continue
        n = len(mentions)
        reason = f'{best.why}: "{best.text}"' + (f" (+{n - 1} more)" if n > 1 else "")
        out.append(Candidate(aid, best.score, best.method, status, reason, mentions))
    out.sort(key=lambda c: (-c.score, c.actor_id))
    return out
