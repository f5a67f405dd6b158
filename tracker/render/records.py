"""Views for `tracker show` and `tracker load`: a record or an actor with its sourced fields.

Conflicting fields are marked and list every active claim with its source. All data goes
through safe() (literal Text, escapes removed), never through markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.dates import PartialDate
from tracker.render import safe

if TYPE_CHECKING:
    from tracker.records.claims import ClaimView, ResolvedField
    from tracker.records.loader import LoadReport
    from tracker.records.show import ActorDetail, RecordDetail, Ref, SourceInfo

FIELD_LABELS = {
    "status": "status",
    "activity_start_on": "activity began",
    "activity_end_on": "activity ended",
    "disclosed_on": "disclosed",
    "sent_on": "sent",
    "made_public_on": "made public",
    "introduced_on": "introduced",
    "added_on": "added to list",
    "effective_on": "effective",
    "removed_on": "removed from list",
    "occurred_on": "occurred",
}
CONFLICT = "⚠ sources disagree"


def field_label(name: str) -> str:
    if name.startswith("figure."):
        return name.removeprefix("figure.").replace("_", " ")
    return FIELD_LABELS.get(name, name.replace("_", " "))


def format_value(value: Any) -> str:
    """A claim value for people: dates at their precision, figures with their qualifier."""
    if isinstance(value, dict) and "value" in value:
        number = value["value"]
        shown = f"{number:,.0f}" if float(number).is_integer() else f"{number:,}"
        qualifier = value.get("qualifier") or "exactly"
        prefix = "" if qualifier == "exactly" else qualifier.replace("_", " ") + " "
        unit = f" {value['unit']}" if value.get("unit") else ""
        return f"{prefix}{shown}{unit}"
    if isinstance(value, str):
        try:
            return PartialDate.of(value).human() if _looks_like_date(value) else value  # type: ignore[union-attr]
        except Exception:
            return value
    return str(value)


def _looks_like_date(value: str) -> bool:
    return len(value) in (4, 7, 10) and value[:4].isdigit() and value[4:5] in ("", "-")


def claim_source(c: ClaimView) -> str:
    label, title = c.source_outlet or "", c.source_title
    text = f"{label}: {title}" if label and title else (title or label or c.source_slug or "?")
    if c.locator:
        text += f" ({c.locator})"
    return text


def _field_rows(table: Table, fields: tuple[ResolvedField, ...]) -> None:
    for f in fields:
        value = Text()
        value.append_text(safe(format_value(f.value)))
        active = f.active_claims
        if f.conflicting:
            value.append(f"  {CONFLICT}", style="bold red")
            for c in active:
                value.append("\n  • ", style="red")
                value.append_text(safe(format_value(c.value), "red"))
                value.append(" — ", style="dim")
                value.append_text(safe(claim_source(c), "dim"))
        else:
            n = len({c.source_slug or c.source_title for c in active})
            value.append(f"  ({n} source{'s' if n != 1 else ''})", style="dim")
        table.add_row(safe(field_label(f.field), "bold"), value)


def _kv_table() -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    return table


def _ref_text(ref: Ref) -> Text:
    text = Text()
    if ref.role:
        text.append_text(safe(ref.role, "dim"))
        text.append(" ")
    text.append_text(safe(ref.name))
    text.append(" (", style="dim")
    text.append_text(safe(f"{ref.kind}: {ref.slug}" if ref.kind != "actor" else ref.slug, "dim"))
    text.append(")", style="dim")
    if ref.note:
        text.append(" — ", style="dim")
        text.append_text(safe(ref.note, "dim"))
    return text


def _source_text(s: SourceInfo) -> Text:
    text = Text("• ")
    if s.outlet:
        text.append_text(safe(s.outlet, "bold"))
        text.append(": ")
    text.append_text(safe(s.title))
    extra = [x for x in (s.published, s.url or (f"[{s.slug}]" if s.slug else None)) if x]
    if extra:
        text.append("  ")
        text.append_text(safe(" · ".join(extra), "dim"))
    return text


def _heading(title: str, style: str = "bold underline") -> Text:
    return Text("\n" + title, style=style)


def record_view(detail: RecordDetail) -> RenderableType:
    parts: list[RenderableType] = []
    head = Text()
    head.append_text(safe(detail.kind.upper(), "bold magenta"))
    head.append(" ")
    head.append_text(safe(detail.title, "bold"))
    head.append("  ")
    head.append_text(safe(detail.slug, "dim"))
    if detail.as_of:
        head.append(f"  as of {detail.as_of.isoformat()}", style="yellow")
    if detail.conflicting:
        head.append(f"  {CONFLICT}", style="bold red")
    parts.append(head)
    if detail.summary:
        parts.append(safe(detail.summary, keep_newlines=False))
    table = _kv_table()
    for label, value in detail.details:
        table.add_row(safe(label, "bold"), safe(value))
    _field_rows(table, detail.fields)
    parts.append(_heading("Fields"))
    parts.append(table)
    if detail.items:
        parts.append(_heading("Asks" if detail.kind == "letter" else "Capabilities targeted"))
        for i, item in enumerate(detail.items, 1):
            parts.append(Text(f"{i}. ").append_text(safe(item)))
    if detail.steps:
        parts.append(_heading("Actions" if detail.kind == "measure" else "Challenges"))
        for st in detail.steps:
            line = Text()
            line.append_text(safe(format_value(st.date) if st.date else "undated", "bold"))
            line.append("  ")
            line.append_text(safe(st.what))
            if st.outcome:
                line.append("  ")
                line.append_text(safe(f"[{st.outcome}]", "yellow"))
            if st.decided:
                line.append_text(safe(f" decided {format_value(st.decided)}", "dim"))
            if st.text:
                line.append(" — ", style="dim")
                line.append_text(safe(st.text))
            parts.append(line)
    if detail.actors:
        parts.append(_heading("Actors"))
        parts += [_ref_text(r) for r in detail.actors]
    if detail.related:
        parts.append(_heading("Related records"))
        parts += [_ref_text(r) for r in detail.related]
    if detail.timeline is not None:
        from tracker.render.timeline import timeline_view

        parts.append(Text(""))
        parts.append(timeline_view(detail.timeline))
    parts.append(_heading("Sources"))
    parts += [_source_text(s) for s in detail.sources] or [Text("none", style="dim")]
    return Group(*parts)


def actor_view(detail: ActorDetail) -> RenderableType:
    parts: list[RenderableType] = []
    head = Text()
    head.append_text(safe(detail.kind.replace("_", " ").upper(), "bold cyan"))
    head.append(" ")
    head.append_text(safe(detail.name, "bold"))
    head.append("  ")
    head.append_text(safe(detail.slug, "dim"))
    if detail.as_of:
        head.append(f"  as of {detail.as_of.isoformat()}", style="yellow")
    parts.append(head)
    if detail.description:
        parts.append(safe(detail.description))
    table = _kv_table()
    if detail.country:
        table.add_row(Text("country", style="bold"), safe(detail.country))
    if detail.merged_into:
        table.add_row(Text("merged into", style="bold"), _ref_text(detail.merged_into))
    if detail.parent:
        table.add_row(Text("part of", style="bold"), _ref_text(detail.parent))
    if detail.children:
        table.add_row(
            Text("includes", style="bold"), Text("\n").join(_ref_text(c) for c in detail.children)
        )
    if detail.aliases:
        table.add_row(Text("aliases", style="bold"), safe(", ".join(a for a, _ in detail.aliases)))
    for scheme, value in detail.ids:
        table.add_row(safe(scheme, "bold"), safe(value))
    for role in detail.roles:
        table.add_row(Text("role", style="bold"), safe(role))
    parts.append(table)
    shown = len(detail.records)
    count = f"{shown}" if shown == detail.records_total else f"{shown} of {detail.records_total}"
    parts.append(_heading(f"Records ({count})"))
    if not detail.records:
        parts.append(Text("none", style="dim"))
    for entry in detail.records:
        line = _ref_text(entry.ref)
        if entry.status:
            line.append("  ")
            line.append_text(safe(f"[{entry.status}]", "yellow"))
        if any(f.conflicting for f in entry.fields):
            line.append(f"  {CONFLICT}", style="bold red")
        parts.append(line)
        if entry.fields:
            sub = _kv_table()
            _field_rows(sub, entry.fields)
            parts.append(_indent(sub))
    if detail.articles:
        parts.append(_heading(f"Linked articles ({len(detail.articles)})"))
        for a in detail.articles:
            line = Text("• ")
            line.append_text(safe(a.published or "undated", "dim"))
            line.append("  ")
            line.append_text(safe(a.title))
            if a.status != "confirmed":
                line.append("  ")
                line.append_text(safe(f"({a.status}, score {a.score:.2f})", "dim"))
            parts.append(line)
    return Group(*parts)


def _indent(renderable: RenderableType) -> RenderableType:
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, 4))


def show_view(detail: RecordDetail | ActorDetail) -> RenderableType:
    from tracker.records.show import ActorDetail

    return actor_view(detail) if isinstance(detail, ActorDetail) else record_view(detail)


def load_report_view(report: LoadReport) -> Text:
    text = Text()
    text.append("loaded " if report.changed else "unchanged: ", style="bold")
    text.append_text(safe(report.summary()))
    return text
