"""Full-text search over articles and records, ranked, with highlighted snippets.

One interface over two engines: SQLite FTS5 (bm25, snippet()) and PostgreSQL tsvector
(ts_rank, ts_headline), both maintained by triggers from migration 0004_query. The user's
query is parsed here into terms, so no input can reach either engine's query syntax:
words (all must match), "quoted phrases", OR between terms, -word to exclude, word* for
a prefix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from tracker.errors import UsageError
from tracker.query.common import (
    ARTICLE_LINK_STATUSES,
    actor_and_merged_ids,
    end_of_day,
    parse_choices,
    resolve_actor,
    start_of_day,
)

KINDS = ("article", "incident", "letter", "measure", "designation", "event")
# Highlight markers: private-use characters, split out again before anything is shown.
HL_START, HL_END = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')

# Must match migrations/versions/0004_query.py (PG_*_TSV) for PostgreSQL to use its index.
_PG_TSQ_CONFIG = "english"


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    groups: tuple[tuple[Term, ...], ...]  # OR of groups; each group is an AND of terms
    excluded: tuple[Term, ...]


@dataclass(frozen=True)
class SearchHit:
    kind: str  # article, or the record's kind
    id: int
    title: str
    score: float  # higher is better; comparable within one search
    snippet: tuple[tuple[str, bool], ...]  # (text, highlighted) segments
    url: str | None = None  # articles
    outlet: str | None = None  # articles: the feed
    slug: str | None = None  # records
    date: str | None = None  # ISO: published (articles) / key date (records)

    @property
    def snippet_text(self) -> str:
        return "".join(t for t, _ in self.snippet)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 6),
            "url": self.url,
            "outlet": self.outlet,
            "slug": self.slug,
            "date": self.date,
            "snippet": self.snippet_text,
            "highlights": [t for t, hl in self.snippet if hl],
        }


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...]
    actor: str | None = None
    kinds: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "actor": self.actor,
            "kinds": list(self.kinds),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "hits": [h.to_dict() for h in self.hits],
        }


def parse_query(query: str) -> ParsedQuery:
    """Split a user query into terms; raise UsageError when nothing is left to search."""
    groups: list[list[Term]] = [[]]
    excluded: list[Term] = []
    for m in _TOKEN.finditer(query):
        neg, phrase, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None and bare == "OR":
            if groups[-1]:
                groups.append([])
            continue
        if bare is not None:
            neg = "-" if bare.startswith("-") else ""
            raw = bare.lstrip("-")
            prefix = raw.endswith("*")
            words = tuple(w.lower() for w in _WORD.findall(raw))
        else:
            prefix = False
            words = tuple(w.lower() for w in _WORD.findall(phrase or ""))
        if not words:
            continue
        term = Term(words, prefix and len(words) == 1, bool(neg))
        (excluded if term.negated else groups[-1]).append(term)
    kept = tuple(tuple(g) for g in groups if g)
    if not kept:
        raise UsageError("nothing to search for: give at least one word (not only -word)")
    return ParsedQuery(kept, tuple(excluded))


def _fts5_term(t: Term) -> str:
    quoted = '"' + " ".join(t.words) + '"'  # words are \w+ only: no quote can occur
    return quoted + ("*" if t.prefix else "")


def fts5_query(q: ParsedQuery) -> str:
    """The FTS5 MATCH expression for a parsed query."""
    ors = ["(" + " AND ".join(_fts5_term(t) for t in g) + ")" for g in q.groups]
    expr = " OR ".join(ors)
    if q.excluded:
        expr = f"({expr})" + "".join(f" NOT {_fts5_term(t)}" for t in q.excluded)
    return expr


def pg_tsquery(q: ParsedQuery) -> tuple[str, str, dict[str, str]]:
    """PostgreSQL tsquery expressions (to match; its positive part, to rank) and their
    bound parameters for a parsed query."""
    params: dict[str, str] = {}

    def term(t: Term) -> str:
        name = f"w{len(params)}"
        if t.prefix:
            params[name] = t.words[0] + ":*"
            return f"to_tsquery('{_PG_TSQ_CONFIG}', :{name})"
        params[name] = " ".join(t.words)
        func = "phraseto_tsquery" if len(t.words) > 1 else "plainto_tsquery"
        return f"{func}('{_PG_TSQ_CONFIG}', :{name})"

    ors = ["(" + " && ".join(term(t) for t in g) + ")" for g in q.groups]
    positive = "(" + " || ".join(ors) + ")"
    expr = positive
    for t in q.excluded:
        expr += f" && !!{term(t)}"
    return expr, positive, params


def split_snippet(raw: str | None) -> tuple[tuple[str, bool], ...]:
    """Engine output with HL markers → (text, highlighted) segments."""
    if not raw:
        return ()
    out: list[tuple[str, bool]] = []
    highlighted = False
    for part in re.split(f"([{HL_START}{HL_END}])", raw):
        if part == HL_START:
            highlighted = True
        elif part == HL_END:
            highlighted = False
        elif part:
            out.append((part, highlighted))
    return tuple(out)


def search(
    session: Session,
    query: str,
    *,
    actor: str | None = None,
    kinds: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 20,
) -> SearchResults:
    """Articles and records matching `query`, best first, each with a snippet."""
    parsed = parse_query(query)
    kinds_t = parse_choices(kinds, KINDS)
    if since and until and since > until:
        raise UsageError("--since is after --until")
    actor_ref = resolve_actor(session, actor) if actor else None
    actor_ids = actor_and_merged_ids(session, actor_ref.id) if actor_ref else None
    sqlite = session.get_bind().dialect.name == "sqlite"
    engine = _Sqlite(parsed) if sqlite else _Postgres(parsed)
    hits: list[SearchHit] = []
    if not kinds_t or "article" in kinds_t:
        hits += engine.articles(session, actor_ids, since, until, limit)
    record_kinds = [k for k in (kinds_t or KINDS) if k != "article"]
    if record_kinds:
        hits += engine.records(session, record_kinds, actor_ids, since, until, limit)
    hits.sort(key=lambda h: (-h.score, h.kind, h.id))
    return SearchResults(
        query=query,
        hits=tuple(hits[:limit]),
        actor=actor_ref.slug if actor_ref else None,
        kinds=kinds_t,
        since=since,
        until=until,
    )


# Key date of a record for date filters and display (first non-null of its dated fields).
_RECORD_DATE = """coalesce(ev.occurred_on, i.disclosed_on, i.activity_start_on, l.sent_on,
    l.made_public_on, m.introduced_on, d.added_on, d.effective_on)"""
_RECORD_JOINS = """
    LEFT JOIN incidents i ON i.id = r.id
    LEFT JOIN letters l ON l.id = r.id
    LEFT JOIN measures m ON m.id = r.id
    LEFT JOIN designations d ON d.id = r.id
    LEFT JOIN events ev ON ev.id = r.id"""


def _in_list(prefix: str, values: Sequence[Any], params: dict[str, Any]) -> str:
    names = []
    for i, v in enumerate(values):
        params[f"{prefix}{i}"] = v
        names.append(f":{prefix}{i}")
    return "(" + ", ".join(names) + ")"


def _article_filters(
    actor_ids: list[int] | None, since: date | None, until: date | None, params: dict[str, Any]
) -> str:
    sql = ""
    if actor_ids is not None:
        params["st0"], params["st1"] = ARTICLE_LINK_STATUSES
        sql += (
            " AND EXISTS (SELECT 1 FROM article_actors aa WHERE aa.article_id = a.id"
            f" AND aa.actor_id IN {_in_list('ac', actor_ids, params)}"
            " AND aa.status IN (:st0, :st1))"
        )
    if since is not None:
        params["since"] = start_of_day(since)
        sql += " AND a.published_at >= :since"
    if until is not None:
        params["until"] = end_of_day(until)
        sql += " AND a.published_at <= :until"
    return sql


def _record_filters(
    kinds: Sequence[str],
    actor_ids: list[int] | None,
    since: date | None,
    until: date | None,
    params: dict[str, Any],
) -> str:
    from tracker.models.records import RECORD_KINDS

    sql = ""
    if set(RECORD_KINDS) - set(kinds):  # every record has one of these kinds
        sql += f" AND r.kind IN {_in_list('k', kinds, params)}"
    if actor_ids is not None:
        ids = _in_list("ac", actor_ids, params)
        sql += (
            f" AND (EXISTS (SELECT 1 FROM record_actors ra WHERE ra.record_id = r.id"
            f" AND ra.actor_id IN {ids}) OR d.subject_id IN {ids} OR d.authority_id IN {ids})"
        )
    if since is not None:
        params["rsince"] = since
        sql += f" AND {_RECORD_DATE} >= :rsince"
    if until is not None:
        params["runtil"] = until
        sql += f" AND {_RECORD_DATE} <= :runtil"
    return sql


def _day(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value[:10]
    return (value.date() if hasattr(value, "date") and callable(value.date) else value).isoformat()


# Ranking reads the newest CANDIDATES matches only: a common word can match a large part of
# a million articles, and scoring every match would cost far more than the answer is worth.
CANDIDATES = 2000


def _ranked_ids(session: Session, sql: str, params: dict[str, Any]) -> list[tuple[int, float]]:
    return [(int(r[0]), float(r[1])) for r in session.execute(text(sql), params)]


class _Sqlite:
    """FTS5: candidates newest first (rowid order needs no sort), bm25 over them, then
    snippet() for the few rows shown."""

    def __init__(self, q: ParsedQuery) -> None:
        self.match = fts5_query(q)

    def articles(self, session, actor_ids, since, until, limit):  # type: ignore[no-untyped-def]
        params: dict[str, Any] = {"q": self.match, "lim": limit, "cand": CANDIDATES}
        filters = _article_filters(actor_ids, since, until, params)
        join = " JOIN articles a ON a.id = search_fts_articles.rowid" if filters else ""
        ranked = _ranked_ids(session, (
            "SELECT id, score FROM (SELECT search_fts_articles.rowid AS id,"
            " -bm25(search_fts_articles, 5.0, 2.0, 1.0) AS score"
            f" FROM search_fts_articles{join} WHERE search_fts_articles MATCH :q{filters}"
            " ORDER BY search_fts_articles.rowid DESC LIMIT :cand)"
            " ORDER BY score DESC, id DESC LIMIT :lim"
        ), params)  # fmt: skip
        if not ranked:
            return []
        scores = dict(ranked)
        sql = (
            "SELECT a.id, a.title, a.link, a.published_at, coalesce(fe.name, fe.title, fe.url) AS outlet,"
            f" snippet(search_fts_articles, -1, '{HL_START}', '{HL_END}', '…', 16) AS snip"
            " FROM search_fts_articles JOIN articles a ON a.id = search_fts_articles.rowid"
            " JOIN feeds fe ON fe.id = a.feed_id WHERE search_fts_articles MATCH :q"
            f" AND search_fts_articles.rowid IN {_in_list('id', list(scores), params)}"
        )
        return [
            SearchHit("article", r.id, r.title or r.link or "(untitled)", scores[r.id],
                      split_snippet(r.snip), url=r.link, outlet=r.outlet, date=_day(r.published_at))
            for r in session.execute(text(sql), params)
        ]  # fmt: skip

    def records(self, session, kinds, actor_ids, since, until, limit):  # type: ignore[no-untyped-def]
        params: dict[str, Any] = {"q": self.match, "lim": limit, "cand": CANDIDATES}
        ranked = _ranked_ids(session, (
            "SELECT id, score FROM (SELECT r.id AS id, -bm25(search_fts_records, 5.0, 2.0) AS score"
            " FROM search_fts_records JOIN records r ON r.id = search_fts_records.rowid"
            + _RECORD_JOINS
            + " WHERE search_fts_records MATCH :q"
            + _record_filters(kinds, actor_ids, since, until, params)
            + " ORDER BY search_fts_records.rowid DESC LIMIT :cand)"
            " ORDER BY score DESC, id DESC LIMIT :lim"
        ), params)  # fmt: skip
        if not ranked:
            return []
        scores = dict(ranked)
        sql = (
            f"SELECT r.id, r.kind, r.slug, r.title, {_RECORD_DATE} AS day,"
            f" snippet(search_fts_records, -1, '{HL_START}', '{HL_END}', '…', 16) AS snip"
            " FROM search_fts_records JOIN records r ON r.id = search_fts_records.rowid"
            + _RECORD_JOINS
            + " WHERE search_fts_records MATCH :q"
            + f" AND search_fts_records.rowid IN {_in_list('id', list(scores), params)}"
        )
        return [
            SearchHit(r.kind, r.id, r.title, scores[r.id], split_snippet(r.snip),
                      slug=r.slug, date=_day(r.day))
            for r in session.execute(text(sql), params)
        ]  # fmt: skip


_HEADLINE_OPTS = (
    f"StartSel={HL_START}, StopSel={HL_END}, MaxWords=24, MinWords=10, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


class _Postgres:
    """tsvector/GIN: candidates newest first, ts_rank over them, ts_headline for the few
    rows shown. The query is written out in each statement (not read from a joined row)
    so the planner sees how common its words are: a common word is found by reading the
    newest rows and testing each, a rare one through the GIN index. Only ids are sorted
    and ranked; rows and texts are read for the rows shown."""

    def __init__(self, q: ParsedQuery) -> None:
        self.tsq, self.rank_tsq, self.params = pg_tsquery(q)

    def articles(self, session, actor_ids, since, until, limit):  # type: ignore[no-untyped-def]
        params: dict[str, Any] = {**self.params, "lim": limit, "opts": _HEADLINE_OPTS}
        params["cand"] = CANDIDATES
        filters = _article_filters(actor_ids, since, until, params)
        join = " JOIN articles a ON a.id = f.article_id" if filters else ""
        ranked = (
            f"SELECT c.article_id AS id, ts_rank(f.tsv, {self.rank_tsq}) AS score"
            f" FROM (SELECT f.article_id FROM search_fts_articles f{join}"
            f" WHERE f.tsv @@ ({self.tsq}){filters} ORDER BY f.article_id DESC LIMIT :cand) c"
            " JOIN search_fts_articles f ON f.article_id = c.article_id"
            " ORDER BY score DESC, c.article_id DESC LIMIT :lim"
        )
        sql = (
            "SELECT a.id, a.title, a.link, a.published_at, t.score,"
            " coalesce(fe.name, fe.title, fe.url) AS outlet,"
            " ts_headline('english', coalesce(a.title, '') || ' — ' ||"
            " left(coalesce(a.summary_text, '') || ' ' || coalesce(a.content_text, ''), 20000),"
            f" {self.rank_tsq}, :opts) AS snip"
            f" FROM ({ranked}) t JOIN articles a ON a.id = t.id JOIN feeds fe ON fe.id = a.feed_id"
            " ORDER BY t.score DESC, t.id DESC"
        )
        return [
            SearchHit("article", r.id, r.title or r.link or "(untitled)", float(r.score),
                      split_snippet(r.snip), url=r.link, outlet=r.outlet, date=_day(r.published_at))
            for r in session.execute(text(sql), params)
        ]  # fmt: skip

    def records(self, session, kinds, actor_ids, since, until, limit):  # type: ignore[no-untyped-def]
        params: dict[str, Any] = {**self.params, "lim": limit, "opts": _HEADLINE_OPTS}
        params["cand"] = CANDIDATES
        filters = _record_filters(kinds, actor_ids, since, until, params)
        # Records and their subtype rows are joined for the candidates only when a filter
        # needs them, and otherwise for the rows shown.
        joins = " JOIN records r ON r.id = f.record_id" + _RECORD_JOINS if filters else ""
        ranked = (
            f"SELECT c.record_id AS id, ts_rank(f.tsv, {self.rank_tsq}) AS score"
            f" FROM (SELECT f.record_id FROM search_fts_records f{joins}"
            f" WHERE f.tsv @@ ({self.tsq}){filters} ORDER BY f.record_id DESC LIMIT :cand) c"
            " JOIN search_fts_records f ON f.record_id = c.record_id"
            " ORDER BY score DESC, c.record_id DESC LIMIT :lim"
        )
        sql = (
            f"SELECT r.id, r.kind, r.slug, r.title, {_RECORD_DATE} AS day, t.score,"
            " ts_headline('english', r.title || ' — ' || coalesce(r.summary, ''),"
            f" {self.rank_tsq}, :opts) AS snip"
            f" FROM ({ranked}) t JOIN records r ON r.id = t.id"
            + _RECORD_JOINS
            + " ORDER BY t.score DESC, t.id DESC"
        )
        return [
            SearchHit(r.kind, r.id, r.title, float(r.score), split_snippet(r.snip),
                      slug=r.slug, date=_day(r.day))
            for r in session.execute(text(sql), params)
        ]  # fmt: skip


def rebuild_index(session: Session) -> None:
    """Rebuild the full-text index from the tables (after bulk loads that bypassed it)."""
    if session.get_bind().dialect.name == "sqlite":
        for t in ("search_fts_articles", "search_fts_records"):
            session.execute(text(f"INSERT INTO {t}({t}) VALUES ('rebuild')"))
        return
    session.execute(text("UPDATE articles SET title = title"))
    session.execute(text("UPDATE records SET title = title"))
