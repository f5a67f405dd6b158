"""Choose the document and the format: the one entry point the CLI calls."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tracker.errors import UsageError
from tracker.query.options import EXPORT_FORMATS, EXPORT_WHATS


def export(session: Session, what: str, fmt: str, **filters: Any) -> str:
    """The export of `what` (timeline|records|articles) in `fmt` (json|csv|ics|md|atom)."""
    from tracker.export import atom, build, ics, markdown, tabular

    if what not in EXPORT_WHATS:
        raise UsageError(f"cannot export {what!r} (choose from {', '.join(EXPORT_WHATS)})")
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    if what == "timeline":
        doc = build.timeline_document(session, **filters)
    elif what == "records":
        doc = build.records_document(session, **filters)
    else:
        doc = build.articles_document(session, **filters)
    writers = {
        "json": tabular.to_json,
        "csv": tabular.to_csv,
        "ics": ics.to_ics,
        "md": markdown.to_markdown,
        "atom": atom.to_atom,
    }
    return writers[fmt](doc)
