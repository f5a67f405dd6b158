"""Views for watchlists and digests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.render import safe

if TYPE_CHECKING:
    from tracker.query.digest import Digest
    from tracker.query.watch import WatchItem


def watch_list_view(items: tuple[WatchItem, ...]) -> RenderableType:
    if not items:
        return Text("Nothing is watched yet. Add something: tracker watch add NAME", style="dim")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("List", "Watching", "Kind", "Status", "Since", "Note"):
        table.add_column(name, overflow="fold")
    for w in items:
        what = safe(w.name, "bold")
        what.append("\n")
        what.append_text(safe(w.slug, "dim"))
        table.add_row(
            safe(w.watchlist),
            what,
            safe(f"{w.target}: {w.kind}"),
            safe(w.status or ""),
            w.created_at.date().isoformat(),
            safe(w.note or ""),
        )
    return table


def digest_view(digest: Digest) -> RenderableType:
    from tracker.query.digest import SECTION_TITLES, SECTIONS

    heading = Text("Digest", style="bold")
    heading.append(" · ")
    heading.append_text(safe(digest.watchlist))
    origin = "last digest" if digest.since_last_digest else "--since"
    heading.append(
        f" · since {digest.since.isoformat(sep=' ', timespec='minutes')} ({origin})", style="dim"
    )
    parts: list[RenderableType] = [heading]
    if not digest.watched:
        parts.append(
            Text("Nothing is watched yet. Add something: tracker watch add NAME", style="dim")
        )
        return Group(*parts)
    if not digest.items:
        parts.append(Text(f"Nothing new for {len(digest.watched)} watched item(s).", style="dim"))
        return Group(*parts)
    for section in SECTIONS:
        items = digest.section(section)
        if not items:
            continue
        table = Table(
            title=Text(f"{SECTION_TITLES[section]} ({len(items)})", style="bold"),
            title_justify="left",
            box=box.SIMPLE,
            show_header=False,
            pad_edge=False,
        )
        table.add_column("When", no_wrap=True)
        table.add_column("What", ratio=3, overflow="fold")
        table.add_column("For", ratio=1, overflow="fold")
        for item in items:
            what = safe(item.title, "red" if section == "conflict" else "")
            if item.detail:
                what.append("\n")
                what.append_text(safe(item.detail, "dim"))
            if item.sources and section != "article":
                what.append("\n")
                what.append_text(
                    safe("sources: " + "; ".join(s.outlet or s.title for s in item.sources), "dim")
                )
            table.add_row(safe((item.when or "")[:16]), what, safe(", ".join(item.watched), "dim"))
        parts.append(table)
    return Group(*parts)
