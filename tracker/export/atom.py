"""Atom (RFC 4287) export, so a timeline or watchlist can be followed in a feed reader.

Built with ElementTree (which escapes &, < and >); text is cleaned first so no character
that XML 1.0 forbids reaches the document.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timezone
from xml.etree import ElementTree as ET

from tracker.export.entries import Document, Entry, is_web_url, stable_key
from tracker.text import clean

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 does not allow even escaped (clean() already drops C0 controls).
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def xml_text(value: object, *, keep_newlines: bool = False) -> str:
    return _NOT_XML.sub("", clean(value, keep_newlines=keep_newlines))


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry_time(entry: Entry, fallback: datetime) -> datetime:
    if entry.timestamp is not None:
        return entry.timestamp
    if entry.date is not None:
        return datetime.combine(entry.date.start, time(0, 0))
    return fallback


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _content(entry: Entry) -> str:
    lines = [entry.summary] if entry.summary else []
    if entry.date is not None and entry.date.precision != "day":
        lines.append(f"Date known to the {entry.date.precision}: {entry.date.human()}.")
    for s in entry.sources:
        lines.append(
            "Source: " + ", ".join(x for x in (s.outlet, s.title, s.published, s.url) if x)
        )
    return "\n".join(lines)


def to_atom(doc: Document, *, now: datetime | None = None, feed_id: str | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", feed_id or f"urn:tracker:{stable_key('feed', doc.what, doc.title)}")
    _sub(feed, "title", xml_text(doc.title))
    times = [_entry_time(e, now) for e in doc.entries]
    _sub(feed, "updated", _rfc3339(max(times) if times else now))
    author = _sub(feed, "author")
    _sub(author, "name", "tracker")
    _sub(feed, "generator", "tracker")
    # Newest first, as feed readers expect.
    for entry, moment in sorted(
        zip(doc.entries, times, strict=True), key=lambda p: p[1], reverse=True
    ):
        el = _sub(feed, "entry")
        _sub(el, "id", f"urn:tracker:{entry.key}")
        title = entry.title + (" [sources disagree]" if entry.conflicting else "")
        _sub(el, "title", xml_text(title), type="text")
        _sub(el, "updated", _rfc3339(moment))
        _sub(el, "published", _rfc3339(moment))
        if is_web_url(entry.url):
            _sub(el, "link", href=xml_text(entry.url), rel="alternate")
        _sub(el, "category", term=xml_text(entry.kind) or "item")
        content = _content(entry)
        if content:
            _sub(el, "summary", xml_text(content, keep_newlines=True), type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
