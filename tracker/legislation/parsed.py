"""What the official-data parsers produce: plain frozen values, the same for every format.

billstatus.py (both GovInfo schemas) and congress_json.py turn files into ParsedMeasure
values; store.py writes them. Comparing two ParsedMeasure values is how the tests show
that the two BILLSTATUS schemas give the same records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

# Official type codes → (measure_type, chamber, printed label).
TYPES: dict[str, tuple[str, str, str]] = {
    "hr": ("bill", "house", "H.R."),
    "s": ("bill", "senate", "S."),
    "hres": ("resolution", "house", "H.Res."),
    "sres": ("resolution", "senate", "S.Res."),
    "hjres": ("joint_resolution", "house", "H.J.Res."),
    "sjres": ("joint_resolution", "senate", "S.J.Res."),
    "hconres": ("concurrent_resolution", "house", "H.Con.Res."),
    "sconres": ("concurrent_resolution", "senate", "S.Con.Res."),
    "hamdt": ("amendment", "house", "H.Amdt."),
    "samdt": ("amendment", "senate", "S.Amdt."),
    "suamdt": ("amendment", "senate", "S.Up.Amdt."),
}
_OFFICIAL = re.compile(r"^([a-z]+)(\d+)-(\d+)$")


def official_id(type_code: str, number: object, congress: object) -> str:
    """('HR', 3838, 119) → 'hr3838-119' (the unitedstates/congress form)."""
    code = str(type_code).strip().lower().replace(".", "").replace(" ", "")
    return f"{code}{int(str(number).strip())}-{int(str(congress).strip())}"


def split_official_id(value: str) -> tuple[str, int, int] | None:
    m = _OFFICIAL.match(value.strip().lower())
    if not m or m.group(1) not in TYPES:
        return None
    return m.group(1), int(m.group(2)), int(m.group(3))


def label(value: str) -> str:
    """'hr3838-119' → 'H.R. 3838 (119th)'; unknown ids come back unchanged."""
    parts = split_official_id(value)
    if parts is None:
        return value
    code, number, congress = parts
    return f"{TYPES[code][2]} {number} ({ordinal(congress)})"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def congress_session(congress: int, day: date) -> int:
    """The session a date falls in (the first session starts in the congress's odd year)."""
    return 1 if day.year <= 1789 + 2 * (congress - 1) else 2


@dataclass(frozen=True)
class MemberRef:
    """A sponsor or cosponsor as the file names them; bioguide is the match key."""

    bioguide: str | None
    name: str
    party: str | None = None
    state: str | None = None
    district: str | None = None
    joined_on: date | None = None
    withdrawn_on: date | None = None
    original: bool | None = None


@dataclass(frozen=True)
class ParsedAction:
    acted_on: date
    text: str
    action_type: str
    code: str | None = None
    chamber: str | None = None


@dataclass(frozen=True)
class ParsedTitle:
    kind: str  # display / official / short / popular / other
    title: str
    title_type: str | None = None


@dataclass(frozen=True)
class ParsedCommittee:
    code: str  # thomas-style code, e.g. "SSBK" or "HSAS06"
    name: str
    chamber: str | None
    activity: str
    acted_on: date | None


@dataclass(frozen=True)
class ParsedVote:
    chamber: str
    congress: int
    session: int
    roll_number: int
    voted_on: date | None = None
    question: str | None = None
    result: str | None = None
    yeas: int | None = None
    nays: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class ParsedRelated:
    official_id: str
    relation: str
    identified_by: str | None = None


@dataclass(frozen=True)
class ParsedMeasure:
    official_id: str
    measure_type: str
    chamber: str | None
    congress: int
    number: int
    title: str
    status: str | None = None
    summary: str | None = None
    introduced_on: date | None = None
    vehicle_ref: str | None = None  # the measure an amendment amends
    amends_amendment_ref: str | None = None  # for second-degree amendments
    titles: tuple[ParsedTitle, ...] = ()
    sponsors: tuple[MemberRef, ...] = ()
    cosponsors: tuple[MemberRef, ...] = ()
    committees: tuple[ParsedCommittee, ...] = ()
    actions: tuple[ParsedAction, ...] = ()
    votes: tuple[ParsedVote, ...] = ()
    related: tuple[ParsedRelated, ...] = ()
    laws: tuple[tuple[str, str], ...] = ()  # (law_type, number)
    source_updated_at: datetime | None = None
    url: str | None = None

    @property
    def type_code(self) -> str:
        parts = split_official_id(self.official_id)
        return parts[0] if parts else ""
