"""Parsing feed bytes into frozen items. Pure: bytes in, values out; no I/O, no database.

feedparser does the parsing (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF, broken XML through its
lenient parser). A "bozo" document that still yields entries is accepted with the problem
kept; one that yields no feed at all raises ParseError.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tracker.errors import ParseError
from tracker.ingest.htmltext import fast_one_line, html_to_text, strip_nul
from tracker.text import one_line

# Column sizes in tracker.models.feeds (PostgreSQL enforces them; SQLite does not).
GUID_MAX = LINK_MAX = URL_MAX = 2000
AUTHOR_MAX = 500
TITLE_MAX = 500
LANG_MAX = 20

# feedparser's FeedParserDict.get maps legacy key names and warns; the keys we read are the
# canonical ones, so the plain dict lookup is both exact and several times faster.
_get = dict.get
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|yclid|_hsenc|_hsmi)$", re.I)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_YEAR_ONLY = re.compile(r"^\s*\d{4}\s*$")
_YEAR_MONTH = re.compile(r"^\s*(\d{4}-\d{1,2}|\d{4}/\d{1,2}|[A-Za-z]{3,9}\.?,?\s+\d{4})\s*$")


@dataclass(frozen=True)
class ParsedItem:
    """One feed entry, normalized: what store.py writes to an Article row."""

    identity: str  # sha256 of guid:/link:/hash: — unique per feed
    guid: str | None
    link: str | None
    canonical_url: str | None
    title: str | None
    author: str | None
    summary_html: str | None
    summary_text: str | None
    content_html: str | None
    content_text: str | None
    language: str | None
    published_at: datetime | None  # naive UTC
    published_precision: str | None  # time / day / month / year
    updated_at: datetime | None
    content_hash: str  # changes when anything we store changes


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    site_url: str | None
    version: str  # feedparser's name for the format, e.g. rss20, atom10, rss10
    items: tuple[ParsedItem, ...]
    problem: str | None  # a bozo warning, when the document was malformed but usable
    duplicates: int = 0  # entries dropped because an earlier entry had the same identity


def parse_feed(
    data: bytes, *, url: str | None = None, content_type: str | None = None
) -> ParsedFeed:
    """Parse a feed document. Raises ParseError when it yields no usable feed."""
    import feedparser

    headers: dict[str, str] = {}
    if content_type:
        headers["content-type"] = content_type
    if url and urlsplit(url).scheme in ("http", "https"):
        headers["content-location"] = url  # base for relative links
    # A BytesIO, never the bytes themselves: feedparser treats a bytes argument that names
    # an existing file as a path to open. feedparser's HTML sanitizer and its rewriting of
    # relative links inside HTML are off: tracker never renders feed HTML, it keeps the
    # original as it came and turns it into text itself (htmltext.py drops scripts, styles
    # and every tag), and together they cost about 40% of the parse. Entry links are still
    # resolved against the feed's base.
    try:
        result = feedparser.parse(
            io.BytesIO(data),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser is robust, but this is hostile input
        raise ParseError(
            f"feed parser failed: {type(exc).__name__}: {one_line(exc, 200)}"
        ) from None
    problem = _bozo_text(result) if result.get("bozo") else None
    entries = result.get("entries") or []
    version = result.get("version") or ""
    if not entries and (problem or not version):
        reason = problem or "not a recognizable RSS, Atom or RDF feed"
        raise ParseError(f"no entries: {reason}")
    fd = result.get("feed") or {}
    items: list[ParsedItem] = []
    seen: set[str] = set()
    duplicates = 0
    for entry in entries:
        item = _item(entry, fd)
        if item.identity in seen:
            duplicates += 1
            continue
        seen.add(item.identity)
        items.append(item)
    return ParsedFeed(
        title=_cut(_title(fd), TITLE_MAX),
        site_url=_cut(_text(fd.get("link")), URL_MAX),
        version=version or "unknown",
        items=tuple(items),
        problem=problem,
        duplicates=duplicates,
    )


def _bozo_text(result: Any) -> str:
    exc = result.get("bozo_exception")
    if exc is None:
        return "malformed feed"
    return one_line(f"{type(exc).__name__}: {exc}", 300)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    s = strip_nul(str(value)).strip()
    return s or None


def _cut(value: str | None, limit: int) -> str | None:
    return value[:limit] if value is not None and len(value) > limit else value


def _title(obj: Any) -> str | None:
    raw = _text(_get(obj, "title"))
    if raw is None:
        return None
    detail = _get(obj, "title_detail") or {}
    if detail.get("type") in _HTML_TYPES or "<" in raw or "&" in raw:
        return _one_line_or_none(html_to_text(raw))
    return _one_line_or_none(raw)


def _one_line_or_none(value: str | None) -> str | None:
    return fast_one_line(value) or None


def _html_value(detail: Any) -> tuple[str | None, str | None]:
    """(original, text) of a feedparser text construct."""
    if not detail:
        return None, None
    value = _text(detail.get("value"))
    if value is None:
        return None, None
    # Plain-text constructs go through the same converter: it only touches markup and
    # entities, and a "text/plain" summary from a hostile feed may still carry both.
    return value, html_to_text(value)


def canonical_url(link: str | None) -> str | None:
    """A link normalized for identity: lower-case scheme/host, no fragment, no tracking params."""
    if not link:
        return None
    try:
        parts = urlsplit(link.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return link.strip()[:URL_MAX] or None
    if not scheme or not host:
        return link.strip()[:URL_MAX] or None
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    query = parts.query
    if query:
        kept = [
            (k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _TRACKING.match(k)
        ]
        query = urlencode(kept)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))[:URL_MAX]


def _date(entry: Any, key: str) -> tuple[datetime | None, str | None]:
    # dict.get, not entry.get: feedparser's dict quietly substitutes published for a missing
    # updated (with a DeprecationWarning), and we want to know what the feed really said.
    parsed = dict.get(entry, f"{key}_parsed")
    if not parsed:
        return None, None
    try:
        value = datetime(*parsed[:6])
    except (TypeError, ValueError, OverflowError):
        return None, None
    if not 1900 <= value.year <= 9999:
        return None, None
    raw = str(dict.get(entry, key) or "")
    if _HAS_TIME.search(raw):
        return value, "time"
    if _YEAR_ONLY.match(raw):
        return value.replace(month=1, day=1, hour=0, minute=0, second=0), "year"
    if _YEAR_MONTH.match(raw):
        return value.replace(day=1, hour=0, minute=0, second=0), "month"
    return value.replace(hour=0, minute=0, second=0), "day"


def _sha(*parts: str | None) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update((p or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def _item(entry: Any, fd: Any) -> ParsedItem:
    guid = _cut(_text(_get(entry, "id")), GUID_MAX)
    link = _cut(_text(_get(entry, "link")), LINK_MAX)
    canon = canonical_url(link)
    title = _title(entry)
    summary_html, summary_text = _html_value(_get(entry, "summary_detail"))
    if summary_html is None and _get(entry, "summary"):
        summary_html, summary_text = _html_value(
            {"value": _get(entry, "summary"), "type": "text/html"}
        )
    content_html = content_text = None
    contents = _get(entry, "content") or []
    if contents and _text(_get(contents[0], "value")) != summary_html:
        content_html, content_text = _html_value(contents[0])
    author = _cut(_one_line_or_none(_text(_get(entry, "author"))), AUTHOR_MAX)
    language = _get(entry, "language") or (_get(entry, "title_detail") or {}).get("language")
    language = language or fd.get("language")
    language = _cut(_one_line_or_none(_text(language)), LANG_MAX)
    published_at, precision = _date(entry, "published")
    updated_at, updated_precision = _date(entry, "updated")
    if published_at is None and updated_at is not None:
        published_at, precision = updated_at, updated_precision
    content_hash = _sha(
        title, link, author, summary_html, content_html,
        published_at.isoformat() if published_at else None,
        updated_at.isoformat() if updated_at else None,
    )  # fmt: skip
    if guid:
        identity = _sha("guid", guid)
    elif canon:
        identity = _sha("link", canon)
    else:
        identity = _sha("hash", title, summary_text, content_text)
    return ParsedItem(
        identity=identity,
        guid=guid,
        link=link,
        canonical_url=canon,
        title=title,
        author=author,
        summary_html=summary_html,
        summary_text=summary_text,
        content_html=content_html,
        content_text=content_text,
        language=language,
        published_at=published_at,
        published_precision=precision,
        updated_at=updated_at,
        content_hash=content_hash,
    )


def publishing_gaps(items: tuple[ParsedItem, ...], limit: int = 20) -> list[float]:
    """Seconds between consecutive publication times of the newest items (for scheduling)."""
    stamps = sorted(
        (i.published_at for i in items if i.published_at and i.published_precision == "time"),
        reverse=True,
    )[:limit]
    return [(a - b).total_seconds() for a, b in itertools.pairwise(stamps) if a > b]


__all__ = ["ParsedFeed", "ParsedItem", "canonical_url", "parse_feed", "publishing_gaps"]
