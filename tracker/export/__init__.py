"""Exports: the timeline, records or articles as JSON, CSV, iCalendar, a Markdown briefing
or an Atom feed. `export(session, what, fmt, ...)` returns the document as text; every
format escapes what came from feeds for its own syntax."""

from __future__ import annotations

from tracker.export.run import export

__all__ = ["export"]
