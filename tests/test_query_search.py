"""Full-text search on both engines: ranking, snippets, filters, index kept in sync."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from query_kb import build_kb
from sqlalchemy import text
from sqlalchemy.orm import Session

from tracker.errors import UsageError
from tracker.models.feeds import Article
from tracker.query.search import fts5_query, parse_query, search, split_snippet


@pytest.fixture
def kb(engine):
    with Session(engine, expire_on_commit=False) as s:
        objs = build_kb(s)
        s.commit()
    return objs


@pytest.fixture
def s(engine, kb):
    with Session(engine) as session:
        yield session


def _hits(res):
    return [(h.kind, h.title) for h in res.hits]


def test_finds_articles_and_records_with_highlighted_snippets(s):
    res = search(s, "alibaba")
    kinds = {h.kind for h in res.hits}
    assert {"article", "designation", "event"} <= kinds
    for h in res.hits:
        highlighted = [t for t, hl in h.snippet if hl]
        assert highlighted and all(t.lower() == "alibaba" for t in highlighted), h
    scores = [h.score for h in res.hits]
    assert scores == sorted(scores, reverse=True)


def test_stemming_phrases_prefix_or_and_exclusion(s):
    assert ("incident", "DeepSeek distillation campaign") in _hits(search(s, "distilled campaigns"))
    phrase = _hits(search(s, '"section 1260h"'))
    assert ("designation", "Alibaba on the Section 1260H list") in phrase
    assert ("article", "Alibaba takes Pentagon to court") in phrase
    assert _hits(search(s, '"1260h section"')) == []
    assert {k for k, _ in _hits(search(s, "distill*"))} == {"incident", "letter", "event"}
    either = _hits(search(s, "voice OR court"))
    assert ("article", "Alibaba takes Pentagon to court") in either
    without = _hits(search(s, "alibaba -court"))
    assert ("article", "Alibaba takes Pentagon to court") not in without
    assert ("article", "Alibaba sues the Pentagon over listing") in without


def test_title_matches_rank_above_body_matches(s):
    res = search(s, "pentagon", kinds=["article"])
    assert {h.title for h in res.hits} == {
        "Alibaba sues the Pentagon over listing",
        "Alibaba takes Pentagon to court",
    }
    res = search(s, "court", kinds=["article"])
    assert res.hits[0].title == "Alibaba takes Pentagon to court"  # title beats summary-only


def test_filters_actor_kind_date(s):
    by_actor = search(s, "alibaba OR hagerty", actor="alibaba")
    assert {h.kind for h in by_actor.hits} <= {"article", "designation"}
    assert "Senators press on chips" not in {h.title for h in by_actor.hits}  # review link only
    assert {h.kind for h in search(s, "alibaba", kinds=["designation"]).hits} == {"designation"}
    late = search(s, "alibaba", since=date(2026, 6, 20))
    assert "Alibaba on the Section 1260H list" not in {h.title for h in late.hits}
    assert {h.date for h in late.hits if h.kind == "article"} == {"2026-06-23"}
    assert search(s, "alibaba", until=date(2026, 6, 1)).hits == ()
    with pytest.raises(UsageError):
        search(s, "alibaba", kinds=["nonsense"])


@pytest.mark.parametrize(
    "query",
    ['"', "NEAR(a b)", "title:alibaba", "a AND", "OR", "*", "^alibaba", "alibaba)", "'; DROP TABLE articles; --",
     "(", "-", "\x00alibaba", "col:val*", '"unterminated phrase alibaba', "ali\u202ebaba"],
)  # fmt: skip
def test_query_syntax_never_reaches_the_engine(s, query):
    """Anything a user types either searches for its words or is a clear usage error."""
    try:
        res = search(s, query)
    except UsageError:
        return
    assert isinstance(res.hits, tuple)


def test_parse_query():
    q = parse_query('Hagerty–Kim "export controls" -china chip* OR nvidia')
    assert fts5_query(q) == (
        '(("hagerty kim" AND "export controls" AND "chip"*) OR ("nvidia")) NOT "china"'
    )
    assert [t.words for t in q.groups[0]] == [("hagerty", "kim"), ("export", "controls"), ("chip",)]
    assert q.groups[0][2].prefix and [t.words for t in q.excluded] == [("china",)]
    with pytest.raises(UsageError):
        parse_query("-only -negative")
    with pytest.raises(UsageError):
        parse_query("  ")


def test_split_snippet():
    assert split_snippet("a \ue000b\ue001 c") == (("a ", False), ("b", True), (" c", False))


def test_index_follows_inserts_updates_and_deletes(s, kb):
    feed_id = kb["feeds"][0].id
    art = Article(feed_id=feed_id, identity="zz", title="Quokka policy memo", content_hash="z",
                  published_at=datetime(2026, 6, 30))  # fmt: skip
    s.add(art)
    s.flush()
    assert _hits(search(s, "quokka")) == [("article", "Quokka policy memo")]
    art.title = "Wombat policy memo"
    s.flush()
    assert _hits(search(s, "quokka")) == []
    assert _hits(search(s, "wombat")) == [("article", "Wombat policy memo")]
    s.delete(art)
    s.flush()
    assert _hits(search(s, "wombat")) == []
    rec = kb["letter"]
    s.execute(
        text("UPDATE records SET summary = 'Asks about platypus exports' WHERE id = :i"),
        {"i": rec.id},
    )
    assert _hits(search(s, "platypus")) == [("letter", "Senators write about distillation")]


def test_postgres_uses_the_gin_index(s, backend):
    if backend != "postgresql":
        pytest.skip("PostgreSQL plan")
    s.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(
        r[0] for r in s.execute(
            text("EXPLAIN SELECT article_id FROM search_fts_articles "
                 "WHERE tsv @@ plainto_tsquery('english', 'alibaba')")
        )
    )  # fmt: skip
    assert "ix_fts_articles_tsv" in plan


def test_hostile_text_in_snippets_is_cleaned_for_display(engine):
    from io import StringIO

    from rich.console import Console

    from tracker.render.search import search_view

    with Session(engine, expire_on_commit=False) as s:
        build_kb(s, hostile=True)
        s.commit()
        res = search(s, "boom")
    out = StringIO()
    Console(file=out, width=100, color_system=None).print(search_view(res))
    written = out.getvalue()
    assert "\x1b" not in written and "\u202e" not in written and "\x07" not in written
    assert "[bold]Boom[/bold] red link evil" in written
