"""OPML import and export (the subscription-list interchange format).

Import reads the whole file first and writes nothing unless every feed in it is valid, so a
malformed file never leaves a half-imported list. Real-world OPML often carries raw `&` in
attribute values (not well-formed XML); those are repaired before parsing, anything else
that is not XML is a clear error. Folders (outlines without xmlUrl) and OPML 2.0
`category` attributes become tags. Relative xmlUrls resolve against the OPML file's folder.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.sax.saxutils import quoteattr

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import UsageError, ValidationError
from tracker.ingest.sources import add_feed, feed_url, normalize_tag
from tracker.models.feeds import Feed, FeedTag
from tracker.text import one_line

MAX_OPML_BYTES = 20 * 1024 * 1024
_BARE_AMP = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    name: str | None
    site_url: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    added: int
    existing: int
    feeds: tuple[OpmlFeed, ...]


def read_opml(path: str | Path) -> list[OpmlFeed]:
    """Parse an OPML file into feeds. Raises ValidationError with the reason on bad input."""
    file = Path(path).expanduser()
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"no such file: {path}") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_opml(data, base=file.resolve().parent.as_uri() + "/", name=str(path))


def parse_opml(data: bytes, *, base: str | None = None, name: str = "OPML") -> list[OpmlFeed]:
    if len(data) > MAX_OPML_BYTES:
        raise ValidationError(f"{name}: larger than {MAX_OPML_BYTES} bytes")
    if _DOCTYPE.search(data):  # no entity expansion games from an untrusted file
        raise ValidationError(f"{name}: DOCTYPE/ENTITY declarations are not allowed in OPML")
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        try:
            root = ET.fromstring(_BARE_AMP.sub(b"&amp;", data))
        except ET.ParseError as exc:
            raise ValidationError(f"{name}: not valid OPML (XML error: {exc})") from None
    if _local(root.tag) != "opml":
        raise ValidationError(f"{name}: not OPML (root element is <{_local(root.tag)}>)")
    body = next((c for c in root if _local(c.tag) == "body"), None)
    if body is None:
        raise ValidationError(f"{name}: not valid OPML (no <body>)")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    problems: list[str] = []
    _walk(body, (), base, feeds, seen, problems)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ValidationError(f"{name}: " + "; ".join(problems[:3]) + more)
    return feeds


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _walk(
    node: ET.Element,
    folders: tuple[str, ...],
    base: str | None,
    out: list[OpmlFeed],
    seen: set[str],
    problems: list[str],
) -> None:
    for child in node:
        if _local(child.tag) != "outline":
            continue
        a = {k.lower(): v for k, v in child.attrib.items()}
        label = one_line(a.get("title") or a.get("text") or "") or None
        xml_url = (a.get("xmlurl") or "").strip()
        if not xml_url:
            folder = _tag_or_none(label)
            _walk(child, (*folders, folder) if folder else folders, base, out, seen, problems)
            continue
        if base and not urlsplit(xml_url).scheme:
            xml_url = urljoin(base, xml_url)
        try:
            url = feed_url(xml_url)
        except UsageError as exc:
            problems.append(f"outline {label or xml_url!r}: {exc}")
            continue
        if url.lower().startswith("file:") and not (base and url.startswith(base)):
            # a subscription list from elsewhere must not make ingest read arbitrary local files
            problems.append(
                f"outline {label or xml_url!r}: file URL outside the OPML file's folder"
            )
            continue
        cats = [c.strip().strip("/") for c in (a.get("category") or "").split(",")]
        tags = {t for t in (_tag_or_none(c.split("/")[-1]) for c in cats if c) if t}
        tags.update(folders)
        if url in seen:
            continue
        seen.add(url)
        site = (a.get("htmlurl") or "").strip() or None
        out.append(OpmlFeed(url=url, name=label, site_url=site, tags=tuple(sorted(tags))))


def _tag_or_none(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return normalize_tag(re.sub(r"[^A-Za-z0-9._ -]+", " ", label).strip()[:60])
    except UsageError:
        return None


def import_opml(session: Session, path: str | Path, *, tags: Sequence[str] = ()) -> ImportResult:
    """Subscribe to every feed in an OPML file: all or nothing (the caller's transaction)."""
    extra = tuple(normalize_tag(t) for t in tags)
    feeds = read_opml(path)
    added = existing = 0
    for f in feeds:
        current = session.scalars(select(Feed).where(Feed.url == f.url)).first()
        if current is not None and current.active:
            existing += 1
            have = {t.tag for t in current.tags}
            for tag in sorted(set(f.tags + extra) - have):
                current.tags.append(FeedTag(tag=tag))
            continue
        feed = add_feed(session, f.url, name=f.name, tags=f.tags + extra)
        if f.site_url and not feed.site_url:
            feed.site_url = f.site_url[:2000]
        added += 1
    session.flush()
    return ImportResult(added, existing, tuple(feeds))


def export_opml(session: Session, *, include_inactive: bool = False) -> str:
    """Every subscribed feed as OPML 2.0 (tags as the category attribute)."""
    query = select(Feed).order_by(Feed.id)
    if not include_inactive:
        query = query.where(Feed.active.is_(True))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        "    <title>tracker subscriptions</title>",
        "  </head>",
        "  <body>",
    ]
    for feed in session.scalars(query):
        label = one_line(feed.name or feed.title or feed.url)
        # text and title both carry the label, so an export re-imports to the same export.
        attrs = [
            f"type={quoteattr('rss')}",
            f"text={quoteattr(label)}",
            f"title={quoteattr(label)}",
        ]
        attrs.append(f"xmlUrl={quoteattr(feed.url)}")
        if feed.site_url:
            attrs.append(f"htmlUrl={quoteattr(one_line(feed.site_url))}")
        if feed.tags:
            attrs.append(f"category={quoteattr(','.join('/' + t.tag for t in feed.tags))}")
        lines.append("    <outline " + " ".join(attrs) + "/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
