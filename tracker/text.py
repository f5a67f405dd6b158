"""Making hostile text safe to show: no terminal escapes, no control or bidi characters.

Rich markup is never interpreted for data because render.py builds rich.text.Text
objects (which take strings literally); this module removes what a terminal itself
would interpret.
"""

from __future__ import annotations

import re
import unicodedata

# CSI, OSC (terminated by BEL or ST), DCS/SOS/PM/APC strings, and lone two-byte escapes.
_ANSI = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI ... final byte
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)? # OSC ... BEL or ST
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?     # DCS, SOS, PM, APC
    | \x1b[@-Z\\-_]                     # other 2-byte sequences
    | \x9b[0-?]*[ -/]*[@-~]             # 8-bit CSI
    | \x9d[^\x07\x9c]*[\x07\x9c]?       # 8-bit OSC
    """,
    re.VERBOSE,
)
# Bidi embedding/override/isolate controls and other invisible format characters that can
# reorder or hide what a reader sees.
_BIDI = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"), None
)


def clean(text: object, *, keep_newlines: bool = False) -> str:
    """Return text with escape sequences, control characters and bidi controls removed."""
    if text is None:
        return ""
    s = _ANSI.sub("", str(text))
    s = s.translate(_BIDI)
    out = []
    for ch in s:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\t\n\r\f\v":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs") or ch == "\x7f":
            continue
        else:
            out.append(ch)
    result = "".join(out)
    if not keep_newlines:
        result = " ".join(result.split())
    return result


def one_line(text: object, limit: int | None = None) -> str:
    s = clean(text)
    if limit is not None and len(s) > limit:
        return s[: max(limit - 1, 0)].rstrip() + "…"
    return s
