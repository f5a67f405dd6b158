"""Querying: `timeline --actor` and `search` on the generated database.

Targets (at large: 1M articles, 100k events, 10k actors): the timeline for an actor p95
<= 30 ms and <= 1.5x hand-written SQL for the same rows; search p95 <= 50 ms, reported
against the raw full-text query. Both are the library calls the commands make (query and
rows, no terminal rendering); `tracker --help` start-up is measured by bench_startup.

Actors are drawn half from the 1% most-mentioned (the ones people ask about) and half
uniformly; the single most-mentioned actor (in about a third of all articles) is also
reported on its own. The hand-written baseline runs one plain query per kind of row
(linked articles, events, dated fields, measure actions, challenges), newest first with the
same limit, on the raw DB-API connection: what a person would write for the same rows.
"""

from __future__ import annotations

import random
import re

from bench import generate
from bench.harness import Context, Measurement, latencies, p95, ratio

LIMIT = 200  # the CLI's default --limit for timeline


def _session(url: str):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import Session

    from tracker.db import make_engine

    return Session(make_engine(url, cache=False))


def _sample_actors(ctx: Context, n: int) -> list[str]:
    popular = generate.popular_actors(ctx)
    rng = random.Random(ctx.seed + 5)
    top = popular[: max(len(popular) // 100, 1)]
    picks = [rng.choice(top) for _ in range(n // 2)] + [
        rng.choice(popular) for _ in range(n - n // 2)
    ]
    rng.shuffle(picks)
    return [a.slug for a in picks]


def _handwritten(backend: str) -> list[str]:
    """One plain query per kind of row, for actor :a, newest first, LIMIT :n."""
    p = "%(a)s" if backend == "postgresql" else ":a"
    n = "%(n)s" if backend == "postgresql" else ":n"
    scope = (
        f"SELECT record_id FROM record_actors WHERE actor_id = {p} "
        f"UNION SELECT id FROM designations WHERE subject_id = {p} OR authority_id = {p} "
        f"UNION SELECT designation_id FROM designation_challenges WHERE challenger_id = {p}"
    )
    return [
        "SELECT a.id, a.title, a.link, a.published_at, a.story_id, f.name FROM article_actors aa "
        "JOIN articles a ON a.id = aa.article_id JOIN feeds f ON f.id = a.feed_id "
        f"WHERE aa.actor_id = {p} AND aa.status IN ('auto', 'confirmed') "
        f"AND a.published_at IS NOT NULL ORDER BY a.published_at DESC, a.id DESC LIMIT {n}",
        "SELECT e.id, r.slug, r.title, e.occurred_on, e.occurred_on_precision FROM events e "
        f"JOIN records r ON r.id = e.id WHERE e.id IN ({scope}) OR e.subject_record_id IN "
        f"({scope}) ORDER BY e.occurred_on DESC LIMIT {n}",
        "SELECT r.id, r.slug, r.title, l.sent_on, l.made_public_on, m.introduced_on, d.added_on, "
        "d.effective_on, d.removed_on, i.disclosed_on, i.activity_start_on FROM records r "
        "LEFT JOIN letters l ON l.id = r.id LEFT JOIN measures m ON m.id = r.id "
        "LEFT JOIN designations d ON d.id = r.id LEFT JOIN incidents i ON i.id = r.id "
        f"WHERE r.kind <> 'event' AND r.id IN ({scope})",
        "SELECT ma.measure_id, ma.acted_on, ma.action_type, ma.text, r.slug FROM measure_actions ma "
        f"JOIN records r ON r.id = ma.measure_id WHERE ma.measure_id IN ({scope}) "
        f"ORDER BY ma.acted_on DESC LIMIT {n}",
        "SELECT c.designation_id, c.filed_on, c.decided_on, c.outcome FROM designation_challenges c "
        f"WHERE c.designation_id IN ({scope})",
    ]


def _raw(session):  # type: ignore[no-untyped-def]
    return session.connection().connection.driver_connection


def _timeline(ctx: Context, backend: str, url: str) -> list[Measurement]:
    from sqlalchemy import select

    from tracker.models import Actor
    from tracker.query.timeline import build_timeline

    n = 30 if ctx.scale in ("tiny", "small") else 60
    slugs = _sample_actors(ctx, n)
    hot = generate.popular_actors(ctx)[0].slug
    queries = _handwritten(backend)
    out: list[Measurement] = []
    with _session(url) as session:
        ids = dict(
            session.execute(select(Actor.slug, Actor.id).where(Actor.slug.in_([*slugs, hot]))).all()
        )
        conn = _raw(session)

        def baseline(slug: str) -> None:
            cur = conn.cursor()
            for q in queries:
                cur.execute(q, {"a": ids[slug], "n": LIMIT})
                cur.fetchall()
            cur.close()

        for label, names in (
            ("actors: 1% busiest + random", slugs),
            ("the busiest actor", [hot] * 20),
        ):
            for s in names[:3]:  # warm caches for both sides alike
                baseline(s)
                build_timeline(session, actor=s, limit=LIMIT)
            it_b, it_o = iter(names), iter(names)
            base = latencies(lambda it=it_b: baseline(next(it)), len(names))
            ours = latencies(
                lambda it=it_o: build_timeline(session, actor=next(it), limit=LIMIT), len(names)
            )
            b95, o95 = p95(base) * 1000, p95(ours) * 1000
            target_ok = o95 <= 30 and o95 <= 1.5 * b95 if ctx.scale == "large" else None
            out.append(
                Measurement(
                    f"timeline --actor ({label})", backend, "hand-written SQL, same rows", b95,
                    o95, "ms p95", ratio(o95, b95), "p95 <= 30 ms, <= 1.5x", target_ok,
                    f"{len(names)} queries, limit {LIMIT}; target applies at large",
                )
            )  # fmt: skip
    return out


def _search_terms(ctx: Context, n: int) -> list[str]:
    rng = random.Random(ctx.seed + 7)
    texts = generate.article_texts(ctx, 200, stream="query-terms")
    words = [w.lower() for t in texts for w in re.findall(r"[A-Za-z]{5,}", t.text)]
    actors = generate.popular_actors(ctx)[:200]
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(rng.choice(words))
        elif i % 3 == 1:
            out.append(f"{rng.choice(words)} {rng.choice(words)}")
        else:
            out.append('"' + rng.choice(actors).name + '"')
    return out


def _search(ctx: Context, backend: str, url: str) -> Measurement:
    from tracker.query.search import fts5_query, parse_query, search

    n = 30 if ctx.scale in ("tiny", "small") else 60
    terms = _search_terms(ctx, n)
    with _session(url) as session:
        conn = _raw(session)
        if backend == "sqlite":
            raw = ("SELECT rowid FROM search_fts_articles WHERE search_fts_articles MATCH ? "
                   "ORDER BY bm25(search_fts_articles) LIMIT 20")  # fmt: skip
            args = [(fts5_query(parse_query(t)),) for t in terms]
        else:
            raw = ("SELECT article_id FROM search_fts_articles, websearch_to_tsquery('english', %s) q "
                   "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 20")  # fmt: skip
            args = [(t,) for t in terms]

        def baseline(a: tuple[str]) -> None:
            cur = conn.cursor()
            cur.execute(raw, a)
            cur.fetchall()
            cur.close()

        for i in range(3):
            baseline(args[i])
            search(session, terms[i])
        it_b, it_o = iter(args), iter(terms)
        base = latencies(lambda: baseline(next(it_b)), len(args))
        ours = latencies(lambda: search(session, next(it_o), limit=20), len(terms))
    b95, o95 = p95(base) * 1000, p95(ours) * 1000
    return Measurement(
        "search (articles + records, snippets)", backend, "raw full-text query, articles only",
        b95, o95, "ms p95", ratio(o95, b95), "p95 <= 50 ms",
        o95 <= 50 if ctx.scale == "large" else None,
        f"{len(terms)} queries (words, word pairs, actor names); target applies at large",
    )  # fmt: skip


def run(ctx: Context) -> list[Measurement]:
    out: list[Measurement] = []
    for backend in ctx.backends:
        url = ctx.db_urls[backend]
        for step in ("timeline", "search"):
            try:
                if step == "timeline":
                    out += _timeline(ctx, backend, url)
                else:
                    out.append(_search(ctx, backend, url))
            except Exception as exc:
                out.append(
                    Measurement.failure(f"query {step}", f"{type(exc).__name__}: {exc}", backend)
                )
    return out
