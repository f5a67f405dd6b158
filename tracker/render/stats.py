"""The `tracker stats` view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.render import safe

if TYPE_CHECKING:
    from tracker.query.stats import Stats


def _pairs(title: str, rows: list[tuple[str, object]]) -> Table:
    table = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE,
                  show_header=False, pad_edge=False)  # fmt: skip
    table.add_column("what")
    table.add_column("n", justify="right")
    for name, value in rows:
        table.add_row(safe(name), safe(str(value)))
    return table


def stats_view(stats: Stats) -> RenderableType:
    f = stats.feeds
    parts: list[RenderableType] = [
        _pairs("Knowledge base", [*stats.counts.items()]),
        _pairs("Records by kind", [*stats.records.items()] or [("none", 0)]),
        _pairs(
            "Needs attention",
            [
                ("links awaiting review", stats.review_links),
                ("record suggestions awaiting review", stats.review_suggestions),
                ("record fields with disagreeing sources", stats.conflicting_fields),
            ],
        ),
        _pairs(
            "Feed health",
            [
                ("active", f.active),
                ("ok", f.ok),
                ("failing", f.failing),
                ("stale (no success in 2 days)", f.stale),
                ("never fetched", f.never_fetched),
            ],
        ),
    ]
    if f.problems:
        table = Table(title=Text("Failing feeds", style="bold red"), title_justify="left",
                      box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
        table.add_column("Feed", ratio=1, overflow="fold")
        table.add_column("Failures", justify="right")
        table.add_column("Last error", ratio=2, overflow="fold")
        for p in f.problems:
            table.add_row(safe(p.feed), str(p.failures), safe(p.last_error or ""))
        parts.append(table)
    if stats.last_run:
        r = stats.last_run
        parts.append(
            safe(
                f"Last ingest: {r['started_at']} ({r['status']}): {r['new']} new, "
                f"{r['updated']} updated, {r['errors']} errors over {r['feeds']} feeds",
                "dim",
            )
        )
    return Group(*parts)
