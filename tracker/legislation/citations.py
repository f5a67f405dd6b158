"""Bill and amendment mentions in text (pure: text in, citations out).

Three kinds, from most to least certain:

- official citations: "H.R. 3838", "HR 3838", "S.2296", "H.Res. 24", "H.J.Res. 7",
  "H.Amdt. 123", "S.Amdt.2345 to S.2296", "SA 3001"; the congress comes from the text
  ("119th Congress") or from the article's date;
- popular names: "the NDAA", "the fiscal 2026 defense bill", "the annual defense policy
  bill" (fiscal year from the text, else the one Congress works on at that date), and
  any short or popular title of a loaded measure ("the CHIPS Act") — see measure_links.py;
- sponsor-named measures: "the Hagerty–Kim amendment", "the Huizenga/Kamlager-Dove bill".

Resolution against the database is in measure_links.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Printed type → official type code.
_TYPE_WORDS = [
    (r"H\.?\s?Con\.?\s?Res\.?", "hconres"),
    (r"S\.?\s?Con\.?\s?Res\.?", "sconres"),
    (r"H\.?\s?J\.?\s?Res\.?", "hjres"),
    (r"S\.?\s?J\.?\s?Res\.?", "sjres"),
    (r"H\.?\s?Res\.?", "hres"),
    (r"S\.?\s?Res\.?", "sres"),
    (r"H\.?\s?Amdt\.?", "hamdt"),
    (r"S\.?\s?Up\.?\s?Amdt\.?", "suamdt"),
    (r"S\.?\s?Amdt\.?", "samdt"),
    (r"H\.\s?R\.?|HR\b", "hr"),
    (r"S\.", "s"),
    (r"SA\b", "samdt"),
]
_TYPE_RE = "|".join(f"(?P<t{i}>{p})" for i, (p, _) in enumerate(_TYPE_WORDS))
_CITE = re.compile(rf"(?<![\w.])(?:{_TYPE_RE})\s?(?P<num>\d{{1,5}})(?![\d,]*\d)(?!\.\d)")
_TO = re.compile(r"\s*(?:,\s*)?(?:to|amending)\s+(?:the\s+)?", re.IGNORECASE)
_AFTER = re.compile(
    r"[\s,(—–-]*(?:(?:in|of|from|during)\s+the\s+)?(\d{2,3})(?:st|nd|rd|th)\s+Congress\b",
    re.IGNORECASE,
)
_CONGRESS = re.compile(r"\b(\d{2,3})(?:st|nd|rd|th)\s+Congress\b", re.IGNORECASE)
_NDAA = re.compile(
    r"\b(?:the\s+)?(?:(?:FY\s?|fiscal(?:\s+year)?\s+)(?P<fy1>(?:20)?\d{2})\s+)?"
    r"(?:NDAA|National\s+Defense\s+Authorization\s+Act|(?:annual\s+)?defen[cs]e\s+"
    r"(?:policy\s+|authori[sz]ation\s+)?bill)"
    r"(?:\s+(?:for\s+)?(?:fiscal\s+(?:year\s+)?|FY\s?)(?P<fy2>(?:20)?\d{2}))?",
    re.IGNORECASE,
)
_NAME = r"[A-Z][A-Za-z'’]+(?:-[A-Z][A-Za-z'’]+)*"
_SPONSORED = re.compile(
    rf"\b(?P<names>{_NAME}(?:\s*(?:[–—/-]|\band\b)\s*{_NAME}){{0,3}})(?:['’]s)?\s+"
    r"(?P<what>amendment|bill|legislation|resolution)\b"
)
_NOT_NAMES = {
    "The",
    "A",
    "An",
    "This",
    "That",
    "House",
    "Senate",
    "Defense",
    "Annual",
    "New",
    "Bipartisan",
    "Republican",
    "Democratic",
    "Their",
    "His",
    "Her",
    "Its",
    "Our",
    "Spending",
    "Funding",
    "Appropriations",
    "Farm",
    "Tax",
    "Immigration",
    "Border",
}


@dataclass(frozen=True)
class Citation:
    """One mention of a measure in a text, with its character span."""

    kind: str  # "official" / "ndaa" / "sponsors"
    start: int
    end: int
    text: str
    type_code: str | None = None
    number: int | None = None
    congress: int | None = None
    vehicle: Citation | None = None  # "S.Amdt.2345 to S.2296": the S.2296 citation
    fiscal_year: int | None = None
    names: tuple[str, ...] = ()  # sponsor surnames, as written
    what: str | None = None  # amendment / bill / legislation / resolution

    def official_id(self) -> str | None:
        if self.type_code and self.number and self.congress:
            return f"{self.type_code}{self.number}-{self.congress}"
        return None


def congress_of(day: date) -> int:
    """The Congress sitting on a date (each starts on January 3 of an odd year)."""
    year = day.year - (1 if (day.month, day.day) < (1, 3) else 0)
    return (year - 1789) // 2 + 1


def _type_code(m: re.Match[str]) -> str:
    for i, (_, code) in enumerate(_TYPE_WORDS):
        if m.group(f"t{i}"):
            return code
    raise AssertionError("unreachable")


def _congress_near(text: str, start: int, end: int) -> int | None:
    """A Congress named right next to a citation: "H.R. 7900 (117th Congress)"."""
    after = _AFTER.match(text[end : end + 50])
    if after:
        return int(after.group(1))
    before = list(_CONGRESS.finditer(text[max(0, start - 30) : start]))
    if before and text[max(0, start - 30) + before[-1].end() : start].strip(" ,'’s") == "":
        return int(before[-1].group(1))
    return None


def find_citations(text: str, published: date | None = None) -> list[Citation]:
    """Every official citation, NDAA reference and sponsor-named measure in text."""
    default = congress_of(published) if published else None
    out: list[Citation] = []
    for m in _CITE.finditer(text):
        code = _type_code(m)
        number = int(m.group("num"))
        if number == 0:
            continue
        congress = _congress_near(text, m.start(), m.end()) or default
        out.append(Citation("official", m.start(), m.end(), m.group(0), code, number, congress))
    # "S.Amdt. 2345 to S. 2296": the amendment's vehicle is the citation right after "to".
    linked = []
    for i, c in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if (c.type_code or "").endswith("amdt") and nxt and _TO.fullmatch(text[c.end : nxt.start]):
            c = Citation(
                c.kind, c.start, c.end, c.text, c.type_code, c.number, c.congress, vehicle=nxt
            )
        linked.append(c)
    out = linked
    for m in _NDAA.finditer(text):
        fy = m.group("fy1") or m.group("fy2")
        year = None
        if fy:
            year = int(fy) + (2000 if len(fy) == 2 else 0)
        elif published:
            # Work on the FY(N+1) bill runs through calendar year N.
            year = published.year + 1
        out.append(
            Citation(
                "ndaa", m.start(), m.end(), m.group(0).strip(), fiscal_year=year, congress=default
            )
        )
    for m in _SPONSORED.finditer(text):
        names = tuple(n for n in re.split(r"\s*(?:[–—/]|\band\b)\s*", m.group("names")) if n)
        names = tuple(n for n in names if n not in _NOT_NAMES)
        if not names:
            continue
        out.append(
            Citation(
                "sponsors",
                m.start("names"),
                m.end(),
                m.group(0),
                names=names,
                what=m.group("what").lower(),
                congress=default,
            )
        )
    return sorted(out, key=lambda c: (c.start, c.end))
