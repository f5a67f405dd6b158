"""The search results view: ranked hits with their highlighted snippets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.render import safe
from tracker.render.timeline import KIND_STYLES

if TYPE_CHECKING:
    from tracker.query.search import SearchHit, SearchResults


def snippet_text(hit: SearchHit) -> Text:
    """The snippet with matched words highlighted; every segment is cleaned literal text."""
    text = Text()
    for part, highlighted in hit.snippet:
        # Keep the spaces around a highlighted word (clean() would trim each segment).
        lead = " " if part[:1].isspace() and text.plain else ""
        trail = " " if part[-1:].isspace() else ""
        cleaned = safe(part, "bold yellow" if highlighted else "").plain
        if cleaned:
            text.append(lead + cleaned + trail, style="bold yellow" if highlighted else "")
    text.rstrip()
    return text


def search_view(results: SearchResults) -> RenderableType:
    heading = Text("Search: ", style="bold")
    heading.append_text(safe(results.query))
    if results.actor:
        heading.append(" · actor ", style="dim")
        heading.append_text(safe(results.actor, "dim"))
    if not results.hits:
        return Group(heading, Text("No matches.", style="dim"))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Match", ratio=1, overflow="fold")
    for i, hit in enumerate(results.hits, 1):
        what = safe(hit.title, "bold")
        where = hit.slug or hit.outlet
        if where:
            what.append("\n")
            what.append_text(safe(where, "dim"))
        snip = snippet_text(hit)
        if snip.plain and snip.plain != what.plain.split("\n")[0]:
            what.append("\n")
            what.append_text(snip)
        table.add_row(
            str(i), Text(hit.kind, style=KIND_STYLES.get(hit.kind, "")), hit.date or "", what
        )
    return Group(heading, table)
