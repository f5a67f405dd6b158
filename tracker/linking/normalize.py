"""Name and text normalization for the gazetteer (pure functions, no database).

One folding is shared by aliases and article text so that an alias found in the text is
found by exact string search: lower case, accents removed, every character that is not a
letter or digit turned into a space (dashes, periods, apostrophes), spaces collapsed.

`fold()` keeps the text's length, so a match in folded text maps back to the same
character offsets in the original; `normalize()` is `fold()` plus collapsing, for aliases.
Variant generation (`name_variants`) strips what news adds around a name: titles and
honorifics (Sen., Chairman), party/state tags ("(D-N.J.)", "R-Tenn."), generational
suffixes (Jr., III) and corporate suffixes (Inc., Group, Holding).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x250):
        ch = chr(cp)
        if ch.isalnum():
            base = unicodedata.normalize("NFKD", ch.lower())
            base = "".join(c for c in base if not unicodedata.combining(c))
            table[cp] = base if len(base) == 1 and base.isalnum() else ch.lower()[:1]
        else:
            table[cp] = " "
    for cp in range(0x2000, 0x2070):  # general punctuation: dashes, quotes, spaces, bullets
        table[cp] = " "
    for ch in "ıł":
        table[ord(ch)] = "i" if ch == "ı" else "l"
    table[ord("ß")] = "s"
    table[ord("·")] = " "
    return table


_TABLE = _build_table()
# The same folding for pure-ASCII text as a byte table: bytes.translate runs in C at memory
# speed, where str.translate looks each character up in a dict.
_ASCII = bytes(ord(_TABLE[i]) for i in range(128)) + bytes(range(128, 256))
_SPACES = re.compile(r" {2,}")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b|(?<=s)['’](?=\s|$)")
_TAG = re.compile(
    r"\(\s*[DRIL]\s*[-–—]\s*[^)]{1,30}\)|,?\s*\b[DRIL]\s*[-–—]\s*[A-Z][A-Za-z.]{1,10}(?:\s?[A-Z][a-z.]*)?\b\.?"
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def words(text: str) -> frozenset[str]:
    """A word set written as one string (keeps the lists below readable)."""
    return frozenset(text.split())


TITLES = words(
    "sen senator senators rep reps representative congressman congresswoman del delegate "
    "chairman chairwoman chair cochair president vice secretary gov governor mr mrs ms miss dr "
    "hon honorable the leader speaker ranking member majority minority judge justice ambassador "
    "gen general adm admiral ceo commissioner mayor minister prime premier sir lady lord"
)
SUFFIXES = words("jr sr ii iii iv phd md esq")
CORPORATE = words(
    "inc incorporated corp corporation co company ltd limited llc plc group holding holdings ag sa "
    "se nv gmbh pbc lp llp"
)
# For AI labs and companies only: "Moonshot AI" → "moonshot", "Zhipu Technology" → "zhipu".
LAB_SUFFIXES = words("ai technology technologies labs lab")
PARTICLES = words("van von de del della der di la le da dos du st mac")
ORG_KINDS = frozenset({"company", "ai_lab", "organization", "media_outlet"})


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation→space; the same length as `text`."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII).decode("ascii")
    low = text.lower()
    if len(low) != len(text):  # a few characters (İ) lower-case to two
        low = "".join(ch.lower()[:1] or " " for ch in text)
    return low.translate(_TABLE)


@lru_cache(maxsize=100_000)
def normalize(text: str) -> str:
    """The normalized form of a name: "Alibaba's" → "alibaba", "Hagerty–Kim" → "hagerty kim"."""
    text = _POSSESSIVE.sub("", text or "")
    return _SPACES.sub(" ", fold(text)).strip()


def despace(norm: str) -> str:
    return norm.replace(" ", "")


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Frequent English words (and a few brand words) that need extra evidence as names."""
    raw = resources.files("tracker.linking").joinpath("data/common_words.txt").read_text("utf-8")
    found: set[str] = set()
    for line in raw.splitlines():
        if not line.startswith("#"):
            found.update(line.split())
    return frozenset(found)


def strip_tags(name: str) -> str:
    """Remove party/state tags: "Andy Kim (D-N.J.)" → "Andy Kim"."""
    return _TAG.sub(" ", name)


def _strip_tokens(tokens: list[str], *, person: bool) -> list[str]:
    while len(tokens) > 1 and tokens[0] in TITLES:
        tokens = tokens[1:]
    if person:
        while len(tokens) > 1 and tokens[-1] in SUFFIXES:
            tokens = tokens[:-1]
    return tokens


def person_core(name: str) -> str:
    """A person's name without titles, tags and suffixes: "Sen. Bill Hagerty (R-Tenn.)" →
    "bill hagerty"."""
    return " ".join(_strip_tokens(normalize(strip_tags(name)).split(), person=True))


def surname(name: str) -> str | None:
    """The family name as news would print it alone: "Chris Van Hollen" → "van hollen",
    "Sydney Kamlager-Dove" → "kamlager dove", "Bill Hagerty IV" → "hagerty"."""
    words = strip_tags(name).replace(",", " ").split()
    while len(words) > 1 and normalize(words[-1]) in SUFFIXES:
        words = words[:-1]
    while len(words) > 1 and normalize(words[0]) in TITLES:
        words = words[1:]
    if len(words) < 2:
        return None
    last = [words[-1]]
    i = len(words) - 2
    while i > 0 and normalize(words[i]) in PARTICLES:  # "De La Cruz", "Van Hollen"
        last.insert(0, words[i])
        i -= 1
    out = normalize(" ".join(last))
    return out if len(out.replace(" ", "")) >= 3 else None


def corporate_cores(name: str, kind: str) -> list[str]:
    """Shorter forms of an organization name: "Alibaba Group Holding Ltd." → "alibaba group
    holding", "alibaba group", "alibaba"."""
    tokens = _strip_tokens(normalize(name).split(), person=False)
    strip = CORPORATE | (LAB_SUFFIXES if kind in ("ai_lab", "company") else frozenset())
    out = []
    while len(tokens) > 1 and tokens[-1] in strip:
        tokens = tokens[:-1]
        core = " ".join(tokens)
        if len(core.replace(" ", "")) >= 3:
            out.append(core)
    return out


def camel_variants(name: str) -> list[str]:
    """Spacing variants of camel-case brands: "DeepSeek" → "deep seek"; "Deep Seek" → "deepseek"."""
    out = []
    split = normalize(_CAMEL.sub(" ", name))
    if split != normalize(name):
        out.append(split)
    norm = normalize(name)
    tokens = norm.split()
    if 1 < len(tokens) <= 3 and all(
        len(t) > 1 and t not in CORPORATE | LAB_SUFFIXES for t in tokens
    ):
        out.append(despace(norm))
    return out


def name_variants(name: str, kind: str) -> list[tuple[str, str]]:
    """Generated aliases for one name of an actor, as (normalized, note) pairs.

    Notes say what the variant is: "core" (titles, tags, suffixes removed), "first_last"
    (middle names dropped), "surname" (needs context to link), "corporate" (suffix
    dropped), "spacing" (camel case split or joined).
    """
    base = normalize(name)
    out: dict[str, str] = {}
    if kind == "person":
        core = person_core(name)
        if core and core != base:
            out[core] = "core" if " " in core else "surname"  # "Sen. Kim" → "kim" alone
        tokens = core.split()
        if len(tokens) >= 3:
            sur = surname(name) or tokens[-1]
            first_last = f"{tokens[0]} {sur}"
            if first_last != core:
                out.setdefault(first_last, "first_last")
        sur = surname(name)
        if sur and sur != core:
            out.setdefault(sur, "surname")
    else:
        for core in corporate_cores(name, kind):
            out.setdefault(core, "corporate")
        for v in camel_variants(name):
            out.setdefault(v, "spacing")
    out.pop(base, None)
    return [(k, v) for k, v in out.items() if k]
