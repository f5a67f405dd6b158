"""HTML → clean plain text for search and linking (the original HTML is kept beside it).

Feed HTML is hostile: scripts, styles, comments, entities that decode to control
characters, terminal escapes. This converter is regex-based on purpose: it is fast (it
runs for every item of every pull) and it never raises, whatever it is given.
"""

from __future__ import annotations

import html
import re

from tracker.text import clean

_DROP = re.compile(
    r"<!--.*?(?:-->|$)"  # comments (unterminated ones run to the end)
    r"|<(script|style|template|noscript|iframe|object|svg|math|head)\b[^>]*>.*?(?:</\1\s*>|$)"
    r"|<!\[CDATA\[.*?(?:\]\]>|$)"
    r"|<![^>]*>|<\?[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK = re.compile(
    r"<\s*/?\s*(?:p|div|br|hr|li|ul|ol|dl|dt|dd|tr|table|thead|tbody|h[1-6]|blockquote|pre|"
    r"section|article|header|footer|figure|figcaption|aside|nav|main|address)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"</?[A-Za-z][^>]*>|</?>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_MAYBE_HTML = re.compile(r"[<&]")


def html_to_text(value: str | None) -> str | None:
    """Visible text of an HTML fragment, paragraphs kept as blank-line breaks; None stays None."""
    if value is None:
        return None
    if not _MAYBE_HTML.search(value):
        text = value
    else:
        text = _DROP.sub(" ", value)
        text = _BLOCK.sub("\n\n", text)
        text = _TAG.sub("", text)
        text = html.unescape(text)
    text = clean(text, keep_newlines=True)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    return text or None


def strip_nul(value: str | None) -> str | None:
    """Remove NUL characters (PostgreSQL text cannot hold them); keep everything else."""
    if value is None or "\x00" not in value:
        return value
    return value.replace("\x00", "")
