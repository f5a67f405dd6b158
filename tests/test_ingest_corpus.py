"""Every file of the shared feed corpora is processed without a crash: each either ingests
or records an error (parse level for all files, and one database run over all of them)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.errors import ParseError
from tracker.ingest.parse import parse_feed
from tracker.ingest.run import ingest_paths
from tracker.models.feeds import Article, Feed, IngestReport


def corpus_files(corpus_dir):
    folders = [corpus_dir / "feedparser-corpus", corpus_dir / "real-feeds"]
    return sorted(p for f in folders for p in f.rglob("*") if p.is_file())


def test_every_corpus_file_parses_or_raises_parse_error(corpus_dir):
    files = corpus_files(corpus_dir)
    assert len(files) >= 2167
    outcome: Counter[str] = Counter()
    for path in files:
        try:
            feed = parse_feed(path.read_bytes(), url=path.as_uri())
        except ParseError as exc:
            assert str(exc).startswith("no entries"), (path, exc)
            outcome["error"] += 1
            continue
        outcome["ok"] += 1
        for item in feed.items:
            assert len(item.identity) == 64 and item.content_hash
            assert item.published_precision in (None, "time", "day", "month", "year")
    assert outcome["ok"] > 1800 and outcome["error"] < 300, outcome


def test_real_feeds_all_ingest(corpus_dir):
    files = sorted((corpus_dir / "real-feeds").iterdir())
    feeds = [parse_feed(p.read_bytes(), url=p.as_uri()) for p in files]
    assert all(f.items for f in feeds)
    burr = next(
        f for p, f in zip(files, feeds, strict=True) if p.name.startswith("burr.senate.gov")
    )
    # relative item links stay as given for a file source; dates with "EST" become UTC
    assert all(i.published_at is not None for i in burr.items)


def test_whole_corpus_in_one_database_run(engine, corpus_dir):
    files = corpus_files(corpus_dir)
    report = ingest_paths(engine, [corpus_dir / "feedparser-corpus", corpus_dir / "real-feeds"])
    assert len(report.feeds) == len(files)
    statuses = Counter(f.status for f in report.feeds)
    assert set(statuses) <= {"ok", "error"}
    assert statuses["ok"] > 1800
    for f in report.feeds:
        if f.status == "error":
            assert f.error and f.error.startswith("no entries"), f
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Feed)) == len(files)
        assert s.scalar(select(func.count()).select_from(IngestReport)) == len(files)
        stored = s.scalar(select(func.count()).select_from(Article))
        failing = s.scalar(
            select(func.count()).select_from(Feed).where(Feed.consecutive_failures > 0)
        )
    assert stored == report.new > 2000
    assert failing == statuses["error"]
    # the real feeds again: nothing new, nothing updated, nothing even parsed
    again = ingest_paths(engine, [corpus_dir / "real-feeds"])
    assert {f.status for f in again.feeds} == {"not_modified"}
    assert (again.new, again.updated) == (0, 0)
