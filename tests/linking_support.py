"""A small knowledge base and article helpers for the linking tests (written by us)."""

from __future__ import annotations

from datetime import datetime
from hashlib import sha256

from tracker.models import Actor, ActorAlias, ActorExternalId, ActorRole, Measure, RecordActor
from tracker.models.feeds import Article, Feed

PEOPLE = [
    # slug, name, chamber title, party, state, bioguide
    ("bill-hagerty", "Bill Hagerty", "Senator", "Republican", "TN", "H000601"),
    ("andy-kim", "Andy Kim", "Senator", "Democrat", "NJ", "K000394"),
    ("young-kim", "Young Kim", "Representative", "Republican", "CA", "K000397"),
    ("tim-scott", "Tim Scott", "Senator", "Republican", "SC", "S001184"),
    ("rick-scott", "Rick Scott", "Senator", "Republican", "FL", "S001217"),
    ("elizabeth-warren", "Elizabeth Warren", "Senator", "Democrat", "MA", "W000817"),
    ("todd-young", "Todd Young", "Senator", "Republican", "IN", "Y000064"),
]
ORGS = [
    ("anthropic", "Anthropic", "ai_lab", []),
    ("alibaba", "Alibaba Group Holding Ltd.", "company", ["Alibaba"]),
    ("alibaba-qwen", "Qwen lab", "ai_lab", ["Qwen"]),
    ("deepseek", "DeepSeek", "ai_lab", []),
    ("moonshot-ai", "Moonshot AI", "ai_lab", []),
    ("minimax", "MiniMax", "ai_lab", []),
    ("us-senate", "United States Senate", "legislature", ["Senate"]),
]


def make_kb(session) -> dict[str, Actor]:  # type: ignore[no-untyped-def]
    """Actors (with roles, ids and aliases) and the Hagerty–Kim amendment record."""
    actors: dict[str, Actor] = {}
    for slug, name, kind, aliases in ORGS:
        a = Actor(slug=slug, name=name, kind=kind)
        a.aliases = [ActorAlias(alias=x, normalized=x.lower(), origin="curated") for x in aliases]
        actors[slug] = a
        session.add(a)
    session.flush()
    actors["alibaba-qwen"].parent_id = actors["alibaba"].id
    for slug, name, title, party, state, bioguide in PEOPLE:
        a = Actor(slug=slug, name=name, kind="person", country="US")
        a.external_ids = [ActorExternalId(scheme="bioguide", value=bioguide)]
        a.roles = [ActorRole(title=title, party=party, state=state, origin="imported")]
        actors[slug] = a
        session.add(a)
    session.flush()
    m = Measure(
        slug="hagerty-kim-amendment",
        title="Hagerty–Kim amendment on AI model distillation",
        measure_type="amendment",
        chamber="senate",
    )
    m.actors = [
        RecordActor(actor_id=actors["bill-hagerty"].id, role="sponsor"),
        RecordActor(actor_id=actors["andy-kim"].id, role="sponsor", position=1),
    ]
    session.add(m)
    session.flush()
    return actors


def make_feed(session, url: str = "file:///feeds/a.xml", name: str = "Feed A") -> Feed:  # type: ignore[no-untyped-def]
    feed = Feed(url=url, name=name)
    session.add(feed)
    session.flush()
    return feed


def add_article(  # type: ignore[no-untyped-def]
    session,
    feed: Feed,
    title: str,
    summary: str = "",
    *,
    published: datetime | None = datetime(2026, 6, 10, 12, 0),
    link: str | None = None,
) -> Article:
    ident = sha256(f"{feed.id}:{title}:{link}".encode()).hexdigest()
    art = Article(
        feed_id=feed.id,
        identity=ident,
        link=link or f"https://news.example/{ident[:10]}",
        title=title,
        summary_text=summary or None,
        published_at=published,
        published_precision="time" if published else None,
        content_hash=sha256(f"{title}{summary}".encode()).hexdigest(),
    )
    session.add(art)
    session.flush()
    return art


AMENDMENT_TEXT = (
    "Sen. Bill Hagerty (R-Tenn.) and Sen. Andy Kim (D-N.J.) filed an amendment to punish AI "
    "model distillation."
)
