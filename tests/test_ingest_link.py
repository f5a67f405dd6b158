"""Ingest links new and changed articles to actors in the same per-feed transaction
(--no-link stores them unlinked, for `tracker link` to catch up later)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.config import feeds_dir
from tracker.db import session_scope
from tracker.ingest.run import Options, ingest_paths
from tracker.models import Actor, ActorAlias
from tracker.models.feeds import Article
from tracker.models.links import ArticleActor

SAMPLES = feeds_dir() / "samples"
T0 = datetime(2026, 6, 25, 12, 0, 0)


def add_actors(engine) -> None:
    with session_scope(engine) as s:
        for slug, name, kind, aliases in [
            ("anthropic", "Anthropic", "company", []),
            ("alibaba", "Alibaba Group Holding Ltd.", "company", ["Alibaba"]),
        ]:
            actor = Actor(slug=slug, name=name, kind=kind)
            actor.aliases = [
                ActorAlias(alias=a, normalized=a.lower(), origin="curated") for a in aliases
            ]
            s.add(actor)


def linked(engine, slug: str) -> int:
    with Session(engine) as s:
        return s.scalar(
            select(func.count())
            .select_from(ArticleActor)
            .join(Actor, Actor.id == ArticleActor.actor_id)
            .where(Actor.slug == slug)
        )


def test_ingest_links_new_articles(engine):
    add_actors(engine)
    report = ingest_paths(engine, [SAMPLES], now=T0)
    assert report.new == 15
    assert linked(engine, "alibaba") >= 8 and linked(engine, "anthropic") >= 5
    assert sum(f.links for f in report.feeds) == linked(engine, "alibaba") + linked(
        engine, "anthropic"
    )
    with Session(engine) as s:
        assert s.scalar(select(func.count()).where(Article.linked_at.is_(None))) == 0


def test_no_link_leaves_articles_for_later(engine):
    add_actors(engine)
    report = ingest_paths(engine, [SAMPLES], now=T0, options=Options(link=False))
    assert report.new == 15 and sum(f.links for f in report.feeds) == 0
    assert linked(engine, "alibaba") == 0
    with Session(engine) as s:
        assert s.scalar(select(func.count()).where(Article.linked_at.is_(None))) == 15


def _feed(path, guid: str, title: str, body: str):
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><guid>{guid}</guid><title>{title}</title><description>{body}</description>"
        "<pubDate>Wed, 24 Jun 2026 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    return path


def test_a_run_sees_actors_added_after_the_previous_run(engine, tmp_path):
    """Each run loads the gazetteer once; an actor added between runs is matched by the next."""
    add_actors(engine)
    text = "Zephyra Robotics and Anthropic sign a safety pact"
    first = _feed(tmp_path / "a.xml", "a-1", text, f"{text}. Zephyra Robotics said so on Monday.")
    ingest_paths(engine, [first], now=T0)
    assert linked(engine, "anthropic") == 1 and linked(engine, "zephyra") == 0
    with session_scope(engine) as s:
        s.add(Actor(slug="zephyra", name="Zephyra Robotics", kind="company"))
    second = _feed(tmp_path / "b.xml", "b-1", text, f"{text}. Zephyra Robotics confirmed it.")
    report = ingest_paths(engine, [second], now=T0)
    assert report.new == 1
    assert linked(engine, "zephyra") == 1  # the new run's article, with the new actor
    assert linked(engine, "anthropic") == 2


def _links(engine) -> list[tuple[str, str, str, float, str, int]]:
    """Every link with its article title, method, score, status and mention count."""
    from tracker.models.links import Mention

    with Session(engine) as s:
        rows = s.execute(
            select(
                Article.title, Actor.slug, ArticleActor.method, ArticleActor.score,
                ArticleActor.status, func.count(Mention.id),
            )
            .join(Article, Article.id == ArticleActor.article_id)
            .join(Actor, Actor.id == ArticleActor.actor_id)
            .outerjoin(Mention, Mention.link_id == ArticleActor.id)
            .group_by(ArticleActor.id, Article.title, Actor.slug)
        ).all()  # fmt: skip
    return sorted(tuple(r) for r in rows)


def test_workers_match_what_the_parent_would(engine, fresh_db_url, tmp_path, monkeypatch):
    """With worker processes (enough feeds for a pool), items are matched in the workers
    (the parent's matcher is never called); the links written are exactly those of an
    in-process run."""
    import tracker.linking.api as api
    from tracker.db import make_engine, upgrade

    folder = tmp_path / "feeds"
    folder.mkdir()
    texts = [
        "Alibaba sued the Pentagon over its listing",
        "Anthropic says Alibaba-linked accounts distilled its models",
        "Alibaba Group Holding Ltd. shares fell after the designation",
        "Anthropic and Alibaba both declined to comment",
    ]
    for i in range(12):  # MIN_FEEDS is 8: this run uses the pool
        t = texts[i % len(texts)]
        _feed(folder / f"f{i:02d}.xml", f"g-{i}", f"{t} ({i})", f"{t}. More from wire {i}.")
    add_actors(engine)
    real = api.match_text

    def not_here(*args, **kwargs):
        raise AssertionError("the parent matched an item the workers had matched")

    monkeypatch.setattr(api, "match_text", not_here)
    parallel = ingest_paths(engine, [folder], now=T0, options=Options(jobs=2))
    assert not [f.error for f in parallel.feeds if f.error]
    monkeypatch.setattr(api, "match_text", real)
    other = make_engine(fresh_db_url)
    upgrade(other)
    add_actors(other)
    serial = ingest_paths(other, [folder], now=T0, options=Options(jobs=1))
    assert parallel.new == serial.new == 12
    assert _links(engine) == _links(other) and len(_links(engine)) >= 12
    other.dispose()


def test_prematches_are_used_only_for_the_same_text(engine):
    """Matches computed ahead are looked up by a digest of the exact text: an entry for
    another text (the article changed meanwhile) is ignored and the article matched afresh;
    an entry for the same text is taken as it is."""
    from tracker.linking.api import link_articles
    from tracker.linking.candidates import LinkConfig
    from tracker.linking.gazetteer import load_gazetteer
    from tracker.linking.prematch import Prematcher, text_key
    from tracker.models.feeds import Feed

    add_actors(engine)
    title = "Anthropic files a letter"
    with session_scope(engine) as s:
        feed = Feed(url="file:///x.xml", name="x")
        s.add(feed)
        s.flush()
        art = Article(feed_id=feed.id, identity="i", title=title, content_hash="h",
                      first_seen_at=T0)  # fmt: skip
        s.add(art)
        s.flush()
        gz = load_gazetteer(s)
        (alibaba,) = Prematcher(gz, LinkConfig())(["Alibaba sues the Pentagon"]).values()
        link_articles(s, [art.id], gazetteer=gz, matched={text_key(title + " (old)"): alibaba})
    assert linked(engine, "anthropic") == 1 and linked(engine, "alibaba") == 0
    with session_scope(engine) as s:
        link_articles(s, [art.id], gazetteer=gz, matched={text_key(title): alibaba})
    assert linked(engine, "anthropic") == 0 and linked(engine, "alibaba") == 1


def test_a_run_builds_the_measure_index_once(engine, monkeypatch):
    """Bill citations are matched against an index of every measure; an ingest run builds
    it once for all its feeds (like the gazetteer), not once per feed, and still uses it."""
    import tracker.legislation.measure_links as ml
    from tracker.models.links import RecordSuggestion
    from tracker.records.demo import build_demo

    with session_scope(engine) as s:
        build_demo(s)
    built = []
    real = ml.MeasureIndex

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, session):
            built.append(1)
            super().__init__(session)

    monkeypatch.setattr(ml, "MeasureIndex", Counting)
    report = ingest_paths(engine, [SAMPLES], now=T0, options=Options(jobs=1))
    assert len([f for f in report.feeds if f.new]) == 3 and len(built) == 1
    with Session(engine) as s:  # the demo's measures are cited in the sample articles
        assert s.scalar(select(func.count()).select_from(RecordSuggestion)) > 0
    with session_scope(engine) as s:  # outside a run: built on every call, as before
        ml.measure_matches(s, [1])
        ml.measure_matches(s, [1])
    assert len(built) == 3


def _link_dates(engine) -> list[tuple[object, object]]:
    with Session(engine) as s:
        return s.execute(
            select(ArticleActor.published_at, Article.published_at).join(
                Article, Article.id == ArticleActor.article_id
            )
        ).all()


def test_links_carry_their_articles_dates_through_changes(engine, tmp_path):
    """A link's copy of its article's publication date (what timeline --actor reads) is
    written with the link, follows the article when its date changes, and is filled in
    for a link written without it."""
    add_actors(engine)
    path = _feed(tmp_path / "d.xml", "d-1", "Anthropic warns Alibaba", "Anthropic and Alibaba.")
    ingest_paths(engine, [path], now=T0)
    rows = _link_dates(engine)
    assert len(rows) == 2 and all(a == b == datetime(2026, 6, 24, 10, 0) for a, b in rows)
    path.write_text(path.read_text().replace("Wed, 24 Jun 2026", "Thu, 25 Jun 2026"))
    ingest_paths(engine, [path], now=T0)
    rows = _link_dates(engine)
    assert len(rows) == 2 and all(a == b == datetime(2026, 6, 25, 10, 0) for a, b in rows)
    with session_scope(engine) as s:  # a writer that does not know about the copy
        art = s.scalar(select(Article))
        other = Actor(slug="zephyra", name="Zephyra Robotics", kind="company")
        s.add(other)
        s.flush()
        s.add(ArticleActor(article_id=art.id, actor_id=other.id, method="manual", score=1.0,
                           status="confirmed"))  # fmt: skip
    rows = _link_dates(engine)
    assert len(rows) == 3 and all(a == b for a, b in rows)
