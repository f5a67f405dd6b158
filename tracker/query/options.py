"""Names the query commands accept (kinds, sort keys). No heavy imports: the CLI reads
these at import time to build its --help and validate choices."""

from __future__ import annotations

TIMELINE_KINDS = ("incident", "letter", "measure", "designation", "event", "article")
SEARCH_KINDS = ("article", "incident", "letter", "measure", "designation", "event")
TABLE_KINDS = ("incident", "letter", "measure", "designation")
# Sort keys per record kind; the first is the default. Dates and numbers sort largest first.
SORTS: dict[str, tuple[str, ...]] = {
    "incident": ("disclosed", "started", "exchanges", "accounts", "status", "title"),
    "letter": ("sent", "public", "asks", "status", "title"),
    "measure": ("last-action", "introduced", "actions", "status", "title"),
    "designation": ("added", "effective", "challenges", "subject", "status", "title"),
}
EXPORT_WHATS = ("timeline", "records", "articles")
EXPORT_FORMATS = ("json", "csv", "ics", "md", "atom")
