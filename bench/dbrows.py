"""The rows of a generated knowledge base, table by table (pure: no database).

`dataset(plan)` yields (table, columns, rows) batches in foreign-key order with explicit ids,
so a sink can bulk-load them (executemany / COPY) or hash them. Everything is a function of
the plan (seed and counts), hence deterministic.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bench import corpus
from bench import words as W
from bench.corpus import EPOCH, GenActor

Batch = tuple[str, tuple[str, ...], list[tuple]]
ARTICLE_CHUNK = 5_000


@dataclass(frozen=True)
class Plan:
    seed: int
    articles: int
    events: int
    parents: int  # measures, incidents, letters, designations
    feeds: int
    actors: list[GenActor]


def plan_for(seed: int, articles: int, events: int, actors: list[GenActor]) -> Plan:
    return Plan(seed, articles, events, max(20, articles // 100), 20 + articles // 2000, actors)


def cols(names: str) -> tuple[str, ...]:
    """Column names, written as one string: cols("id name kind")."""
    return tuple(names.split())


def normalize(text: str) -> str:
    """The alias normal form the importers use (tracker.legislation.common when present)."""
    try:
        from tracker.legislation.common import normalize_name
    except ImportError:  # pragma: no cover - depends on another area's module
        import re
        import unicodedata

        s = unicodedata.normalize("NFKD", text)
        s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
        return " ".join(re.sub(r"[^\w\s]+", " ", s).split())
    return normalize_name(text)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _day(rng: random.Random, span: int = corpus.SPAN_DAYS) -> date:
    return (EPOCH - timedelta(days=rng.randrange(span))).date()


def actor_rows(plan: Plan) -> Iterator[Batch]:
    stamp = EPOCH - timedelta(days=400)
    yield (
        "actors",
        cols("id slug name kind country created_at updated_at"),
        [(a.index + 1, a.slug, a.name, a.kind, a.country, stamp, stamp) for a in plan.actors],
    )
    aliases, ids, roles = [], [], []
    for a in plan.actors:
        origin = "imported" if a.bioguide else "curated"
        seen: set[str] = set()
        for alias in a.aliases:
            norm = normalize(alias)
            if norm and norm not in seen:
                seen.add(norm)
                aliases.append((len(aliases) + 1, a.index + 1, alias, norm, origin))
        if a.bioguide:
            ids.append((len(ids) + 1, a.index + 1, "bioguide", a.bioguide))
        if a.role:
            title, party, state, start = a.role
            start_on = date.fromisoformat(start) if start else None
            roles.append(
                (
                    len(roles) + 1,
                    a.index + 1,
                    title,
                    party or None,
                    state or None,
                    start_on,
                    "imported",
                )
            )
    yield ("actor_aliases", cols("id actor_id alias normalized origin"), aliases)
    yield ("actor_external_ids", cols("id actor_id scheme value"), ids)
    yield (
        "actor_roles",
        cols("id actor_id title party state start_on origin"),
        roles,
    )


def feed_rows(plan: Plan) -> Iterator[Batch]:
    rng = corpus._rng(plan.seed, "feeds")
    rows = []
    for i in range(1, plan.feeds + 1):
        city = rng.choice(W.CITIES)
        seen = EPOCH - timedelta(minutes=rng.randrange(600))
        rows.append(
            (
                i,
                f"https://feeds.example.org/{city.lower()}/{i}.xml",
                f"{city} wire {i}",
                f"{city} policy wire",
                f"https://{city.lower()}.example.org/",
                True,
                EPOCH - timedelta(days=800),
                seen,
                seen,
                0,
                3600,
                seen + timedelta(hours=1),
                plan.articles // plan.feeds,
            )
        )
    yield (
        "feeds",
        cols(
            "id url name title site_url active created_at last_attempt_at last_success_at"
            " consecutive_failures interval_seconds next_due_at item_count"
        ),
        rows,
    )


_PARENT_KINDS = ("measure", "measure", "letter", "incident", "designation")
_ROLES = {
    "measure": ("sponsor", "cosponsor"),
    "letter": ("author", "recipient"),
    "incident": ("perpetrator", "target"),
    "designation": ("subject", "authority"),
    "event": ("participant", "subject"),
}


def record_rows(plan: Plan) -> Iterator[Batch]:
    """Sources, parent records with their subtype rows, events, actors, claims, actions."""
    rng = corpus._rng(plan.seed, "records")
    mentioner = corpus.Mentioner(plan.actors, plan.seed)
    n_sources = max(10, plan.articles // 50)
    sources = []
    for i in range(1, n_sources + 1):
        day = _day(rng)
        sources.append(
            (
                i,
                f"https://news.example.org/source/{i}",
                f"Report {i} on {rng.choice(W.TOPICS)}",
                rng.choice(W.CITIES) + " Herald",
                "article",
                day,
                "day",
                EPOCH - timedelta(days=1),
            )
        )
    yield (
        "sources",
        cols("id url title outlet kind published_on published_on_precision created_at"),
        sources,
    )

    stamp = EPOCH - timedelta(days=2)
    recs, ras, rss, claims = [], [], [], []
    sub: dict[str, list[tuple]] = {k: [] for k in (*_PARENT_KINDS, "event")}
    actions = []
    total = plan.parents + plan.events
    for rid in range(1, total + 1):
        kind = _PARENT_KINDS[rid % len(_PARENT_KINDS)] if rid <= plan.parents else "event"
        topic = rng.choice(W.TOPICS)
        day = _day(rng)
        people = {mentioner.draw(rng).index + 1 for _ in range(rng.choice((1, 2, 2, 3)))}
        title = f"{rng.choice(W.ADJECTIVES).capitalize()} {rng.choice(W.NOUNS)} on {topic}"
        status = {
            "measure": "introduced",
            "letter": "sent",
            "incident": "alleged",
            "designation": "active",
            "event": "occurred",
        }[kind]
        recs.append(
            (
                rid,
                kind,
                f"{kind}-{rid}",
                title,
                f"Generated {kind} about {topic}.",
                status,
                stamp,
                stamp,
            )
        )
        for pos, actor_id in enumerate(sorted(people)):
            ras.append((len(ras) + 1, rid, actor_id, _ROLES[kind][min(pos, 1)], pos))
        source_id = rng.randrange(1, n_sources + 1)
        rss.append((len(rss) + 1, rid, source_id, stamp))
        if kind != "event" or rid % 10 == 0:
            for field, value in (("title", title), ("status", status)):
                key = _sha(f"record:{rid}:{field}:{source_id}")
                claims.append(
                    (
                        len(claims) + 1,
                        rid,
                        field,
                        json.dumps(value),
                        source_id,
                        key,
                        datetime.combine(day, datetime.min.time()),
                    )
                )
        if kind == "measure":
            sub[kind].append(
                (
                    rid,
                    "bill",
                    "senate" if rid % 2 else "house",
                    119,
                    f"{'s' if rid % 2 else 'hr'}{rid}-119",
                    day,
                    "day",
                )
            )
            for pos in range(3):
                acted = min(day + timedelta(days=pos * 20), EPOCH.date())
                actions.append(
                    (
                        len(actions) + 1,
                        rid,
                        pos,
                        acted,
                        "day",
                        ("introduced", "referred", "reported")[pos],
                        f"Step {pos + 1} for {title}",
                        source_id,
                    )
                )
        elif kind == "letter":
            sub[kind].append((rid, f"On {topic}", day, "day", day, "day"))
        elif kind == "incident":
            sub[kind].append((rid, "campaign", day.replace(day=1), "month", day, "day"))
        elif kind == "designation":
            sub[kind].append((rid, "Section 1260H list", min(people), day, "day"))
        else:
            parent = rng.randrange(1, plan.parents + 1) if rng.random() < 0.8 else None
            precision = rng.choice(("day", "day", "day", "month"))
            sub["event"].append(
                (
                    rid,
                    rng.choice(("hearing", "memo", "markup", "announcement", "filing")),
                    day.replace(day=1) if precision == "month" else day,
                    precision,
                    parent,
                )
            )
    yield (
        "records",
        cols("id kind slug title summary status created_at updated_at"),
        recs,
    )
    yield (
        "measures",
        cols("id measure_type chamber congress official_id introduced_on introduced_on_precision"),
        sub["measure"],
    )
    yield (
        "letters",
        cols("id subject sent_on sent_on_precision made_public_on made_public_on_precision"),
        sub["letter"],
    )
    yield (
        "incidents",
        cols(
            "id incident_kind activity_start_on activity_start_on_precision disclosed_on"
            " disclosed_on_precision"
        ),
        sub["incident"],
    )
    yield (
        "designations",
        cols("id list_name subject_id added_on added_on_precision"),
        sub["designation"],
    )
    yield (
        "events",
        cols("id event_type occurred_on occurred_on_precision subject_record_id"),
        sub["event"],
    )
    yield ("record_actors", cols("id record_id actor_id role position"), ras)
    yield ("record_sources", cols("id record_id source_id added_at"), rss)
    yield (
        "claims",
        cols("id record_id field value source_id claim_key recorded_at"),
        claims,
    )
    yield (
        "measure_actions",
        cols("id measure_id position acted_on acted_on_precision action_type text source_id"),
        actions,
    )


ARTICLE_COLUMNS = cols(
    "id feed_id identity guid link canonical_url title author summary_html summary_text language"
    " published_at published_precision content_hash first_seen_at linked_at story_id"
)
STORY_COLUMNS = cols("id title first_published_at created_at")
LINK_COLUMNS = cols("id article_id actor_id method score status reason created_at updated_at")
MENTION_COLUMNS = cols("id link_id text start end method score")


STORY_EVERY, STORY_SIZE = 20, 4  # the first 4 of every 20 articles report one story


def article_rows(plan: Plan, chunk: int = ARTICLE_CHUNK) -> Iterator[Batch]:
    """Articles with their stories, actor links and mentions, in chunks (the bulk of the
    data). One article in five belongs to a story reported by four outlets."""
    assert chunk % STORY_EVERY == 0
    link_id = 0
    for start in range(0, plan.articles, chunk):
        arts, links, mentions = [], [], []
        stories: dict[int, tuple[int, str, datetime, datetime]] = {}
        for a in corpus.articles(plan.seed, plan.actors, start, min(chunk, plan.articles - start)):
            aid = a.index + 1
            seen = a.published + timedelta(minutes=7)
            story = None
            if a.index % STORY_EVERY < STORY_SIZE:
                story = a.index // STORY_EVERY + 1
                first = stories.get(story)
                if first is None or a.published < first[2]:
                    title = first[1] if first else a.title
                    stories[story] = (story, title, a.published, EPOCH - timedelta(days=1))
            arts.append(
                (aid, aid % plan.feeds + 1, _sha(f"guid:{a.guid}"), a.guid, a.url, a.url,
                 a.title, None, f"<p>{a.summary}</p>", a.summary, "en", a.published,
                 "time", _sha(a.text), seen, seen, story)
            )  # fmt: skip
            for m in a.mentions:
                link_id += 1
                exact = m.alias == plan.actors[m.actor].name
                method, score = ("exact", 1.0) if exact else ("alias", 0.93)
                status = "review" if link_id % 20 == 0 else "auto"
                links.append((link_id, aid, m.actor + 1, method, score, status,
                              f"{method} match on {m.alias!r}", seen, seen))  # fmt: skip
                mentions.append((link_id, link_id, m.alias, m.start, m.start + len(m.alias),
                                 method, score))  # fmt: skip
        yield ("stories", STORY_COLUMNS, list(stories.values()))
        yield ("articles", ARTICLE_COLUMNS, arts)
        yield ("article_actors", LINK_COLUMNS, links)
        yield ("mentions", MENTION_COLUMNS, mentions)


def dataset(plan: Plan) -> Iterator[Batch]:
    """Every batch of the knowledge base, in foreign-key order."""
    yield from feed_rows(plan)
    yield from actor_rows(plan)
    yield from record_rows(plan)
    yield from article_rows(plan)
