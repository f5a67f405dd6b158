"""Crash safety: SIGKILL the ingest process at random points in repeated runs, then run
again: no item lost, none duplicated, the database intact. And several workers at once on
PostgreSQL: every feed pulled once, every item stored once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from tracker.db import session_scope
from tracker.ingest.sources import ensure_feeds, expand_sources
from tracker.models.feeds import Article, Feed, IngestReport, IngestRun

RUN_CLI = "import sys; from tracker.cli import main; sys.exit(main(sys.argv[1:]))"
ITEM = (
    "<item><title>Item {f}-{i}</title><guid>feed{f}-item{i}</guid>"
    "<link>https://crash.example/{f}/{i}</link><pubDate>Wed, 10 Jun 2026 12:{m:02d}:00 GMT</pubDate>"
    "<description>&lt;p&gt;Body of item {i} in feed {f}, with enough words to be a real summary "
    "of something that happened in Washington on a busy day.&lt;/p&gt;</description></item>"
)


def make_feeds(folder: Path, feeds: int, items: int) -> set[str]:
    folder.mkdir(parents=True, exist_ok=True)
    guids = set()
    for f in range(feeds):
        body = "".join(ITEM.format(f=f, i=i, m=i % 60) for i in range(items))
        (folder / f"feed{f:03d}.xml").write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>'
            f"{body}</channel></rss>"
        )
        guids.update(f"feed{f}-item{i}" for i in range(items))
    return guids


def cli(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    return subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def test_sigkill_mid_run_loses_and_duplicates_nothing(engine, db_url, tmp_path, backend):
    folder = tmp_path / "feeds"
    guids = make_feeds(folder, feeds=80, items=30)
    rng = random.Random(20260610)
    killed_mid_run = 0
    for _ in range(3):
        # Kill once a random number of feeds has been committed (plus a random delay, so the
        # kill can land anywhere inside the next feed's fetch, parse or transaction); timing
        # alone would miss on a fast or a slow machine.
        target = rng.randint(1, 60) * 30
        proc = cli("ingest", str(folder), "--db", db_url, "--quiet")
        deadline = time.monotonic() + 90
        while proc.poll() is None and time.monotonic() < deadline:
            with engine.connect() as conn:
                stored = conn.execute(select(func.count()).select_from(Article)).scalar_one()
            if stored >= target:
                time.sleep(rng.uniform(0, 0.05))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    killed_mid_run += 1
                break
            time.sleep(0.005)
        proc.communicate(timeout=60)
        with engine.connect() as conn:
            if conn.execute(select(func.count()).select_from(Article)).scalar_one() >= len(guids):
                break  # everything is stored: later runs could not be killed mid-run
    assert killed_mid_run >= 1, "no kill landed mid-run: make the run longer"

    # the killed runs' fetch/parse worker processes died with them
    time.sleep(1.5)
    leftovers = subprocess.run(
        ["pgrep", "-f", str(folder)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert leftovers == [], "worker processes outlived their killed parent"

    final = cli("ingest", str(folder), "--db", db_url, "--json")
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err.decode()
    report = json.loads(out)
    assert report["totals"]["errors"] == 0 and report["status"] == "ok"

    with Session(engine) as s:
        stored = list(s.scalars(select(Article.guid)))
        assert len(stored) == len(guids)  # none duplicated
        assert set(stored) == guids  # none lost
        assert s.scalar(select(func.count()).select_from(Feed)) == 80
        statuses = set(s.scalars(select(IngestRun.status)))
        # SQLite: the next run (holding the lock) marks killed runs interrupted; PostgreSQL
        # waits until a killed run has been silent for a lease (see test_dead_runs_marked)
        assert statuses <= {"ok", "interrupted", "running"}
        if backend == "sqlite":
            assert "running" not in statuses
        # every feed's item_count agrees with its stored articles
        counts = dict(
            s.execute(select(Article.feed_id, func.count()).group_by(Article.feed_id)).all()
        )
        for feed in s.scalars(select(Feed)):
            assert feed.item_count == counts.get(feed.id, 0) == 30
        if backend == "sqlite":
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert s.execute(text("PRAGMA foreign_key_check")).all() == []


def test_four_workers_on_postgresql(engine, db_url, tmp_path, backend):
    if backend != "postgresql":
        pytest.skip("concurrent workers are a PostgreSQL feature; SQLite runs one at a time")
    folder = tmp_path / "feeds"
    guids = make_feeds(folder, feeds=200, items=5)
    with session_scope(engine) as s:
        ensure_feeds(s, expand_sources([folder]))
    workers = [cli("ingest", "--db", db_url, "--worker", f"w{n}", "--json") for n in range(4)]
    reports = []
    for proc in workers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        reports.append(json.loads(out))
    pulled = [f["feed_id"] for r in reports for f in r["feeds"]]
    assert len(pulled) == len(set(pulled)) == 200  # every feed pulled, and only once
    assert sum(r["totals"]["new"] for r in reports) == 1000
    with Session(engine) as s:
        stored = list(s.scalars(select(Article.guid)))
        assert len(stored) == len(set(stored)) == 1000 and set(stored) == guids
        assert s.scalar(select(func.count()).select_from(IngestReport)) == 200
        assert s.scalar(select(func.count()).where(Feed.lease_owner.is_not(None))) == 0
        assert set(s.scalars(select(IngestRun.worker))) == {"w0", "w1", "w2", "w3"}


def test_dead_runs_are_marked_interrupted(engine, tmp_path):
    from datetime import timedelta

    from tracker.dates import utcnow
    from tracker.ingest.run import ingest_due

    now = utcnow()
    with session_scope(engine) as s:
        s.add(IngestRun(started_at=now - timedelta(hours=2), status="running", worker="dead"))
    ingest_due(engine, now=now)
    with Session(engine) as s:
        assert s.scalars(select(IngestRun.status).where(IngestRun.worker == "dead")).one() == (
            "interrupted"
        )
