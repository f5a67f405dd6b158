"""The timeline view: rows grouped by month (or year, for year-only dates), each date at
its precision, conflicting dates marked with every claimed value and its sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.render import safe

if TYPE_CHECKING:
    from tracker.query.common import SourceRef
    from tracker.query.timeline import Timeline, TimelineRow

KIND_STYLES = {
    "incident": "red",
    "letter": "cyan",
    "measure": "green",
    "designation": "magenta",
    "event": "yellow",
    "article": "blue",
}


def group_label(row: TimelineRow) -> str:
    """The heading a row is listed under: 'June 2026', or '2026' for year-only dates."""
    d = row.date
    if d.precision == "year":
        return str(d.start.year)
    return d.start.strftime("%B %Y")


def date_label(row: TimelineRow) -> str:
    """The date within its group, at its precision: 'Jun 8', 'June', '2026'."""
    d = row.date
    if d.precision == "day":
        return f"{d.start.strftime('%b')} {d.start.day}"
    if d.precision == "month":
        return d.start.strftime("%B")
    return str(d.start.year)


def source_label(src: SourceRef, *, with_title: bool = True) -> str:
    if src.outlet and with_title and src.title:
        return f"{src.outlet}: {src.title}"
    return src.outlet or src.title or src.url or "?"


def sources_text(sources: tuple[SourceRef, ...], *, with_title: bool = True) -> Text:
    text = Text()
    for i, src in enumerate(sources):
        if i:
            text.append("\n")
        text.append_text(safe(source_label(src, with_title=with_title), "dim"))
    return text


def _what(row: TimelineRow) -> Text:
    text = safe(row.title, "bold" if row.kind != "article" else "")
    meta = [row.meaning]
    if row.record:
        meta.append(row.record)
    if row.related:
        meta.append(f"→ {row.related}")
    text.append("\n")
    text.append_text(safe(" · ".join(meta), "dim"))
    if row.detail:
        text.append("\n")
        text.append_text(safe(row.detail, "italic"))
    if row.conflicting:
        text.append("\n")
        text.append("⚠ conflicting: ", style="bold red")
        for i, alt in enumerate(row.alternatives):
            if i:
                text.append(" vs ", style="red")
            text.append_text(safe(alt.value, "red"))
            names = ", ".join(s.outlet or s.title for s in alt.sources)
            if names:
                text.append(" (", style="red")
                text.append_text(safe(names, "red"))
                text.append(")", style="red")
    return text


def timeline_view(timeline: Timeline) -> RenderableType:
    """The timeline as a table grouped by month, or a one-line note when it is empty."""
    heading = Text("Timeline", style="bold")
    if timeline.actor_name:
        heading.append(" · ")
        heading.append_text(safe(f"{timeline.actor_name} ({timeline.actor})"))
    if timeline.record:
        heading.append(" · ")
        heading.append_text(safe(timeline.record))
    if timeline.as_of:
        heading.append(f" · as of {timeline.as_of.isoformat()}", style="yellow")
    if not timeline.rows:
        return Group(heading, Text("No entries match.", style="dim"))

    table = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=False, pad_edge=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("What", ratio=3, overflow="fold")
    table.add_column("Sources", ratio=2, overflow="fold")
    current = None
    for row in timeline.rows:
        label = group_label(row)
        if label != current:
            if current is not None:
                table.add_section()
            table.add_row(Text(label, style="bold underline"), "", "", "")
            current = label
        table.add_row(
            Text(date_label(row)),
            Text(row.kind, style=KIND_STYLES.get(row.kind, "")),
            _what(row),
            sources_text(row.sources, with_title=row.kind != "article"),
        )
    parts: list[RenderableType] = [heading, table]
    if timeline.truncated:
        parts.append(
            Text(
                f"Showing the latest {len(timeline.rows)} entries; use --limit or --since "
                "to see older ones.",
                style="dim",
            )
        )
    return Group(*parts)
