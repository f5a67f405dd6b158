"""Official data: importing every BILLSTATUS file of the shared corpus.

Target (issue 7): the whole import (`import_paths(engine, "billstatus", files)`: parse both
schemas, resolve people and references, write, one transaction per file) takes <= 2x the
sum of two baselines measured in the same run:

- a bare `xml.etree.ElementTree.parse` of the same files, and
- the database writes alone: the very rows the import produced, copied into an empty
  database with plain executemany inserts (no parsing, no lookups, no ORM).

Also reported without a target: re-importing the same files (nothing changes), and
the designation list (397 rows) with the actor matching it needs.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from pathlib import Path

from bench import generate
from bench.harness import Context, Measurement, ratio

TARGET = 2.0
# Parents before children, so plain inserts satisfy the foreign keys.
TABLES = (
    "actors",
    "actor_external_ids",
    "actor_aliases",
    "sources",
    "records",
    "measures",
    "record_actors",
    "record_sources",
    "measure_actions",
    "measure_titles",
    "measure_committees",
    "recorded_votes",
    "related_measures",
    "measure_laws",
    "official_imports",
)


def _files(ctx: Context) -> list[Path]:
    assert ctx.corpus_dir is not None
    return sorted((ctx.corpus_dir / "legislation" / "billstatus").rglob("*.xml"))


def _bare_parse(files: list[Path]) -> float:
    t0 = time.perf_counter()
    for f in files:
        ET.parse(f)
    return time.perf_counter() - t0


def _import(ctx: Context, backend: str, files: list[Path], name: str) -> tuple[float, float, str]:
    """(first import, re-import) seconds into a fresh database; returns its URL too."""
    from tracker import db
    from tracker.legislation.importer import import_paths

    url = generate.empty_database(ctx, backend, name)
    engine = db.make_engine(url, cache=False)
    try:
        t0 = time.perf_counter()
        reports = import_paths(engine, "billstatus", files)
        first = time.perf_counter() - t0
        bad = [r.error for r in reports if not r.ok]
        if bad:
            raise RuntimeError(f"billstatus import failed: {bad[0]}")
        t0 = time.perf_counter()
        import_paths(engine, "billstatus", files)
        again = time.perf_counter() - t0
    finally:
        engine.dispose()
    return first, again, url


def _rows(url: str) -> dict[str, list[dict[str, object]]]:
    from sqlalchemy import MetaData, create_engine, select

    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine, only=TABLES)
    with engine.connect() as conn:
        out = {
            t: [
                dict(r._mapping)
                for r in conn.execute(select(meta.tables[t]).order_by(meta.tables[t].c.id))
            ]
            for t in TABLES
        }
    engine.dispose()
    return out


def _writes_alone(
    ctx: Context, backend: str, rows: dict[str, list[dict[str, object]]], name: str
) -> float:
    """The same rows, inserted with executemany into an empty database, one transaction."""
    from sqlalchemy import MetaData, create_engine

    from tracker.db import make_engine

    url = generate.empty_database(ctx, backend, name)
    engine = make_engine(url, cache=False) if backend == "sqlite" else create_engine(url)
    meta = MetaData()
    meta.reflect(engine, only=TABLES)
    try:
        t0 = time.perf_counter()
        with engine.begin() as conn:
            for t in TABLES:
                if rows[t]:
                    conn.execute(meta.tables[t].insert(), rows[t])
        return time.perf_counter() - t0
    finally:
        engine.dispose()


def _designations(ctx: Context, backend: str) -> Measurement:
    from tracker import db
    from tracker.db import session_scope
    from tracker.legislation.designations import import_designations

    assert ctx.corpus_dir is not None
    path = (
        ctx.corpus_dir / "legislation" / "designations" / "us_dod_chinese_milcorps__sanctions.csv"
    )
    url = generate.empty_database(ctx, backend, "legislation_designations")
    engine = db.make_engine(url, cache=False)
    try:
        t0 = time.perf_counter()
        with session_scope(engine) as s:
            rep = import_designations(s, path)
        took = time.perf_counter() - t0
    finally:
        engine.dispose()
    return Measurement(
        "designation list import",
        backend,
        "-",
        None,
        round(rep.count("listings") / took, 1),
        "rows/s",
        None,
        "-",
        None,
        f"{rep.count('listings')} rows, {rep.count('actors added')} companies matched or added",
    )


def run(ctx: Context) -> list[Measurement]:
    if ctx.corpus_dir is None:
        return [Measurement.failure("billstatus import", "needs TRACKER_CORPUS_DIR (shared/data)")]
    files = _files(ctx)
    out: list[Measurement] = []
    for backend in ctx.backends:
        parse = float("inf")
        first = again = writes = float("inf")
        for i in range(3):  # best of three, interleaved: the machine is shared
            ctx.log(f"legislation: round {i + 1}/3 on {backend}: parse, import, writes alone")
            parse = min(parse, _bare_parse(files))
            f, a, url = _import(ctx, backend, files, f"legislation_import_{i}")
            first, again = min(first, f), min(again, a)
            writes = min(writes, _writes_alone(ctx, backend, _rows(url), f"legislation_rows_{i}"))
        base = parse + writes
        r = ratio(first, base)
        out.append(
            Measurement(
                "billstatus import (all files)",
                backend,
                "ET.parse + the same rows inserted alone",
                round(base, 3),
                round(first, 3),
                "s",
                round(r, 3) if r is not None else None,
                f"<= {TARGET}x",
                r is not None and r <= TARGET,
                f"{len(files)} files; parse {parse:.3f}s + writes {writes:.3f}s; best of 3",
            )
        )
        out.append(
            Measurement(
                "billstatus re-import (unchanged)",
                backend,
                "first import",
                round(first, 3),
                round(again, 3),
                "s",
                round(ratio(again, first) or 0, 3),
                "-",
                None,
                "digests match: nothing rewritten",
            )
        )
        out.append(_designations(ctx, backend))
    return out
