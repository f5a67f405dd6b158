"""Views of official-data imports: one table row per file, then what changed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.legislation.common import ImportReport
from tracker.render import safe


def import_reports(reports: Sequence[ImportReport], *, verbose: bool = False) -> RenderableType:
    """A table of the files imported (created / updated / unchanged / error) and the changes."""
    names = _short_names([r.path for r in reports])
    table = Table(title="Import", show_lines=False, expand=False)
    for col in ("file", "kind", "created", "updated", "unchanged", "result"):
        table.add_column(
            col, justify="right" if col in ("created", "updated", "unchanged") else "left"
        )
    for r in reports:
        result = safe(r.error, "red") if r.error else Text("ok", style="green")
        table.add_row(
            safe(r.path), safe(r.kind), str(r.created), str(r.updated), str(r.unchanged), result
        )
    parts: list[RenderableType] = [table]
    for r in reports:
        lines = list(r.overrides_kept)
        if verbose:
            lines += list(r.changes) + list(r.warnings)
        else:
            lines += list(r.warnings[:5])
        if lines:
            text = Text()
            text.append_text(safe(names[r.path], "bold"))
            for line in lines:
                text.append("\n  ")
                text.append_text(safe(line))
            parts.append(text)
    return Group(*parts)


def _short_names(paths: list[str]) -> dict[str, str]:
    """Paths without the folder they all share, so the table shows what differs."""
    import os

    if len(paths) < 2:
        return {p: os.path.basename(p) or p for p in paths}
    try:
        root = os.path.commonpath(paths)
    except ValueError:
        return {p: p for p in paths}
    return {p: os.path.relpath(p, root) if p != root else os.path.basename(p) for p in paths}


def report_json(r: ImportReport) -> dict[str, object]:
    return {
        "path": r.path,
        "kind": r.kind,
        "ok": r.ok,
        "error": r.error,
        "created": r.created,
        "updated": r.updated,
        "unchanged": r.unchanged,
        "counts": dict(r.counts),
        "changes": list(r.changes),
        "overrides_kept": list(r.overrides_kept),
        "warnings": list(r.warnings),
    }


def reviews_table(rows: Sequence[object]) -> RenderableType:
    """Pending (or decided) import matches: the imported actor, the existing one, the score."""
    table = Table(title="Import matches to review")
    for col in ("id", "name as listed", "imported actor", "may be", "score", "status"):
        table.add_column(col, justify="right" if col in ("id", "score") else "left")
    for r in rows:
        table.add_row(
            str(r.id),
            safe(r.name),
            safe(r.actor),
            safe(r.candidate),  # type: ignore[attr-defined]
            f"{r.score:.2f}",
            safe(r.status),
        )  # type: ignore[attr-defined]
    if not rows:
        return Text("Nothing to review.")
    return table
