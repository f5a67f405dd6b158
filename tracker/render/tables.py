"""Record tables: one view per kind (incidents, letters, measures, designations)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.render import safe

if TYPE_CHECKING:
    from tracker.query.tables import RecordRow, RecordTable

_PLURAL = {
    "incident": "Incidents",
    "letter": "Letters",
    "measure": "Measures",
    "designation": "Designations",
}


def _names(row: RecordRow, *roles: str, limit: int = 3) -> Text:
    names = row.names(*roles)
    more = len(names) - limit
    label = ", ".join(names[:limit]) + (f" +{more}" if more > 0 else "")
    return safe(label)


def _title(row: RecordRow) -> Text:
    text = safe(row.title, "bold")
    text.append("\n")
    text.append_text(safe(row.slug, "dim"))
    if row.conflicting:
        text.append("\n⚠ conflicting: ", style="bold red")
        text.append_text(safe(", ".join(row.conflicting), "red"))
    return text


def _columns(kind: str) -> list[tuple[str, dict[str, Any]]]:
    common = [("Record", {"ratio": 3, "overflow": "fold"}), ("Status", {"no_wrap": True})]
    per_kind = {
        "incident": [("Disclosed", {"no_wrap": True}), ("Perpetrators", {"ratio": 1}),
                     ("Targets", {"ratio": 1}), ("Exchanges", {"justify": "right"}),
                     ("Accounts", {"justify": "right"})],
        "letter": [("Sent", {"no_wrap": True}), ("Public", {"no_wrap": True}),
                   ("Authors", {"ratio": 2}), ("Recipients", {"ratio": 1}),
                   ("Asks", {"justify": "right"})],
        "measure": [("Id", {"no_wrap": True}), ("Sponsors", {"ratio": 1}),
                    ("Last action", {"ratio": 2, "overflow": "fold"})],
        "designation": [("List", {"ratio": 1}), ("Subject", {"ratio": 1}),
                        ("Added", {"no_wrap": True}), ("Challenges", {"justify": "right"})],
    }  # fmt: skip
    return common + per_kind[kind]


def _cells(row: RecordRow) -> list[Text]:
    f = row.fields
    cells = [_title(row), safe(row.status or "")]
    if row.kind == "incident":
        figures = f.get("figures", {})
        cells += [
            safe(f.get("disclosed") or ""),
            _names(row, "perpetrator"),
            _names(row, "target"),
            safe(figures.get("exchanges", {}).get("label", "")),
            safe(figures.get("accounts", {}).get("label", "")),
        ]
    elif row.kind == "letter":
        cells += [
            safe(f.get("sent") or ""),
            safe(f.get("made_public") or ""),
            _names(row, "author", "signatory"),
            _names(row, "recipient"),
            safe(str(f.get("asks", 0))),
        ]
    elif row.kind == "measure":
        last = f.get("last_action") or {}
        action = safe(last.get("date") or "")
        if last:
            action.append(" ")
            action.append_text(safe(last.get("text") or last.get("type") or "", "dim"))
        cells += [
            safe(f.get("official_id") or f.get("measure_type") or ""),
            _names(row, "sponsor"),
            action,
        ]
    else:
        cells += [
            safe(f.get("list") or ""),
            _names(row, "subject"),
            safe(f.get("added") or ""),
            safe(str(f.get("challenges", 0))),
        ]
    return cells


def record_table_view(table: RecordTable) -> RenderableType:
    heading = Text(f"{_PLURAL[table.kind]} ", style="bold")
    heading.append(f"({len(table.rows)} of {table.total}, by {table.sort})", style="dim")
    if not table.rows:
        return Group(heading, Text("No records match.", style="dim"))
    out = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    for name, opts in _columns(table.kind):
        out.add_column(name, **opts)
    for row in table.rows:
        out.add_row(*_cells(row))
    return Group(heading, out)
