"""Records: name lookup (what `timeline --actor`, `watch add` and `show` call first), claim
resolution, and building the demo knowledge base.

Targets: an exact name/alias lookup must leave room inside the 30 ms `timeline --actor`
budget (p95 <= 10 ms; the raw SQL alias query is the baseline, the difference is ORM and
survivor resolution); a typo'd name (fuzzy over every actor and alias) and claim resolution
are reported without a target; the demo builds in <= 5 s and rebuilding it (nothing to
change) costs no more than building it.
"""

from __future__ import annotations

import contextlib
import random

from bench import generate
from bench.harness import Context, Measurement, latencies, median, p95, ratio, timed


def _session(url: str):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import Session

    from tracker.db import make_engine

    return Session(make_engine(url, cache=False))


def _lookups(ctx: Context, backend: str, url: str) -> list[Measurement]:
    from sqlalchemy import select, text

    from tracker.models import ActorAlias
    from tracker.records.lookup import find_actor, normalize_name

    actors = generate.gazetteer(ctx)
    rng = random.Random(ctx.seed)
    picks = [rng.choice(actors) for _ in range(200)]
    names = [rng.choice(a.aliases) for a in picks]
    n = 40 if ctx.scale == "tiny" else 60
    out: list[Measurement] = []
    with _session(url) as session:
        session.execute(select(ActorAlias.id).limit(1)).all()  # warm the connection
        it = iter(names * 10)
        sql = text("SELECT actor_id FROM actor_aliases WHERE normalized = :n")
        base = latencies(lambda: session.execute(sql, {"n": normalize_name(next(it))}).all(), n)
        it2 = iter(names * 10)

        def exact() -> None:
            with contextlib.suppress(Exception):
                find_actor(session, next(it2))

        for _ in range(5):  # warm up (first-use imports, statement caches)
            exact()
        ours = latencies(exact, n)
        b95, o95 = p95(base) * 1000, p95(ours) * 1000
        out.append(
            Measurement(
                "find_actor, exact alias", backend, "SQL alias lookup", b95, o95, "ms p95",
                ratio(o95, b95), "p95 <= 10 ms", o95 <= 10,
                f"{len(actors)} actors",
            )
        )  # fmt: skip
        typos = iter([a.name[:-1] + "x" for a in picks] * 10)

        def fuzzy() -> None:
            with contextlib.suppress(Exception):
                find_actor(session, next(typos))

        fz = latencies(fuzzy, 5 if ctx.scale == "tiny" else 8)
        out.append(
            Measurement(
                "find_actor, typo (fuzzy)", backend, "SQL alias lookup", b95, p95(fz) * 1000,
                "ms p95", ratio(p95(fz) * 1000, b95), "-", None, "scores every actor and alias",
            )
        )  # fmt: skip
    return out


def _resolution(ctx: Context, backend: str, url: str) -> Measurement:
    from sqlalchemy import select, text

    from tracker.models import Record
    from tracker.records.claims import resolve_fields

    with _session(url) as session:
        ids = list(session.scalars(select(Record.id).order_by(Record.id).limit(1000)))
        sql = text(
            "SELECT c.*, s.title FROM claims c JOIN sources s ON s.id = c.source_id "
            "WHERE c.record_id IN (" + ",".join(str(i) for i in ids or [0]) + ")"
        )
        base = median([timed(lambda: session.execute(sql).all()) for _ in range(3)])
        ours = median([timed(lambda: resolve_fields(session, ids)) for _ in range(3)])
    return Measurement(
        "resolve_fields, 1,000 records", backend, "SQL fetch of their claims", base * 1000,
        ours * 1000, "ms", ratio(ours, base), "-", None,
    )  # fmt: skip


def _demo(ctx: Context, backend: str) -> list[Measurement]:
    from tracker.db import make_engine, session_scope
    from tracker.records.demo import build_demo

    url = generate.empty_database(ctx, backend, "records_demo")
    engine = make_engine(url, cache=False)
    try:
        with session_scope(engine) as s:
            first = timed(lambda: build_demo(s))
        with session_scope(engine) as s:
            again = timed(lambda: build_demo(s))
    finally:
        engine.dispose()
    return [
        Measurement("demo KB build", backend, "-", None, first, "s", None, "<= 5 s", first <= 5),
        Measurement(
            "demo KB rebuild (no changes)",
            backend,
            "first build",
            first,
            again,
            "s",
            ratio(again, first),
            "<= 1x",
            again <= first,
        ),
    ]


def run(ctx: Context) -> list[Measurement]:
    out: list[Measurement] = []
    for backend in ctx.backends:
        url = ctx.db_urls[backend]
        for step in ("lookups", "resolution", "demo"):
            try:
                if step == "lookups":
                    out += _lookups(ctx, backend, url)
                elif step == "resolution":
                    out.append(_resolution(ctx, backend, url))
                else:
                    out += _demo(ctx, backend)
            except Exception as exc:
                out.append(
                    Measurement.failure(f"records {step}", f"{type(exc).__name__}: {exc}", backend)
                )
    return out
