"""Articles → the measures they mention, as record suggestions.

`link_article_measures(session, article_ids)` finds citations (citations.py), resolves them
against the loaded measures and writes RecordSuggestion rows:

- an official citation that resolves to one loaded measure ("H.R. 3838" in a 2025 article →
  hr3838-119) is certain enough to be `accepted`, so the article joins the measure's
  timeline beside its official actions;
- a popular name ("the CHIPS Act", "the fiscal 2026 defense bill") or a sponsor-named
  measure ("the Hagerty–Kim amendment") is `suggested`, for a person to confirm.

Rows a person accepted or rejected are never changed, so a rejected pair stays rejected.
`measure_matches(session, article_ids)` returns the same matches without writing, for the
linking package's own suggestion pass to fold in.

Building the index reads every measure, title and sponsor (about 20 ms for 700 measures,
growing with them). Inside `one_index_per_run()` it is built once and reused, as an ingest
run does for its feeds: measures imported meanwhile are matched from the next run on, the
way actors are.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tracker.legislation.citations import Citation, congress_of, find_citations
from tracker.legislation.common import basic_normalize
from tracker.legislation.parsed import label

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

CITED, NAMED = 1.0, 0.8
_YEAR_SUFFIX = re.compile(r"(?:\s+of)?\s+\d{4}$")
_FY = re.compile(r"national defense authorization act for fiscal year (\d{4})")
_RANK = {
    "enacted": 5,
    "passed": 4,
    "vetoed": 4,
    "passed_house": 3,
    "passed_senate": 3,
    "adopted": 3,
    "reported": 2,
}


@dataclass(frozen=True)
class MeasureMatch:
    measure_id: int
    score: float
    method: str  # citation / popular_name / sponsors
    reason: str
    start: int
    end: int


def _fold(text: str) -> str:
    """Lower case, every non-alphanumeric character a space; same length as text."""
    return "".join(ch.lower()[:1] if ch.isalnum() else " " for ch in text)


def _surname(name: str) -> str:
    words = [w for w in basic_normalize(name).split() if w not in ("jr", "sr", "ii", "iii", "iv")]
    return words[-1] if words else ""


class MeasureIndex:
    """What resolution needs, loaded once: ids, titles, NDAA years and sponsors' surnames."""

    def __init__(self, session: Session) -> None:
        import ahocorasick
        from sqlalchemy import select

        from tracker.models import Actor, Measure, RecordActor
        from tracker.models.legislation import MeasureTitle

        self.by_oid: dict[str, int] = {}
        self.by_number: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.info: dict[int, tuple[str | None, int | None, str | None, str, str]] = {}
        for mid, oid, congress, status, mtype, title in session.execute(
            select(
                Measure.id,
                Measure.official_id,
                Measure.congress,
                Measure.status,
                Measure.measure_type,
                Measure.title,
            )
        ):
            self.info[mid] = (oid, congress, status, mtype, title)
            if oid:
                self.by_oid[oid] = mid
                m = re.match(r"([a-z]+)(\d+)-\d+$", oid)
                if m:
                    self.by_number[(m.group(1), int(m.group(2)))].append(mid)
        phrases: dict[str, set[int]] = defaultdict(set)
        self.ndaa: dict[int, set[int]] = defaultdict(set)
        rows = list(
            session.execute(
                select(MeasureTitle.measure_id, MeasureTitle.title).where(
                    MeasureTitle.kind.in_(("short", "popular", "display"))
                )
            )
        )
        rows += [(mid, info[4]) for mid, info in self.info.items() if info[3] != "amendment"]
        for mid, title in rows:
            norm = basic_normalize(title)
            fy = _FY.search(norm)
            if fy:
                self.ndaa[int(fy.group(1))].add(mid)
            for phrase in {norm, _YEAR_SUFFIX.sub("", norm)}:
                if len(phrase.split()) >= 2 and len(phrase) >= 8:
                    phrases[phrase].add(mid)
        self.automaton = ahocorasick.Automaton()
        for phrase, mids in phrases.items():
            self.automaton.add_word(f" {phrase} ", (phrase, frozenset(mids)))
        if phrases:
            self.automaton.make_automaton()
        self.has_phrases = bool(phrases)
        self.sponsors: dict[int, dict[str, str]] = defaultdict(dict)  # measure → surname → role
        for rid, role, name in session.execute(
            select(RecordActor.record_id, RecordActor.role, Actor.name)
            .join(Actor, Actor.id == RecordActor.actor_id)
            .where(
                RecordActor.role.in_(("sponsor", "cosponsor")),
                RecordActor.record_id.in_(list(self.info)),
            )
        ):
            surname = _surname(name)
            if surname and self.sponsors[rid].get(surname) != "sponsor":
                self.sponsors[rid][surname] = role
        self.surnames = {s for d in self.sponsors.values() for s in d}

    def best(self, mids: Iterable[int], congress: int | None) -> list[int]:
        """The most plausible of several measures: not from a later Congress, then enacted
        or furthest along, then the most recent Congress."""
        mids = [m for m in mids if congress is None or (self.info[m][1] or 0) <= congress]
        if not mids:
            return []
        key = {m: (_RANK.get(self.info[m][2] or "", 0), self.info[m][1] or 0) for m in mids}
        top = max(key.values())
        return sorted(m for m in mids if key[m] == top)


def match_text(index: MeasureIndex, text: str, published: date | None) -> list[MeasureMatch]:
    """The loaded measures a text mentions, best match per measure."""
    out: list[MeasureMatch] = []
    congress = congress_of(published) if published else None
    for c in find_citations(text, published):
        out.extend(_resolve(index, c, congress))
    if index.has_phrases:
        folded = f" {_fold(text)} "
        for end, (phrase, mids) in index.automaton.iter(folded):
            start = end - len(phrase) - 1
            for mid in index.best(mids, congress)[:2]:
                score = 0.75 if len(index.best(mids, congress)) == 1 else 0.6
                out.append(
                    MeasureMatch(
                        mid,
                        score,
                        "popular_name",
                        f"names it {text[start : start + len(phrase)]!r}",
                        start,
                        start + len(phrase),
                    )
                )
    best: dict[int, MeasureMatch] = {}
    for m in out:
        if m.measure_id not in best or m.score > best[m.measure_id].score:
            best[m.measure_id] = m
    return sorted(best.values(), key=lambda m: (m.start, m.measure_id))


def _resolve(index: MeasureIndex, c: Citation, congress: int | None) -> list[MeasureMatch]:
    if c.kind == "official":
        oid = c.official_id()
        if oid and oid in index.by_oid:
            return [
                MeasureMatch(
                    index.by_oid[oid],
                    CITED,
                    "citation",
                    f"cites {c.text} ({label(oid)})",
                    c.start,
                    c.end,
                )
            ]
        if c.congress is None:
            found = index.by_number.get((c.type_code or "", c.number or 0), [])
            if len(found) == 1:
                oid = index.info[found[0]][0] or ""
                return [
                    MeasureMatch(
                        found[0], 0.9, "citation", f"cites {c.text} ({label(oid)})", c.start, c.end
                    )
                ]
        return []
    if c.kind == "ndaa" and c.fiscal_year:
        mids = index.best(index.ndaa.get(c.fiscal_year, ()), congress_of(date(c.fiscal_year, 1, 3)))
        score = NAMED if len(mids) == 1 else 0.6
        return [
            MeasureMatch(
                m,
                score,
                "popular_name",
                f"refers to the FY{c.fiscal_year} NDAA as {c.text!r}",
                c.start,
                c.end,
            )
            for m in mids[:3]
        ]
    if c.kind == "sponsors":
        return _by_sponsors(index, c, congress)
    return []


def _split_names(names: tuple[str, ...], known: set[str]) -> list[str]:
    """'Hagerty-Kim' → ['hagerty', 'kim'] unless 'hagerty kim' is itself a known surname."""
    out = []
    for n in names:
        norm = basic_normalize(n)
        if norm.replace(" ", "") in {k.replace(" ", "") for k in known} or "-" not in n:
            out.append(_surname(n))
        else:
            out.extend(_surname(p) for p in n.split("-"))
    return [s for s in out if s]


def _by_sponsors(index: MeasureIndex, c: Citation, congress: int | None) -> list[MeasureMatch]:
    surnames = _split_names(c.names, index.surnames)
    if not surnames or not set(surnames) <= index.surnames:
        return []
    amendment = c.what == "amendment"
    found = []
    for mid, people in index.sponsors.items():
        _, m_congress, _, mtype, _ = index.info[mid]
        if (mtype == "amendment") != amendment or not set(surnames) <= set(people):
            continue
        if congress is not None and m_congress is not None and m_congress != congress:
            continue
        first_sponsors = people.get(surnames[0]) == "sponsor"
        found.append((first_sponsors, mid))
    if not found:
        return []
    top = max(f for f, _ in found)
    mids = sorted(mid for f, mid in found if f == top)
    score = NAMED if len(mids) == 1 else 0.55
    return [
        MeasureMatch(mid, score, "sponsors", f"names its sponsors: {c.text!r}", c.start, c.end)
        for mid in mids[:3]
    ]


_RUN: ContextVar[dict[int, MeasureIndex] | None] = ContextVar("measure_index_run", default=None)


@contextmanager
def one_index_per_run() -> Iterator[None]:
    """Within this block, measure_matches builds the index once per database and reuses it."""
    token = _RUN.set({})
    try:
        yield
    finally:
        _RUN.reset(token)


def _index(session: Session) -> MeasureIndex:
    run = _RUN.get()
    if run is None:
        return MeasureIndex(session)
    key = id(session.get_bind())
    if key not in run:
        run[key] = MeasureIndex(session)
    return run[key]


def measure_matches(
    session: Session, article_ids: Iterable[int]
) -> dict[tuple[int, int], MeasureMatch]:
    """(article id, measure id) → the best match, for these articles; writes nothing."""
    from sqlalchemy import select

    from tracker.models.feeds import Article

    ids = sorted(set(article_ids))
    if not ids:
        return {}
    index = _index(session)
    if not index.info:
        return {}
    out: dict[tuple[int, int], MeasureMatch] = {}
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(
                Article.id,
                Article.title,
                Article.summary_text,
                Article.content_text,
                Article.published_at,
            ).where(Article.id.in_(ids[i : i + 500]))
        )
        for row in rows:
            text = Article.text(row)  # type: ignore[arg-type]
            published = row.published_at.date() if row.published_at else None
            for m in match_text(index, text, published):
                out[(row.id, m.measure_id)] = m
    return out


def link_article_measures(session: Session, article_ids: Iterable[int]) -> int:
    """Write suggestions for the measures these articles mention; returns how many are new.
    Citations are accepted, names suggested; decided rows are left alone. No commit."""
    from sqlalchemy import select

    from tracker.models.links import RecordSuggestion

    ids = sorted(set(article_ids))
    matches = measure_matches(session, ids)
    existing = (
        {
            (s.article_id, s.record_id): s
            for s in session.scalars(
                select(RecordSuggestion).where(
                    RecordSuggestion.article_id.in_(ids),
                    RecordSuggestion.record_id.in_({k[1] for k in matches} or {0}),
                )
            )
        }
        if matches
        else {}
    )
    new = 0
    for (article_id, measure_id), m in matches.items():
        status = "accepted" if m.method == "citation" else "suggested"
        reason = f"{m.method}: {m.reason}"
        row = existing.get((article_id, measure_id))
        if row is None:
            session.add(
                RecordSuggestion(
                    article_id=article_id,
                    record_id=measure_id,
                    score=m.score,
                    reason=reason,
                    status=status,
                )
            )
            new += 1
        elif row.status == "suggested":
            row.score, row.reason, row.status = max(row.score, m.score), reason, status
    session.flush()
    return new
