"""The benchmark suite's own plumbing: the generator is deterministic and loads on both
backends, feed files parse, and the runner reports results and failures (no speed checks)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from bench import dbcache, generate, runner
from bench.harness import Context, Measurement

REPO = Path(__file__).resolve().parent.parent


def tiny(tmp_path: Path, seed: int = 7) -> Context:
    ctx = Context(scale="tiny", seed=seed, cache_dir=tmp_path / "cache", verbose=False)
    return ctx.with_servers({"sqlite": ""})


def test_same_seed_same_data_across_processes(tmp_path):
    here = generate.dataset_hash(tiny(tmp_path))
    # Another interpreter with a different string-hash seed must generate the same rows.
    code = (
        "from pathlib import Path; from bench import generate; from bench.harness import Context;"
        f"print(generate.dataset_hash(Context(scale='tiny', seed=7, cache_dir=Path({str(tmp_path)!r}))))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == here
    assert generate.dataset_hash(tiny(tmp_path, seed=8)) != here


def test_gazetteer_and_texts(tmp_path):
    ctx = tiny(tmp_path)
    actors = generate.gazetteer(ctx)
    assert len(actors) == ctx.actors
    assert sum(len(a.aliases) for a in actors) >= 4 * len(actors)
    assert len({a.slug for a in actors}) == len(actors)
    popular = generate.popular_actors(ctx)
    assert sorted(a.index for a in popular) == list(range(len(actors)))
    texts = generate.article_texts(ctx, 60)
    assert all(80 <= len(t.summary.split()) <= 160 for t in texts)
    docs = [set(t.text.lower().replace(".", " ").split()) for t in texts]
    terms = generate.search_terms(ctx)
    assert sum(terms["common"][0] in d for d in docs) > len(docs) / 2
    assert not any(w in d for w in terms["absent"] for d in docs)
    for t in texts:
        for m in t.mentions:
            assert t.text[m.start : m.start + len(m.alias)] == m.alias
            assert m.alias in actors[m.actor].aliases


def test_full_scale_gazetteer_has_40k_aliases_and_the_legislators(tmp_path, corpus_dir):
    ctx = Context(scale="small", cache_dir=tmp_path, corpus_dir=corpus_dir)
    actors = generate.gazetteer(ctx)
    assert len(actors) == 10_000
    assert sum(len(a.aliases) for a in actors) >= 40_000
    text = (corpus_dir / generate.LEGISLATORS).read_text(encoding="utf-8")
    in_file = set(re.findall(r"^\s+bioguide: (\S+)$", text, re.MULTILINE))
    assert len(in_file) > 500
    assert {a.bioguide for a in actors if a.bioguide} == in_file


def test_feed_files_parse_with_every_entry(tmp_path):
    import feedparser

    ctx = tiny(tmp_path)
    files = generate.feed_files(ctx, 130, per_file=50)
    assert [f.name.split(".")[1] for f in files] == ["rss", "rss", "atom"]
    parsed = [feedparser.parse(str(f)) for f in files]
    assert [len(p.entries) for p in parsed] == [50, 50, 30]
    assert not any(p.bozo for p in parsed)
    assert parsed[2].version == "atom10"
    # Cached: asking again returns the same files without rewriting them.
    before = [f.stat().st_mtime_ns for f in files]
    assert generate.feed_files(ctx, 130, per_file=50) == files
    assert [f.stat().st_mtime_ns for f in files] == before


def test_generated_rows_load_and_read_back(db_url, tmp_path):
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from tracker import db
    from tracker.models import Actor, Event
    from tracker.models.feeds import Article
    from tracker.models.links import ArticleActor

    ctx = tiny(tmp_path)
    counts = generate.load_into(ctx, db_url)
    assert counts["articles"] == 1_000 and counts["events"] == 100
    engine = db.make_engine(db_url, cache=False)
    try:
        with Session(engine) as s:
            assert s.scalar(select(func.count()).select_from(Article)) == 1_000
            links = s.scalar(select(func.count()).select_from(ArticleActor))
            assert links == counts["article_actors"] >= 1_000
            first = s.get(Actor, 1)
            assert first is not None and first.aliases
            assert s.scalar(select(func.count()).select_from(Event)) == 100
            # Ids continue after the explicit ones (PostgreSQL sequences were moved on).
            s.add(Actor(slug="after-load", name="After Load", kind="person"))
            s.flush()
            assert s.scalar(select(Actor.id).where(Actor.slug == "after-load")) > ctx.actors
            s.rollback()
    finally:
        engine.dispose()


def test_sqlite_database_is_cached(tmp_path):
    ctx = tiny(tmp_path)
    url = generate.database(ctx, "sqlite")
    path = Path(url.removeprefix("sqlite:///"))
    stamp = path.stat().st_mtime_ns
    assert generate.database(tiny(tmp_path), "sqlite") == url
    assert path.stat().st_mtime_ns == stamp
    assert dbcache.read_key_sqlite(path) == generate.cache_key(ctx)


def test_refuses_to_overwrite_a_foreign_sqlite_file(tmp_path):
    import sqlite3

    from tracker.errors import UsageError

    precious = tmp_path / "mine.db"
    sqlite3.connect(precious).execute("CREATE TABLE notes (x)").connection.close()
    ctx = tiny(tmp_path).with_servers({"sqlite": f"sqlite:///{precious}"})
    with pytest.raises(UsageError, match="not a benchmark database"):
        generate.database(ctx, "sqlite")


def _rows() -> list[Measurement]:
    return [
        Measurement(
            "linking",
            "sqlite",
            "naive rapidfuzz",
            100.0,
            6000.0,
            "articles/s",
            60.0,
            ">= 5000",
            True,
        ),
        Measurement(
            "search", "postgresql", "raw FTS", 10.0, 80.0, "ms p95", 8.0, "<= 50 ms", False
        ),
    ]


def test_runner_reports_results_and_failures_as_rows(tmp_path):
    from rich.console import Console

    ctx = tiny(tmp_path)
    good = runner.run_callable("good", lambda _ctx: _rows(), ctx)
    boom = runner.run_callable("boom", lambda _ctx: 1 / 0, ctx)
    hostile = runner.run_callable(
        "hostile", lambda _ctx: (_ for _ in ()).throw(ValueError("[bold red]x[/] \x1b[31m")), ctx
    )
    wrong = runner.run_callable("wrong", lambda _ctx: {"not": "a list"}, ctx)
    report = runner.Report("tiny", 7, ["sqlite"], [good, boom, hostile, wrong])
    assert [m.status for m in report.rows] == ["pass", "FAIL", "error", "error", "error"]
    assert boom.error == "ZeroDivisionError: division by zero"
    assert "must return a list of Measurement" in wrong.error

    out = StringIO()
    Console(file=out, width=220, color_system=None).print(runner.table(report))
    text = out.getvalue()
    assert "[bold red]x[/]" in text  # shown literally, never interpreted as markup
    assert "\x1b" not in text
    assert "6,000 articles/s" in text and "60.00x" in text

    data = json.loads(runner.to_json(report))
    assert [r["status"] for r in data["results"]] == ["pass", "FAIL", "error", "error", "error"]
    assert data["results"][2]["ours"] is None  # NaN becomes null, the JSON stays valid
    assert [m["name"] for m in data["modules"]] == ["good", "boom", "hostile", "wrong"]
    again = runner.report_from_json(runner.to_json(report))
    assert [m.name for m in again.modules] == ["good", "boom", "hostile", "wrong"]
    assert [m.status for m in again.modules[0].measurements] == ["pass", "FAIL"]
    assert runner.markdown(again) == runner.markdown(report)
    md = runner.markdown(report)
    assert md.splitlines()[0].startswith("| what | backend | baseline")
    assert len([line for line in md.splitlines() if line.startswith("|")]) == 2 + 5
    assert "total" in md and "boom 0 s" in md


def test_missing_module_is_an_error_row(tmp_path):
    result = runner.run_in_process("does_not_exist", tiny(tmp_path))
    assert result.measurements[0].status == "error"
    assert "bench_does_not_exist.py" in result.error
    assert runner.select(["bench_ingest.py, query", "query"]) == ["ingest", "query"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--backend", "postgresql"], "needs --db postgresql"),
        (["--db", "mysql://x"], "not a sqlite:/// or postgresql URL"),
        (["--only", "nosuch"], "no benchmark named nosuch"),
    ],
)
def test_cli_usage_errors(args, message, capsys, monkeypatch):
    from bench.__main__ import main

    monkeypatch.delenv("TRACKER_BENCH_DATABASE_URL", raising=False)
    assert main(["--scale", "tiny", "-q", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_run_measured_reports_the_commands_own_peak_memory():
    from bench.harness import run_measured

    # Linux carries a process's peak RSS across exec: measured naively, a command started
    # from this (now big) process would report this process's size.
    ballast = bytearray(300 * 1024 * 1024)
    ballast[::4096] = b"\1" * len(ballast[::4096])
    wall, peak, code = run_measured([sys.executable, "-c", "x = bytearray(120 * 2**20)"])
    assert code == 0 and wall > 0
    assert 120 <= peak < 250
    assert run_measured([sys.executable, "-c", "raise SystemExit(3)"])[2] == 3
    del ballast
