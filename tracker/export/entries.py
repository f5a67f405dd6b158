"""The common shape every export format reads: dated entries with their sources."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.dates import PartialDate
from tracker.query.common import SourceRef


@dataclass(frozen=True)
class Entry:
    key: str  # stable identity (for ICS UID / Atom id)
    kind: str
    title: str
    date: PartialDate | None
    summary: str = ""
    url: str | None = None
    record: str | None = None
    conflicting: bool = False
    sources: tuple[SourceRef, ...] = ()
    timestamp: datetime | None = None  # articles: the full publication time


@dataclass(frozen=True)
class Document:
    """What an export writes: a title, the entries, and the raw rows for JSON/CSV."""

    what: str  # timeline | records | articles
    title: str
    entries: tuple[Entry, ...]
    data: Any  # JSON-ready payload
    columns: tuple[str, ...]  # CSV header
    rows: tuple[tuple[Any, ...], ...]  # CSV rows


def stable_key(*parts: object) -> str:
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def is_web_url(url: str | None) -> bool:
    """An http(s) URL safe to emit as a link (no spaces, quotes, angle brackets or controls)."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return False
    return not any(ch.isspace() or ch in '<>"`\\' or ord(ch) < 32 or ord(ch) == 127 for ch in url)
