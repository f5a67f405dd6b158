"""Ingest: the whole pipeline against bare feedparser, and peak memory for a big ingest.

1. Throughput. The same files (the real-world feeds in TRACKER_CORPUS_DIR plus generated
   RSS/Atom files) through `feedparser.parse` alone (the baseline), then through
   `ingest_paths` into a database holding only the generated gazetteer: read, hash, parse,
   normalize (HTML → text, dates, identities), store, link to actors, one transaction per
   feed. Target: >= 0.7x the baseline's entries/s.
2. Memory. `tracker ingest FOLDER` in a fresh process over 100k entries (at medium and
   large scale; fewer at tiny/small, and then there is no pass/fail), peak RSS from the
   child's rusage. Target: <= 250 MB.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

from bench import generate
from bench.harness import Context, Measurement, ratio, run_measured

TARGET_RATIO = 0.7
TARGET_MB = 250.0
FULL_MEMORY_ENTRIES = 100_000
# small is a smoke run (the whole suite in under two minutes): fewer entries, the same steps
THROUGHPUT_ENTRIES = {"tiny": 2_000, "small": 5_000, "medium": 20_000, "large": 20_000}
MEMORY_ENTRIES = {"tiny": 2_000, "small": 3_000, "medium": 100_000, "large": 100_000}
ROUNDS = {"tiny": 2, "small": 2}  # best of this many (3 at medium and large)
# tables an ingest writes, children first: emptied between rounds (the gazetteer stays)
INGEST_TABLES = (
    "mentions", "article_actors", "link_judgements", "record_suggestions", "ingest_reports",
    "ingest_runs", "articles", "stories", "feeds",
)  # fmt: skip


def _bare_parse(blobs: list[bytes]) -> tuple[float, int]:
    import feedparser

    t0 = time.perf_counter()
    entries = 0
    for data in blobs:
        entries += len(feedparser.parse(io.BytesIO(data)).entries)
    return time.perf_counter() - t0, entries


def _add_gazetteer(ctx: Context, engine) -> int:  # type: ignore[no-untyped-def]
    """The generated actors and aliases (as in the benchmark databases), so that linking in
    the pipeline matches against a realistic gazetteer. Returns the number of aliases."""
    from sqlalchemy import insert

    from tracker.dates import utcnow
    from tracker.linking.normalize import normalize
    from tracker.models import Actor, ActorAlias

    now = utcnow()
    actors, aliases = [], []
    for a in generate.gazetteer(ctx):
        actors.append({"id": a.index + 1, "slug": a.slug, "name": a.name, "kind": a.kind,
                       "country": a.country, "created_at": now, "updated_at": now})  # fmt: skip
        seen: set[str] = set()
        for alias in a.aliases:
            norm = normalize(alias)
            if norm and norm not in seen:
                seen.add(norm)
                aliases.append({"actor_id": a.index + 1, "alias": alias, "normalized": norm,
                                "origin": "curated"})  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(Actor.__table__), actors)
        conn.execute(insert(ActorAlias.__table__), aliases)
    return len(aliases)


def _database(ctx: Context, backend: str) -> str:
    """An empty database holding the generated gazetteer (built once per backend)."""
    from tracker import db

    url = generate.empty_database(ctx, backend, "ingest")
    engine = db.make_engine(url, cache=False)
    _add_gazetteer(ctx, engine)
    engine.dispose()
    return url


def _reset(engine) -> None:  # type: ignore[no-untyped-def]
    """Empty what the previous round wrote, so each round ingests into the same state
    (TRUNCATE on PostgreSQL: fresh heaps and indexes, no dead rows left behind)."""
    from sqlalchemy import inspect, text

    present = [t for t in INGEST_TABLES if t in set(inspect(engine).get_table_names())]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(present)} RESTART IDENTITY CASCADE"))
        else:
            for table in present:
                conn.execute(text(f"DELETE FROM {table}"))


def _pipeline(url: str, files: list[Path]) -> tuple[float, int]:
    from tracker import db
    from tracker.ingest.run import ingest_paths
    from tracker.linking.api import link_articles
    from tracker.linking.gazetteer import load_gazetteer

    engine = db.make_engine(url, cache=False)
    try:
        _reset(engine)
        # the gazetteer is built once per process and engine (a long-running `ingest --loop`
        # keeps it): build it outside the timing, as a warm ingest finds it
        with db.session_scope(engine) as session:
            load_gazetteer(session)
            link_articles(session, [])
        t0 = time.perf_counter()
        report = ingest_paths(engine, files)
        elapsed = time.perf_counter() - t0
    finally:
        engine.dispose()
    if report.errors:
        raise RuntimeError(f"{report.errors} feeds failed in the benchmark ingest")
    if not sum(f.links for f in report.feeds):
        raise RuntimeError("the benchmark ingest linked nothing: is linking in the pipeline?")
    return elapsed, report.new


def _throughput(ctx: Context) -> list[Measurement]:
    n = THROUGHPUT_ENTRIES[ctx.scale]
    files = generate.real_feed_files(ctx) + generate.feed_files(ctx, n)
    blobs = [p.read_bytes() for p in files]
    # Interleaved, best of three each: the machines are shared, and a burst of load from
    # elsewhere should not land on one side only.
    bare = float("inf")
    best: dict[str, float] = {}
    stored: dict[str, int] = {}
    urls = {backend: _database(ctx, backend) for backend in ctx.backends}
    entries = 0
    rounds = ROUNDS.get(ctx.scale, 3)
    for i in range(rounds):
        ctx.log(f"ingest: round {i + 1}/{rounds}: {len(files)} files, bare feedparser.parse")
        t, entries = _bare_parse(blobs)
        bare = min(bare, t)
        for backend in ctx.backends:
            ctx.log(f"ingest: round {i + 1}/{rounds}: pipeline on {backend}")
            t, stored[backend] = _pipeline(urls[backend], files)
            best[backend] = min(best.get(backend, float("inf")), t)
    out = []
    for backend in ctx.backends:
        ours_rate = entries / best[backend]
        bare_rate = entries / bare
        r = ratio(ours_rate, bare_rate)
        out.append(
            Measurement(
                what="ingest pipeline (parse + store + link)",
                backend=backend,
                baseline_label="bare feedparser.parse, same files",
                baseline=round(bare_rate, 1),
                ours=round(ours_rate, 1),
                unit="entries/s",
                ratio=round(r, 3) if r is not None else None,
                target=f">= {TARGET_RATIO}x",
                passed=r is not None and r >= TARGET_RATIO,
                notes=(
                    f"{len(files)} files ({len(generate.real_feed_files(ctx))} real), "
                    f"{entries} entries parsed, {stored[backend]} stored (duplicates within a feed "
                    f"count once); {ctx.actors:,}-actor gazetteer; best of {rounds}, interleaved"
                ),
            )
        )
    return out


_CHILD = """
import sys
from tracker import db
from tracker.ingest.run import Options, ingest_paths
engine = db.make_engine(sys.argv[1], cache=False)
# jobs=1: all the work in this one process, so its peak RSS is the whole footprint
report = ingest_paths(engine, [sys.argv[2]], options=Options(jobs=1))
sys.exit(0 if report.new >= int(sys.argv[3]) and not report.errors else 1)
"""


def _memory(ctx: Context) -> list[Measurement]:
    n = MEMORY_ENTRIES[ctx.scale]
    files = generate.feed_files(ctx, n)
    folder = files[0].parent
    out = []
    for backend in ctx.backends:
        url = generate.empty_database(ctx, backend, "ingest_mem")
        from tracker import db

        engine = db.make_engine(url, cache=False)
        _add_gazetteer(ctx, engine)
        engine.dispose()
        ctx.log(f"ingest: {n} entries in a fresh process on {backend}")
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
        wall, peak, code = run_measured(
            [sys.executable, "-c", _CHILD, url, str(folder), str(n)], env
        )
        if code != 0:
            raise RuntimeError(f"the ingest child process exited with {code}")
        full = n >= FULL_MEMORY_ENTRIES
        out.append(
            Measurement(
                what=f"ingest peak memory, {n:,} entries",
                backend=backend,
                baseline_label="-",
                baseline=None,
                ours=round(peak, 1),
                unit="MB",
                ratio=None,
                target=f"<= {TARGET_MB:g} MB at 100k entries",
                passed=(peak <= TARGET_MB) if full else None,
                notes=(
                    f"{len(files)} files, {wall:.1f} s, parse + store + link in one process "
                    f"({ctx.actors:,}-actor gazetteer)"
                    + ("" if full else f"; {n:,} entries at this scale (100k at medium/large)")
                ),
            )
        )
    return out


def run(ctx: Context) -> list[Measurement]:
    return _throughput(ctx) + _memory(ctx)
