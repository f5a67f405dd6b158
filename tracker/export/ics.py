"""iCalendar (RFC 5545) export: one all-day VEVENT per dated entry.

Text values are escaped (backslash, semicolon, comma, newline), lines are folded at 75
octets without splitting a UTF-8 character, and every line ends in CRLF. A date known
only to the month or year is placed on its first day and says so in its summary.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tracker.export.entries import Document, Entry, is_web_url
from tracker.text import clean

PRODID = "-//tracker//policy timeline//EN"


def escape_text(value: object) -> str:
    text = clean(value, keep_newlines=True)
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (continuations start with a space)."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _summary(entry: Entry) -> str:
    title = entry.title
    if entry.date is not None and entry.date.precision != "day":
        title += f" ({entry.date.human()}, exact day unknown)"
    if entry.conflicting:
        title = "⚠ " + title + " [sources disagree]"
    return title


def _description(entry: Entry) -> str:
    parts = [entry.summary] if entry.summary else []
    if entry.record:
        parts.append(f"Record: {entry.record}")
    for s in entry.sources:
        line = "Source: " + ", ".join(x for x in (s.outlet, s.title, s.published) if x)
        if s.url:
            line += f" {s.url}"
        parts.append(line)
    return "\n".join(parts)


def to_ics(doc: Document, *, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(doc.title)}",
    ]
    for entry in doc.entries:
        if entry.date is None:
            continue
        start = entry.date.start
        lines += [
            "BEGIN:VEVENT",
            f"UID:{entry.key}@tracker",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(start + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{escape_text(_summary(entry))}",
        ]
        description = _description(entry)
        if description:
            lines.append(f"DESCRIPTION:{escape_text(description)}")
        lines.append(f"CATEGORIES:{escape_text(entry.kind)}")
        if is_web_url(entry.url):
            lines.append(f"URL:{entry.url}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
