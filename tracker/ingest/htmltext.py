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
_DROP_HINT = re.compile(
    r"<[!?]|<(?:script|style|template|noscript|iframe|object|svg|math|head)\b", re.IGNORECASE
)
_TAG = re.compile(r"</?[A-Za-z][^>]*>|</?>")
_SPACES = re.compile(r"[ \t\u00a0]+")
_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n\n\n+")
_MAYBE_HTML = re.compile(r"[<&]")
# Anything tracker.text.clean() would change besides tabs/newlines: C0/C1 controls, DEL,
# bidi controls, surrogates. Most feed text has none, and then clean() (a per-character
# loop, the slowest step of ingest) is skipped with the same result.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_WS = re.compile(r"\s+")


def fast_clean(text: str, *, keep_newlines: bool = False) -> str:
    """tracker.text.clean(), with a fast path for text that has nothing to remove."""
    if _SUSPECT.search(text):
        return clean(text, keep_newlines=keep_newlines)
    if keep_newlines:
        return text.replace("\t", " ")
    return _WS.sub(" ", text).strip()


def fast_one_line(text: str | None) -> str:
    """tracker.text.one_line() without a limit, via fast_clean."""
    return fast_clean(text) if text else ""


def html_to_text(value: str | None) -> str | None:
    """Visible text of an HTML fragment, paragraphs kept as blank-line breaks; None stays None."""
    if value is None:
        return None
    if not _MAYBE_HTML.search(value):
        text = value
    else:
        text = _DROP.sub(" ", value) if _DROP_HINT.search(value) else value
        text = _BLOCK.sub("\n\n", text)
        text = _TAG.sub("", text)
        if "&" in text:
            text = html.unescape(text)
    text = fast_clean(text, keep_newlines=True)
    text = _SPACES.sub(" ", text)
    text = _AROUND_NEWLINE.sub("\n", text)
    text = _BLANK_LINES.sub("\n\n", text).strip()
    return text or None


def strip_nul(value: str | None) -> str | None:
    """Remove NUL characters (PostgreSQL text cannot hold them); keep everything else."""
    if value is None or "\x00" not in value:
        return value
    return value.replace("\x00", "")
