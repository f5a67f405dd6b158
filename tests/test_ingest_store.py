"""Storing and re-storing: exactly once, updates in place, nothing new on a re-run,
one transaction per feed, the SQLite ingest lock, due-feed selection."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.config import feeds_dir
from tracker.db import session_scope
from tracker.errors import LockedError, UsageError
from tracker.ingest import pull as run_mod
from tracker.ingest.lock import ingest_lock
from tracker.ingest.run import Options, ingest_due, ingest_paths
from tracker.ingest.sources import add_feed
from tracker.models.feeds import Article, Feed, IngestReport, IngestRun
from tracker.render.feeds import run_table

FIX = Path(__file__).parent / "fixtures" / "ingest"
SAMPLES = feeds_dir() / "samples"
T0 = datetime(2026, 6, 25, 12, 0, 0)

ITEM = """<item><title>{title}</title><guid>{guid}</guid><link>https://x.example/{guid}</link>
<pubDate>Wed, 10 Jun 2026 12:00:00 GMT</pubDate><description>{body}</description></item>"""


def write_feed(path: Path, items: list[tuple[str, str, str]]) -> Path:
    body = "".join(ITEM.format(guid=g, title=t, body=b) for g, t, b in items)
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'
    )
    return path


def snapshot(engine) -> list[tuple]:
    with Session(engine) as s:
        rows = s.execute(select(Article).order_by(Article.id)).scalars().all()
        return [
            (
                a.id,
                a.feed_id,
                a.identity,
                a.title,
                a.content_hash,
                a.first_seen_at,
                a.last_updated_at,
            )
            for a in rows
        ]


def count(engine, model) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_samples_ingest_once_and_rerun_writes_nothing_new(engine):
    first = ingest_paths(engine, [SAMPLES], now=T0)
    assert first.status == "ok" and first.exit_code == 0
    assert first.new == 15 and first.errors == 0
    before = snapshot(engine)
    assert len(before) == 15

    again = ingest_paths(engine, [SAMPLES], now=T0 + timedelta(hours=1))
    assert [f.status for f in again.feeds] == ["not_modified"] * 3
    assert (again.new, again.updated) == (0, 0)
    assert snapshot(engine) == before
    assert count(engine, Feed) == 3
    assert count(engine, IngestRun) == 2 and count(engine, IngestReport) == 6


def test_same_items_in_a_changed_document_are_unchanged(engine, tmp_path):
    path = write_feed(tmp_path / "f.xml", [("a", "A", "one"), ("b", "B", "two")])
    ingest_paths(engine, [path], now=T0)
    before = snapshot(engine)
    # a new document (different bytes: reordered) with the same items stores nothing
    write_feed(path, [("b", "B", "two"), ("a", "A", "one")])
    report = ingest_paths(engine, [path], now=T0 + timedelta(hours=1))
    (fr,) = report.feeds
    assert (fr.status, fr.new, fr.updated, fr.unchanged) == ("ok", 0, 0, 2)
    assert snapshot(engine) == before


def test_updated_item_keeps_first_seen_and_sets_last_updated(engine, tmp_path):
    path = write_feed(tmp_path / "f.xml", [("a", "A", "one"), ("b", "B", "two")])
    ingest_paths(engine, [path], now=T0)
    write_feed(path, [("a", "A (corrected)", "one, revised"), ("b", "B", "two"), ("c", "C", "3")])
    later = T0 + timedelta(hours=2)
    (fr,) = ingest_paths(engine, [path], now=later).feeds
    assert (fr.new, fr.updated, fr.unchanged) == (1, 1, 1)
    with Session(engine) as s:
        a = s.scalars(select(Article).where(Article.guid == "a")).one()
        c = s.scalars(select(Article).where(Article.guid == "c")).one()
    assert a.title == "A (corrected)" and a.summary_text == "one, revised"
    assert a.first_seen_at == T0 and a.last_updated_at == later
    assert c.first_seen_at == later and c.last_updated_at is None
    assert count(engine, Article) == 3


def test_unique_constraint_makes_duplicates_impossible(engine):
    with session_scope(engine) as s:
        feed = Feed(url="https://dup.example/feed")
        s.add(feed)
        s.flush()
        fid = feed.id
        s.add(Article(feed_id=fid, identity="x" * 64, content_hash="h"))
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(Article(feed_id=fid, identity="x" * 64, content_hash="h2"))
    assert count(engine, Article) == 1


def test_one_transaction_per_feed(engine, tmp_path, monkeypatch):
    good = write_feed(tmp_path / "a.xml", [("a1", "A1", "x"), ("a2", "A2", "y")])
    bad = write_feed(tmp_path / "b.xml", [("b1", "B1", "x")])
    real = run_mod.store_items

    def failing(session, feed_id, items, *, now):
        result = real(session, feed_id, items, now=now)  # writes, then dies mid-transaction
        if any(i.guid == "b1" for i in items):
            raise RuntimeError("disk on fire")
        return result

    monkeypatch.setattr(run_mod, "store_items", failing)
    report = ingest_paths(engine, [good, bad], now=T0)
    assert [f.status for f in report.feeds] == ["ok", "error"]
    assert "disk on fire" in report.feeds[1].error and report.exit_code == 1
    with Session(engine) as s:
        assert sorted(s.scalars(select(Article.guid))) == ["a1", "a2"]  # b1 rolled back
        feed_b = s.scalars(select(Feed).where(Feed.url == bad.resolve().as_uri())).one()
        assert feed_b.consecutive_failures == 1 and feed_b.body_hash is None
    monkeypatch.setattr(run_mod, "store_items", real)
    report = ingest_paths(engine, [good, bad], now=T0 + timedelta(hours=1))
    assert [(f.status, f.new) for f in report.feeds] == [("not_modified", 0), ("ok", 1)]


def test_ingest_due_pulls_only_due_feeds(engine, tmp_path):
    paths = [write_feed(tmp_path / f"{n}.xml", [(n, n.upper(), n)]) for n in "abc"]
    with session_scope(engine) as s:
        for p in paths:
            add_feed(s, str(p))
    first = ingest_due(engine, now=T0, limit=2)
    assert len(first.feeds) == 2
    second = ingest_due(engine, now=T0)
    assert len(second.feeds) == 1  # the other two are not due yet
    assert ingest_due(engine, now=T0).feeds == ()
    later = ingest_due(engine, now=T0 + timedelta(days=2))
    assert len(later.feeds) == 3 and later.new == 0
    with Session(engine) as s:
        assert all(f.lease_owner is None for f in s.scalars(select(Feed)))


def test_removed_feed_is_not_pulled_but_keeps_articles(engine, tmp_path):
    from tracker.ingest.sources import remove_feed

    path = write_feed(tmp_path / "a.xml", [("a", "A", "x")])
    with session_scope(engine) as s:
        add_feed(s, str(path))
    ingest_due(engine, now=T0)
    with session_scope(engine) as s:
        remove_feed(s, str(path))
    assert ingest_due(engine, now=T0 + timedelta(days=3)).feeds == ()
    assert count(engine, Article) == 1
    with session_scope(engine) as s:
        remove_feed(s, str(path), purge=True)
    assert count(engine, Article) == 0 and count(engine, Feed) == 0


def test_missing_source_is_a_usage_error(engine, tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        ingest_paths(engine, [tmp_path / "nope.xml"])
    assert count(engine, Feed) == 0 and count(engine, IngestRun) == 0


def test_sqlite_lock_one_ingest_at_a_time(engine, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL workers coordinate per feed, not with a global lock")
    with ingest_lock(engine):
        with pytest.raises(LockedError, match="another ingest is running") as info:
            ingest_paths(engine, [SAMPLES], now=T0)
        assert info.value.exit_code == 3
        done: list[int] = []

        def waiter() -> None:
            report = ingest_paths(engine, [SAMPLES], now=T0, options=Options(wait=True))
            done.append(report.new)

        thread = threading.Thread(target=waiter)
        thread.start()
        time.sleep(0.5)
        assert not done  # still waiting for the lock
    thread.join(20)
    assert done == [15]


def test_hostile_feed_renders_literally(engine):
    report = ingest_paths(engine, [FIX / "hostile.xml"], now=T0)
    (fr,) = report.feeds
    assert fr.status == "ok" and fr.new == 3
    out = StringIO()
    Console(file=out, width=100, color_system=None).print(run_table(report))
    text = out.getvalue()
    assert "Hostile [bold red]Feed[/] red" in text
    assert "\x1b" not in text
    with Session(engine) as s:
        titles = sorted(s.scalars(select(Article.title)))
    assert titles[0] == "Neither guid nor link"
    assert "[link=https://evil.example]click[/link] bold osc ok" in titles


def test_worker_processes_store_the_same_as_in_process(engine, tmp_path):
    from tracker import db

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(12):
        write_feed(
            folder / f"f{n:02d}.xml", [(f"{n}-{i}", f"T{n}-{i}", f"body {i}") for i in range(5)]
        )
    (folder / "zz-broken.xml").write_bytes((FIX / "not-a-feed.html").read_bytes())
    parallel = ingest_paths(engine, [folder], now=T0, options=Options(jobs=2))
    other = db.make_engine(f"sqlite:///{tmp_path / 'serial.db'}", cache=False)
    db.upgrade(other)
    serial = ingest_paths(other, [folder], now=T0, options=Options(jobs=1))

    def rows(eng):
        with Session(eng) as s:
            return sorted(
                s.execute(select(Article.identity, Article.title, Article.summary_text)).all()
            )

    assert [(f.url, f.status, f.new) for f in parallel.feeds] == [
        (f.url, f.status, f.new) for f in serial.feeds
    ]
    assert parallel.new == 60 and parallel.errors == 1
    assert rows(engine) == rows(other)
    other.dispose()
