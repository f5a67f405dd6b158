"""OPML: every real subscription list imports or fails cleanly (nothing half-imported), and
an export is valid OPML that re-imports to the same export."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.config import feeds_dir
from tracker.db import session_scope
from tracker.errors import ValidationError
from tracker.ingest.opml import export_opml, import_opml, parse_opml, read_opml
from tracker.models.feeds import Feed, FeedTag

FIX = Path(__file__).parent / "fixtures" / "ingest"
# Two of the Plenary lists are not XML at all (markup and broken quoting inside attribute
# values); the other five only carry raw "&" in attributes, which the importer repairs.
MALFORMED = {
    "plenary-awesome-rss__recommended-Business_and_Economy.opml",
    "plenary-awesome-rss__recommended-Tech.opml",
}


def feed_count(engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Feed))


def test_every_shared_opml_file_imports_or_fails_cleanly(engine, corpus_dir):
    files = sorted((corpus_dir / "opml").glob("*.opml"))
    assert len(files) == 8
    total = 0
    for path in files:
        before = feed_count(engine)
        if path.name in MALFORMED:
            with (
                pytest.raises(ValidationError, match="not valid OPML") as info,
                session_scope(engine) as s,
            ):
                import_opml(s, path)
            assert path.name in str(info.value) and "\n" not in str(info.value)
            assert feed_count(engine) == before  # nothing half-imported
            continue
        expected = len(read_opml(path))
        with session_scope(engine) as s:
            result = import_opml(s, path)
        assert result.added + result.existing == expected > 0
        total += result.added
        assert feed_count(engine) == before + result.added
    assert total == feed_count(engine) >= 250
    with Session(engine) as s:  # folders became tags
        assert (
            s.scalar(select(func.count()).select_from(FeedTag).where(FeedTag.tag == "canada")) == 10
        )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed-truncated.opml", "not valid OPML"),
        ("malformed-bad-url.opml", "unsupported URL scheme"),
        ("malformed-no-body.opml", "no <body>"),
        ("not-opml.xml", "not OPML"),
        ("entities.opml", "DOCTYPE"),
        ("outside-file.opml", "file URL outside"),
        ("missing.opml", "no such file"),
    ],
)
def test_malformed_opml_is_a_clear_error_and_imports_nothing(engine, name, message):
    with pytest.raises(ValidationError, match=message), session_scope(engine) as s:
        import_opml(s, FIX / name)
    assert feed_count(engine) == 0


def test_export_is_valid_opml_and_reimports_identically(engine, corpus_dir, tmp_path):
    from tracker import db

    with session_scope(engine) as s:
        import_opml(s, corpus_dir / "opml" / "netnewswire-rsparser__Subs.opml")
        import_opml(s, feeds_dir() / "subscriptions.opml", tags=["official"])
    with session_scope(engine) as s:
        first = export_opml(s)
    root = ET.fromstring(first.encode())
    outlines = root.findall("./body/outline")
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert len(outlines) == feed_count(engine) == 211
    assert all(o.get("xmlUrl") and o.get("text") for o in outlines)

    path = tmp_path / "export.opml"
    path.write_text(first, encoding="utf-8")
    other = db.make_engine(f"sqlite:///{tmp_path / 'other.db'}", cache=False)
    db.upgrade(other)
    with session_scope(other) as s:
        result = import_opml(s, path)
    assert result.added == 211
    with session_scope(other) as s:
        assert export_opml(s) == first
    other.dispose()


def test_relative_urls_resolve_against_the_opml_file(engine):
    with session_scope(engine) as s:
        result = import_opml(s, feeds_dir() / "samples.opml")
    assert result.added == 3
    with Session(engine) as s:
        urls = sorted(s.scalars(select(Feed.url)))
    assert all(u.startswith("file://") and (Path(u[7:])).is_file() for u in urls)


def test_import_twice_adds_nothing(engine):
    for expected in (4, 0):
        with session_scope(engine) as s:
            assert import_opml(s, feeds_dir() / "subscriptions.opml").added == expected
    assert feed_count(engine) == 4


def test_bare_ampersands_are_repaired():
    data = b'<opml version="1.0"><body><outline text="News & Views" xmlUrl="https://a.example/?x=1&y=2"/></body></opml>'
    (feed,) = parse_opml(data)
    assert feed.name == "News & Views" and feed.url == "https://a.example/?x=1&y=2"
