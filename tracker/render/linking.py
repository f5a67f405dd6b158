"""Views for linking: link summaries, actors, linked articles, the review queue, dedupe.

Every string from the database or a feed goes through `safe()` (a literal, cleaned Text),
never through anything that parses markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tracker.render import safe
from tracker.text import clean

if TYPE_CHECKING:
    from tracker.linking.api import LinkSummary
    from tracker.linking.dedupe import PairScore
    from tracker.linking.listing import ActorRow, ArticleView, ReviewItem, SuggestionItem

STATUS_STYLES = {"auto": "green", "confirmed": "bold green", "review": "yellow", "rejected": "red"}


def summary_line(s: LinkSummary) -> Text:
    text = Text()
    text.append(f"linked {s.articles} article{'s' if s.articles != 1 else ''}: ")
    text.append(f"{s.added} new, {s.updated} updated, {s.removed} removed, {s.unchanged} unchanged")
    text.append(f"; {s.auto} auto, {s.confirmed} confirmed, ", style="dim")
    text.append(f"{s.review} to review", style="yellow" if s.review else "dim")
    text.append(f", {s.rejected} rejected", style="dim")
    if s.suggestions or s.stories:
        text.append(f"; {s.suggestions} record suggestions, {s.stories} grouped into stories")
    text.append(f" ({s.seconds:.2f}s)", style="dim")
    return text


_PREFERRED_IDS = ("bioguide", "wikidata", "congress_committee", "thomas")


def _id_order(item: tuple[str, str]) -> tuple[int, str]:
    scheme = item[0]
    rank = _PREFERRED_IDS.index(scheme) if scheme in _PREFERRED_IDS else len(_PREFERRED_IDS)
    return rank, scheme


def actors_table(rows: list[ActorRow]) -> RenderableType:
    if not rows:
        return Text("no actors match", style="dim")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for col in ("slug", "name", "kind", "ids", "articles", "aliases"):
        table.add_column(col, justify="right" if col == "articles" else "left")
    for r in rows:
        ids = ", ".join(f"{k}:{v}" for k, v in sorted(r.ids.items(), key=_id_order)[:2])
        aliases = "; ".join(r.aliases[:3]) + ("…" if len(r.aliases) > 3 else "")
        name = safe(r.name)
        if r.merged_into:
            name.append(f" (merged into {clean(r.merged_into)})", style="dim")
        table.add_row(safe(r.slug, "bold"), name, safe(r.kind), safe(ids, "dim"),
                      Text(str(r.articles)), safe(aliases, "dim"))  # fmt: skip
    return table


def _actors_cell(view: ArticleView) -> Text:
    text = Text()
    for i, a in enumerate(view.actors):
        if i:
            text.append(", ")
        text.append_text(safe(a.slug, STATUS_STYLES.get(a.status)))
        if a.status != "auto":
            text.append(f" ({a.status})", style="dim")
    return text


def articles_table(views: list[ArticleView]) -> RenderableType:
    if not views:
        return Text("no articles match", style="dim")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("published", no_wrap=True)
    table.add_column("feed")
    table.add_column("title", ratio=3)
    table.add_column("actors", ratio=2)
    for v in views:
        when = v.published.strftime("%Y-%m-%d") if v.published else "—"
        table.add_row(Text(when), safe(v.feed, "dim"), safe(v.title or v.url or "(untitled)"),
                      _actors_cell(v))  # fmt: skip
    return table


def _piece(raw: str) -> str:
    """Cleaned text keeping one space where the original had space at either end (the
    sentinels stop clean() from trimming it)."""
    return clean(f"a{raw}a")[1:-1] if raw else ""


def snippet(text: str, start: int, end: int, width: int = 70) -> Text:
    """The text around a mention, the mention highlighted (all of it literal)."""
    a, b = max(0, start - width), min(len(text), end + width)
    out = Text("…" if a else "")
    out.append(_piece(text[a:start]))
    out.append(clean(text[start:end]), style="bold reverse")
    out.append(_piece(text[end:b]))
    if b < len(text):
        out.append("…")
    return out


def review_card(item: ReviewItem, position: int, total: int) -> RenderableType:
    link, art = item.link, item.article
    head = Text(f"[{position}/{total}] link {link.link_id}  ")
    head.append_text(safe(link.name, "bold"))
    head.append(f" ({clean(link.slug)}, {clean(link.kind)})  score {link.score:.2f}")
    lines: list[RenderableType] = [head, safe(art.title or art.url or "(untitled)", "italic")]
    lines.append(
        safe(f"{art.feed} · {art.published:%Y-%m-%d}" if art.published else art.feed, "dim")
    )
    if link.reason:
        lines.append(safe(f"why: {link.reason}", "dim"))
    for m in link.mentions[:3]:
        lines.append(snippet(art.text, m.start, m.end))
    return Panel(Group(*lines), box=box.ROUNDED, expand=True)


def review_table(items: list[ReviewItem]) -> RenderableType:
    if not items:
        return Text("nothing to review", style="dim")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for col in ("id", "score", "actor", "mention", "article", "why"):
        table.add_column(col, justify="right" if col in ("id", "score") else "left")
    for it in items:
        mention = it.link.mentions[0].text if it.link.mentions else ""
        table.add_row(Text(str(it.link.link_id)), Text(f"{it.link.score:.2f}"),
                      safe(it.link.slug, "bold"), safe(mention),
                      safe(it.article.title or it.article.url or ""), safe(it.link.reason or "", "dim"))  # fmt: skip
    return table


def dedupe_table(pairs: list[PairScore]) -> RenderableType:
    if not pairs:
        return Text("no likely duplicates", style="dim")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for col in ("score", "actor", "duplicate?", "why"):
        table.add_column(col)
    for p in pairs:
        table.add_row(Text(f"{p.score:.2f}"), safe(p.left, "bold"), safe(p.right, "bold"),
                      safe(p.reason, "dim"))  # fmt: skip
    return table


def suggestions_table(items: list[SuggestionItem]) -> RenderableType:
    if not items:
        return Text("no record suggestions waiting", style="dim")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for col in ("id", "score", "record", "article", "why"):
        table.add_column(col, justify="right" if col in ("id", "score") else "left")
    for it in items:
        table.add_row(Text(str(it.id)), Text(f"{it.score:.2f}"), safe(it.record, "bold"),
                      safe(it.article_title or it.url or ""), safe(it.reason or "", "dim"))  # fmt: skip
    return table
