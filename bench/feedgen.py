"""RSS 2.0 and Atom 1.0 documents built from generated articles (pure: text in, text out).

The documents look like what news sites publish: HTML summaries (escaped), a CDATA content
block in RSS, RFC 822 dates in RSS and RFC 3339 dates in Atom, categories, authors.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from bench.corpus import GenArticle


def _html(a: GenArticle) -> str:
    half = len(a.summary) // 2
    cut = a.summary.find(". ", half)
    cut = len(a.summary) if cut < 0 else cut + 1
    return f"<p>{a.summary[:cut]}</p>\n<p><em>{a.summary[cut:].strip()}</em> &mdash; more &amp; more.</p>"


def rss(articles: Sequence[GenArticle], title: str, link: str) -> str:
    items = []
    for a in articles:
        when = format_datetime(a.published.replace(tzinfo=timezone.utc))
        items.append(
            "  <item>\n"
            f"   <title>{escape(a.title)}</title>\n"
            f"   <link>{escape(a.url)}</link>\n"
            f'   <guid isPermaLink="false">{escape(a.guid)}</guid>\n'
            f"   <pubDate>{when}</pubDate>\n"
            f"   <dc:creator>Staff {a.index % 17}</dc:creator>\n"
            "   <category>policy</category>\n"
            f"   <description>{escape(_html(a))}</description>\n"
            f"   <content:encoded><![CDATA[{_html(a)}]]></content:encoded>\n"
            "  </item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n <channel>\n'
        f"  <title>{escape(title)}</title>\n  <link>{escape(link)}</link>\n"
        "  <description>Generated benchmark feed</description>\n  <language>en</language>\n"
        + "\n".join(items)
        + "\n </channel>\n</rss>\n"
    )


def atom(articles: Sequence[GenArticle], title: str, link: str) -> str:
    entries = []
    for a in articles:
        when = a.published.strftime("%Y-%m-%dT%H:%M:%SZ")
        entries.append(
            " <entry>\n"
            f"  <title>{escape(a.title)}</title>\n"
            f'  <link rel="alternate" href={quoteattr(a.url)}/>\n'
            f"  <id>{escape(a.guid)}</id>\n"
            f"  <published>{when}</published>\n  <updated>{when}</updated>\n"
            f"  <author><name>Staff {a.index % 17}</name></author>\n"
            '  <category term="policy"/>\n'
            f'  <summary type="html">{escape(_html(a))}</summary>\n'
            f'  <content type="html">{escape(_html(a))}</content>\n'
            " </entry>"
        )
    updated = max((a.published for a in articles), default=None)
    stamp = updated.strftime("%Y-%m-%dT%H:%M:%SZ") if updated else "2026-11-01T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f" <title>{escape(title)}</title>\n <link href={quoteattr(link)}/>\n"
        f" <id>{escape(link)}</id>\n <updated>{stamp}</updated>\n"
        + "\n".join(entries)
        + "\n</feed>\n"
    )
