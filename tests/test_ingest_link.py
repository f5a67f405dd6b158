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
