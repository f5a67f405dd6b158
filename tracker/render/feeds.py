"""Views for feeds and ingest runs: the subscription table, the per-run report, and the
progress display (a Rich bar on a terminal, plain log lines otherwise)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from tracker.dates import utcnow
from tracker.render import console, safe
from tracker.text import one_line

if TYPE_CHECKING:
    from tracker.ingest.run import FeedReport, RunReport
    from tracker.ingest.sources import FeedStatus

HEALTH_STYLES = {
    "ok": "green",
    "new": "cyan",
    "failing": "yellow",
    "dead": "bold red",
    "paused": "dim",
}
STATUS_STYLES = {"ok": "green", "not_modified": "dim", "error": "red", "skipped": "yellow"}


def ago(when: datetime | None, now: datetime) -> str:
    """'3m ago', 'in 2h', '—'."""
    if when is None:
        return "—"
    seconds = (now - when).total_seconds()
    future = seconds < 0
    s = abs(seconds)
    if s < 90:
        span = f"{int(s)}s"
    elif s < 90 * 60:
        span = f"{int(s // 60)}m"
    elif s < 36 * 3600:
        span = f"{int(s // 3600)}h"
    else:
        span = f"{int(s // 86400)}d"
    return f"in {span}" if future else f"{span} ago"


def feeds_table(feeds: list[FeedStatus], now: datetime) -> RenderableType:
    if not feeds:
        return safe("No feeds. Add one with: tracker feeds add URL", "dim")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("id", justify="right", style="dim")
    table.add_column("feed", overflow="fold", min_width=24, max_width=36)
    table.add_column("health")
    table.add_column("items", justify="right")
    table.add_column("last success")
    table.add_column("next due")
    table.add_column("last error", overflow="fold")
    for f in feeds:
        label = safe(f.name or f.title or f.url, "bold")
        if f.name or f.title:
            label.append("\n")
            label.append_text(safe(f.url, "dim"))
        if f.tags:
            label.append("\n")
            label.append_text(safe(" ".join("#" + t for t in f.tags), "cyan"))
        health = Text(f.health, style=HEALTH_STYLES.get(f.health, ""))
        error = safe(one_line(f.last_error, 120) if f.last_error else "", "red")
        if f.consecutive_failures:
            since = f.last_success_at
            plural = "s" if f.consecutive_failures != 1 else ""
            error.append(f"\n{f.consecutive_failures} failure{plural} in a row, ", style="dim")
            error.append(f"last ok {since:%Y-%m-%d}" if since else "never pulled ok", style="dim")
        elif f.last_error and f.last_error_at:
            error.append(f"\n{ago(f.last_error_at, now)}", style="dim")
        if f.last_problem:
            error.append("\n")
            error.append_text(safe("warning: " + one_line(f.last_problem, 120), "yellow"))
        label.overflow = "fold"
        table.add_row(
            str(f.id),
            label,
            health,
            str(f.items),
            ago(f.last_success_at, now),
            "now" if f.active and (f.next_due_at is None or f.next_due_at <= now)
            else ago(f.next_due_at, now) if f.active else "—",
            error,
        )  # fmt: skip
    return table


def run_table(report: RunReport) -> RenderableType:
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title=_summary(report),
        title_justify="left",
        title_style="bold",
    )
    table.add_column("feed", overflow="fold", min_width=24, max_width=44)
    table.add_column("status", no_wrap=True)
    table.add_column("new", justify="right")
    table.add_column("updated", justify="right")
    table.add_column("unchanged", justify="right")
    table.add_column("error / warning", overflow="fold", max_width=48)
    for f in report.feeds:
        note = safe(f.error or "", "red") if f.error else safe(f.problem or "", "yellow")
        label = safe(f.label)
        label.overflow = note.overflow = "fold"
        table.add_row(
            label,
            Text(f.status.replace("_", " "), style=STATUS_STYLES.get(f.status, "")),
            str(f.new),
            str(f.updated),
            str(f.unchanged),
            note,
        )
    return table


def _summary(report: RunReport) -> str:
    return (
        f"ingest run {report.run_id}: {len(report.feeds)} feeds, {report.new} new, "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.errors} failed"
    )


def log_line(report: FeedReport, *, at: datetime | None = None) -> str:
    """One plain, greppable line per feed (safe to write to a log file or a pipe)."""
    stamp = (at or utcnow()).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = [
        stamp,
        f"status={report.status}",
        f"new={report.new}",
        f"updated={report.updated}",
        f"unchanged={report.unchanged}",
        f"ms={report.duration_ms}",
        f"feed={report.feed_id}",
        f"url={one_line(report.url, 300)}",
    ]
    if report.error:
        parts.append(f"error={one_line(report.error, 300)!r}")
    if report.problem:
        parts.append(f"warning={one_line(report.problem, 200)!r}")
    return " ".join(parts)


@contextmanager
def progress(
    total: int | None,
    *,
    quiet: bool = False,
    verbose: bool = False,
    log_file: Path | None = None,
) -> Iterator[Callable[[FeedReport], None]]:
    """A callback for each finished feed. On a terminal: a bar on stderr (failures printed
    above it; every feed with verbose). Otherwise: one plain log line per feed on stderr
    (only failures with quiet). log_file gets every line, always."""
    err = console(stderr=True)
    log: TextIO | None = log_file.open("a", encoding="utf-8") if log_file else None
    bar = None
    task = None
    if not quiet and err.is_terminal:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        bar = Progress(
            TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
            console=err, transient=True,
        )  # fmt: skip
        task = bar.add_task("", total=total)
        bar.start()

    def on_feed(report: FeedReport) -> None:
        line = log_line(report)
        if log is not None:
            log.write(line + "\n")
            log.flush()
        shown = report.status == "error" or verbose or (bar is None and not quiet)
        if bar is not None and task is not None:
            bar.update(task, advance=1, description=one_line(report.label, 40))
            if shown:
                bar.console.print(
                    safe(line, "red" if report.status == "error" else "dim"), soft_wrap=True
                )
        elif shown:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    try:
        yield on_feed
    finally:
        if bar is not None:
            bar.stop()
        if log is not None:
            log.close()
