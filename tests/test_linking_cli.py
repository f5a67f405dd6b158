"""The linking commands end to end: link, review, actors (list, dedupe, merge), articles."""

from __future__ import annotations

import io
import json

import pytest
from linking_support import add_article, make_feed, make_kb
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Actor, ActorAlias
from tracker.models.links import ArticleActor, LinkJudgement

AMENDMENT = (
    "Hagerty and Kim file amendment on distillation",
    "Sen. Bill Hagerty (R-Tenn.) and Sen. Andy Kim (D-N.J.) filed an amendment.",
)


@pytest.fixture
def kb(engine):
    """A committed knowledge base with two feeds and three articles, not yet linked."""
    with Session(engine) as s:
        make_kb(s)
        a, b = make_feed(s, "file:///a.xml", "Outlet A"), make_feed(s, "file:///b.xml", "Outlet B")
        add_article(s, a, *AMENDMENT, link="https://a.example/amendment")
        add_article(s, b, "DeepSeek ships a model", "The Deep Seek app is popular with developers.")
        add_article(
            s, b, "Quiet day", "Warren said little to lawmakers.", link="https://b.example/quiet"
        )
        s.commit()
    return engine


def _links(engine):
    with Session(engine) as s:
        return {
            (link.actor.slug, link.status): link.id
            for link in s.scalars(select(ArticleActor).order_by(ArticleActor.id))
        }


def test_link_then_relink_all(cli, kb, db_url):
    r = cli("link", "--db", db_url)
    assert r.code == 0, r.err
    assert "linked 3 articles: 4 new" in r.out
    assert "1 to review" in r.out
    r = cli("link", "--db", db_url, "--json")
    assert json.loads(r.out)["articles"] == 0
    r = cli("link", "--all", "--db", db_url, "--json")
    data = json.loads(r.out)
    assert data["articles"] == 3 and data["added"] == 0 and data["unchanged"] == 4


def test_review_queue_accept_reject_undo(cli, kb, db_url):
    cli("link", "--db", db_url)
    r = cli("review", "--json", "--db", db_url)
    queue = json.loads(r.out)
    assert [(q["actor"]["slug"], q["mentions"][0]["text"]) for q in queue] == [
        ("elizabeth-warren", "Warren")
    ]
    warren = queue[0]["id"]
    assert queue[0]["article"]["url"] == "https://b.example/quiet"
    r = cli("review", "--accept", warren, "--db", db_url, "--by", "ana")
    assert r.code == 0 and "confirmed" in r.err
    assert ("elizabeth-warren", "confirmed") in _links(kb)
    assert json.loads(cli("review", "--json", "--db", db_url).out) == []
    r = cli("review", "--undo", warren, "--db", db_url, "--json")
    assert json.loads(r.out) == [{"decision": "undo", "id": warren, "status": "review"}]
    cli("review", "--reject", warren, "--db", db_url)
    cli("link", "--all", "--db", db_url)
    assert ("elizabeth-warren", "rejected") in _links(kb)
    with Session(kb) as s:
        rows = [
            (j.decision, j.decided_by)
            for j in s.scalars(select(LinkJudgement).order_by(LinkJudgement.id))
        ]
    assert rows[0] == ("accept", "ana") and [d for d, _ in rows] == ["accept", "undo", "reject"]


def test_review_pick_another_actor(cli, kb, db_url):
    cli("link", "--db", db_url)
    kim = _links(kb)[("andy-kim", "auto")]
    r = cli("review", "--pick", kim, "--actor", "young-kim", "--db", db_url)
    assert r.code == 0, r.err
    links = _links(kb)
    assert ("andy-kim", "rejected") in links and ("young-kim", "confirmed") in links
    cli("link", "--all", "--db", db_url)
    links = _links(kb)
    assert ("andy-kim", "rejected") in links and ("young-kim", "confirmed") in links


def test_review_interactive(cli, kb, db_url, monkeypatch):
    cli("link", "--db", db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("x\nr\n"))
    r = cli("review", "--interactive", "--db", db_url)
    assert r.code == 0, r.err
    assert "elizabeth-warren" in r.out and "Warren" in r.out and "why:" in r.out
    assert "please answer one of" in r.err and "1 decision recorded" in r.err
    assert ("elizabeth-warren", "rejected") in _links(kb)


def test_review_usage_errors(cli, kb, db_url):
    r = cli("review", "--accept", "999", "--db", db_url)
    assert r.code == 2 and "no link with id 999" in r.err and "Traceback" not in r.err
    r = cli("review", "--pick", "1", "--db", db_url)
    assert r.code == 2 and "--pick LINK_ID and --actor NAME go together" in r.err
    r = cli("review", "--db", db_url)
    assert r.code == 0 and "nothing to review" in r.out


def test_actors_list(cli, kb, db_url):
    cli("link", "--db", db_url)
    r = cli("actors", "--json", "--kind", "person", "--search", "kim", "--db", db_url)
    rows = json.loads(r.out)
    assert [x["slug"] for x in rows] == ["andy-kim", "young-kim"]
    assert rows[0]["ids"] == {"bioguide": "K000394"} and rows[0]["articles"] == 1
    r = cli("actors", "--limit", "2", "--db", db_url)
    assert r.code == 0 and "slug" in r.out and len(r.out.strip().splitlines()) == 4
    r = cli("actors", "--kind", "robot", "--db", db_url)
    assert r.code == 2 and "unknown actor kind 'robot'" in r.err


def test_articles_json_contract(cli, kb, db_url):
    cli("link", "--db", db_url)
    r = cli("articles", "--actor", "Andy Kim", "--json", "--db", db_url)
    assert r.code == 0, r.err
    (art,) = json.loads(r.out)
    assert set(art) == {"url", "title", "published", "feed", "actors"}
    assert art["url"] == "https://a.example/amendment"
    assert art["feed"] == "Outlet A" and art["published"] == "2026-06-10T12:00:00"
    actors = {a["slug"]: a for a in art["actors"]}
    assert set(actors) == {"andy-kim", "bill-hagerty"}
    kim = actors["andy-kim"]
    assert set(kim) == {"slug", "name", "kind", "ids", "score", "status", "mentions"}
    assert kim["ids"] == {"bioguide": "K000394"} and kim["status"] == "auto"
    assert kim["score"] == 1.0 and kim["kind"] == "person"
    assert [m["text"] for m in kim["mentions"]] == ["Kim", "Andy Kim"]
    r = cli("articles", "--json", "--since", "2030-01-01", "--db", db_url)
    assert json.loads(r.out) == []
    r = cli("articles", "--json", "--db", db_url)
    quiet = next(a for a in json.loads(r.out) if a["title"] == "Quiet day")
    assert quiet["actors"] == []  # Warren waits for review
    r = cli("articles", "--with-review", "--json", "--db", db_url)
    quiet = next(a for a in json.loads(r.out) if a["title"] == "Quiet day")
    assert [(a["slug"], a["status"]) for a in quiet["actors"]] == [("elizabeth-warren", "review")]
    r = cli("articles", "--actor", "Nobody Atall", "--db", db_url)
    assert r.code == 2 and "Traceback" not in r.err
    r = cli("articles", "--since", "yesterday-ish", "--db", db_url)
    assert r.code == 2


def test_hostile_feed_text_is_shown_literally(cli, engine, db_url):
    with Session(engine) as s:
        make_kb(s)
        feed = make_feed(s, "file:///evil.xml", "[bold]Evil[/bold] \x1b[31mfeed")
        add_article(s, feed, "[red]Anthropic[/red] \x1b]8;;http://x\x07news\u202e", "Anthropic.")
        s.commit()
    cli("link", "--db", db_url)
    r = cli("articles", "--db", db_url)
    assert "[red]Anthropic[/red]" in r.out and "[bold]Evil[/bold]" in r.out
    assert "\x1b" not in r.out and "\u202e" not in r.out


def test_actors_dedupe_and_merge(cli, kb, db_url):
    with Session(kb) as s:
        s.add(Actor(slug="deep-seek-ai", name="Deep Seek AI", kind="ai_lab"))
        s.commit()
    r = cli("actors", "dedupe", "--json", "--db", db_url)
    pairs = json.loads(r.out)
    assert [(p["left"], p["right"]) for p in pairs] == [("deepseek", "deep-seek-ai")]
    monkey_in = io.StringIO("n\n")
    import sys

    old, sys.stdin = sys.stdin, monkey_in
    try:
        r = cli("actors", "dedupe", "--interactive", "--db", db_url)
    finally:
        sys.stdin = old
    assert "marked as different" in r.err
    assert json.loads(cli("actors", "dedupe", "--json", "--db", db_url).out) == []
    r = cli("actors", "merge", "deepseek", "deep-seek-ai", "--db", db_url)
    assert r.code == 0 and "merged deep-seek-ai into deepseek" in r.err
    with Session(kb) as s:
        dup = s.scalars(select(Actor).where(Actor.slug == "deep-seek-ai")).one()
        keep = s.scalars(select(Actor).where(Actor.slug == "deepseek")).one()
        assert dup.merged_into_id == keep.id
        assert "Deep Seek AI" in {a.alias for a in keep.aliases if a.origin == "curated"}
        assert not s.scalars(select(ActorAlias).where(ActorAlias.actor_id == dup.id)).all()
    r = cli("actors", "merge", "deepseek", "deepseek", "--db", db_url)
    assert r.code == 2 and "same actor" in r.err


def test_every_linking_command_has_help_with_an_example(cli):
    for args in (
        ["link"], ["review"], ["actors"], ["actors", "dedupe"], ["actors", "merge"], ["articles"]
    ):  # fmt: skip
        r = cli(*args, "--help")
        assert r.code == 0 and "Example: tracker" in r.out, args


def test_thresholds_from_options_and_environment(cli, kb, db_url, monkeypatch):
    data = json.loads(cli("link", "--db", db_url, "--json").out)
    assert (data["auto"], data["review"]) == (3, 1)
    # a lower accept threshold lets the lone "Warren" (0.55) through
    data = json.loads(cli("link", "--all", "--accept", "0.55", "--db", db_url, "--json").out)
    assert (data["auto"], data["review"], data["updated"]) == (4, 0, 1)
    monkeypatch.setenv("TRACKER_LINK_REVIEW", "0.6")
    data = json.loads(cli("link", "--all", "--db", db_url, "--json").out)
    assert (data["auto"], data["review"], data["removed"]) == (3, 0, 1)
    monkeypatch.setenv("TRACKER_LINK_ACCEPT", "lots")
    r = cli("link", "--db", db_url)
    assert r.code == 2 and "TRACKER_LINK_ACCEPT must be a number" in r.err
    monkeypatch.setenv("TRACKER_LINK_ACCEPT", "0.4")
    r = cli("link", "--db", db_url)
    assert r.code == 2 and "review <= accept" in r.err


def test_review_snippet_keeps_spaces_and_strips_escapes():
    from io import StringIO

    from rich.console import Console

    from tracker.render.linking import snippet

    text = "Labs \x1b[31mDeepSeek and\n MiniMax\u202e used [bold]proxies[/bold]."
    start = text.index("MiniMax")
    out = StringIO()
    Console(file=out, width=100, color_system=None).print(snippet(text, start, start + 7))
    assert out.getvalue() == "Labs DeepSeek and MiniMax used [bold]proxies[/bold].\n"


def test_review_record_suggestions(cli, kb, db_url):
    cli("link", "--db", db_url)
    r = cli("review", "--suggestions", "--json", "--db", db_url)
    (s,) = json.loads(r.out)
    assert s["record"] == "hagerty-kim-amendment" and s["status"] == "suggested"
    assert s["article"]["url"] == "https://a.example/amendment"
    r = cli("review", "--suggestions", "--db", db_url)
    assert "hagerty-kim-amendment" in r.out
    r = cli("review", "--accept-suggestion", s["id"], "--db", db_url, "--json")
    assert json.loads(r.out) == [{"id": s["id"], "status": "accepted"}]
    assert json.loads(cli("review", "--suggestions", "--json", "--db", db_url).out) == []
    cli("link", "--all", "--db", db_url)  # a decided suggestion is never changed again
    with Session(kb) as session:
        from tracker.models.links import RecordSuggestion

        assert [x.status for x in session.scalars(select(RecordSuggestion))] == ["accepted"]
    r = cli("review", "--reject-suggestion", "999", "--db", db_url)
    assert r.code == 2 and "no record suggestion with id 999" in r.err
