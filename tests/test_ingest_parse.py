"""Parsing (pure: bytes in, frozen items out) and HTML → text, from feed files we wrote."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.config import feeds_dir
from tracker.errors import ParseError
from tracker.ingest.htmltext import html_to_text
from tracker.ingest.parse import canonical_url, parse_feed

FIX = Path(__file__).parent / "fixtures" / "ingest"


def load(name: str) -> bytes:
    return (FIX / name).read_bytes()


def test_hostile_feed_is_neutralized():
    feed = parse_feed(load("hostile.xml"))
    assert feed.title == "Hostile [bold red]Feed[/] red"  # markup kept as literal text, ESC gone
    first, by_link, by_hash = feed.items
    assert feed.duplicates == 1  # the second item with guid hostile-1 is dropped
    # markup-looking text survives literally (render.safe never parses it); escapes do not
    assert first.title == "[link=https://evil.example]click[/link] bold osc ok"
    assert first.author == "evil author"  # bidi override removed
    assert first.summary_text == "Safe & sound\n\nsecond para \ufffd end"
    # the HTML is kept as it came (never rendered); the text has nothing of the script
    assert '<script>alert("x")</script>' in (first.summary_html or "")
    assert "alert" not in first.summary_text and "p{}" not in first.summary_text
    assert first.guid == "hostile-1"
    assert first.canonical_url == "https://hostile.example/a?id=1"
    assert (
        first.published_at == datetime(2026, 6, 10, 22, 20) and first.published_precision == "time"
    )
    # identity falls back guid → canonical link → content hash
    assert by_link.guid is None and by_link.canonical_url == "https://hostile.example/b/"
    assert by_link.published_at == datetime(2026, 6, 10) and by_link.published_precision == "day"
    assert by_hash.guid is None and by_hash.link is None
    assert len({first.identity, by_link.identity, by_hash.identity}) == 3
    for item in feed.items:
        for value in (item.title, item.summary_text, item.author):
            assert value is None or not any(ord(c) < 32 and c != "\n" for c in value)


def test_identity_is_stable_and_content_hash_tracks_changes():
    a = parse_feed(load("hostile.xml")).items
    b = parse_feed(load("hostile.xml")).items
    assert [i.identity for i in a] == [i.identity for i in b]
    assert [i.content_hash for i in a] == [i.content_hash for i in b]
    edited = load("hostile.xml").replace(b"Safe &amp; sound", b"Safe and sound")
    c = parse_feed(edited).items
    assert c[0].identity == a[0].identity and c[0].content_hash != a[0].content_hash


def test_bozo_feed_with_entries_is_accepted_with_problem():
    feed = parse_feed(load("bozo-with-entries.xml"))
    assert [i.title for i in feed.items] == ["First & only", "Second"]
    assert feed.problem and "not well-formed" in feed.problem


@pytest.mark.parametrize("name", ["not-a-feed.html", "empty.xml"])
def test_no_feed_is_a_parse_error(name):
    with pytest.raises(ParseError, match="no entries"):
        parse_feed(load(name))


def test_well_formed_feed_without_items_is_fine():
    feed = parse_feed(load("empty-channel.xml"))
    assert feed.items == () and feed.problem is None and feed.title == "Quiet feed"


def test_wrong_charset_declaration_still_decodes():
    feed = parse_feed(load("wrong-charset.xml"))
    assert feed.items[0].title == "Café crème à Zürich"
    assert feed.problem and "CharacterEncodingOverride" in feed.problem
    header = parse_feed(load("wrong-charset.xml"), content_type="text/xml; charset=iso-8859-1")
    assert header.items[0].title == "Café crème à Zürich"


def test_bytes_naming_a_file_are_not_opened(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(
        "<rss version='2.0'><channel><item><title>leak</title></item></channel></rss>"
    )
    with pytest.raises(ParseError):
        parse_feed(str(secret).encode())


def test_sample_feeds_cover_three_formats_with_dates_and_authors():
    samples = sorted((feeds_dir() / "samples").iterdir())
    parsed = {p.name: parse_feed(p.read_bytes()) for p in samples}
    assert {f.version for f in parsed.values()} == {"rss20", "atom10", "rss10"}
    for name, feed in parsed.items():
        assert len(feed.items) >= 4, name
        assert feed.problem is None, name
        for item in feed.items:
            assert item.guid and item.link and item.author and item.summary_text, (name, item.title)
            assert item.published_at is not None and "<" not in item.summary_text
    rdf = parsed["open-ledger.rdf"]
    assert [i.published_precision for i in rdf.items].count("day") == 1
    assert [i.published_precision for i in rdf.items].count("month") == 1
    # the same news from different outlets: the June 10 letter is in all three
    letters = [
        i for f in parsed.values() for i in f.items if "28.8" in (i.title + (i.summary_text or ""))
    ]
    assert len({i.link for i in letters}) >= 3


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a</p><p>b</p>", "a\n\nb"),
        ("x<br>y", "x\n\ny"),
        ("<script>alert(1)</script>ok", "ok"),
        ("<style>p{color:red}</style><!-- c -->ok", "ok"),
        ("Fish &amp; chips &#8212; &lt;tag&gt;", "Fish & chips — <tag>"),
        ("a\x1b[31mred\x1b[0m\x07", "ared"),
        ("\u202eevil", "evil"),
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
        ("<unclosed", "<unclosed"),  # not a complete tag: kept as text
        ("   ", None),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == (text or None)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_html_to_text_never_raises_or_leaks_controls(value):
    out = html_to_text(value)
    assert out is None or not any(ord(c) < 32 and c != "\n" for c in out)
    assert out is None or "\x1b" not in out


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_feed_only_raises_parse_error(data):
    try:
        feed = parse_feed(data)
    except ParseError:
        return
    assert isinstance(feed.items, tuple)


def test_canonical_url():
    assert (
        canonical_url("HTTP://Example.COM:80/a?b=1&utm_medium=x#top") == "http://example.com/a?b=1"
    )
    assert canonical_url("https://example.com") == "https://example.com/"
    assert canonical_url("relative/path") == "relative/path"
    assert canonical_url(None) is None and canonical_url("") is None
    assert canonical_url("http://[::1") == "http://[::1"
