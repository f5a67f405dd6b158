"""Evidence around a mention: titles, party/state tags, organization words (pure functions).

A bare surname ("Kim") or an ambiguous full name links only when the document singles out
one candidate; these helpers read what the text says next to the mention ("Sen. Kim
(D-N.J.)", "Rep. Kim, R-Calif.", "New Jersey Democrat Kim") and filter candidates by the
roles the knowledge base holds for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.linking.gazetteer import ActorInfo
from tracker.linking.normalize import fold, words

_STATES = {
    "AL": "alabama ala", "AK": "alaska", "AZ": "arizona ariz", "AR": "arkansas ark",
    "CA": "california calif cal", "CO": "colorado colo", "CT": "connecticut conn",
    "DE": "delaware", "FL": "florida fla", "GA": "georgia", "HI": "hawaii",
    "ID": "idaho", "IL": "illinois ill", "IN": "indiana ind", "IA": "iowa",
    "KS": "kansas kan kans", "KY": "kentucky", "LA": "louisiana", "ME": "maine",
    "MD": "maryland", "MA": "massachusetts mass", "MI": "michigan mich",
    "MN": "minnesota minn", "MS": "mississippi miss", "MO": "missouri", "MT": "montana mont",
    "NE": "nebraska neb nebr", "NV": "nevada nev", "NH": "new_hampshire", "NJ": "new_jersey",
    "NM": "new_mexico", "NY": "new_york", "NC": "north_carolina", "ND": "north_dakota",
    "OH": "ohio", "OK": "oklahoma okla", "OR": "oregon ore", "PA": "pennsylvania penn",
    "RI": "rhode_island", "SC": "south_carolina", "SD": "south_dakota",
    "TN": "tennessee tenn", "TX": "texas tex", "UT": "utah", "VT": "vermont",
    "VA": "virginia", "WA": "washington wash", "WV": "west_virginia wva",
    "WI": "wisconsin wis wisc", "WY": "wyoming wyo", "PR": "puerto_rico", "DC": "district_of_columbia",
    "GU": "guam", "VI": "virgin_islands", "AS": "american_samoa", "MP": "northern_mariana_islands",
}  # fmt: skip
STATE_CODES: dict[str, str] = {}
for _code, _names in _STATES.items():
    STATE_CODES[_code.lower()] = _code
    for _n in _names.split():
        STATE_CODES[_n.replace("_", "")] = _code
STATE_NAMES = {
    n.replace("_", " "): c for c, ns in _STATES.items() for n in ns.split() if len(n) > 4
}

_SENATE = r"Sen|Sens|Senator|Senators"
_HOUSE = r"Rep|Reps|Representative|Representatives|Congressman|Congresswoman|Del|Delegate"
_CHAIR = r"Chairman|Chairwoman|Chair|Ranking\s+Member|Vice\s+Chair"
_TITLE_BEFORE = re.compile(
    rf"(?:^|[^\w])(?P<title>{_SENATE}|{_HOUSE}|{_CHAIR})\.?\s+"
    r"(?:[A-Z][\w'’-]+\s*(?:,\s*|\s+and\s+|\s*&\s*))*$"
)
_PARTY_BEFORE = re.compile(
    r"(?P<party>Democratic|Democrat|Republican|GOP|Independent)\s+(?:\w+\.?\s+)?$"
)
_TAG_AFTER = re.compile(
    r"^(?:['’]s?)?\s*(?:\(|,)\s*(?P<party>[DRI])\s*[-–—]\s*(?P<state>[A-Za-z][A-Za-z.]*(?:\s?[A-Z][a-z.]*)?)"
)
_PARTY_LETTER = {
    "democratic": "D",
    "democrat": "D",
    "republican": "R",
    "gop": "R",
    "independent": "I",
}
# Words that mark a title, party or place rather than a first name, next to a surname.
NAME_NEIGHBOURS = words(
    "sen sens senator senators rep reps representative congressman congresswoman del delegate "
    "chairman chairwoman chair ranking member leader speaker whip mr mrs ms dr gov governor "
    "president secretary democrat democratic republican gop independent and the of "
    "democrats republicans majority minority"
) | frozenset(STATE_CODES)

ORG_WORDS = words(
    "lab labs startup startups company companies firm firms developer developers model models "
    "chatbot chatbots llm llms chinese beijing shanghai hangzhou shenzhen based ceo founder "
    "founded released launched unveiled valued valuation investors funding weights kimi agent "
    "agents subsidiary owned backed maker makers rival rivals competitors tech "
    "technology giant platform app apps inc corp ltd group"
)


@dataclass(frozen=True)
class Evidence:
    """What the text says next to a mention; None where it says nothing."""

    chamber: str | None = None  # "sen" / "rep"
    party: str | None = None
    state: str | None = None
    chair: bool = False

    @property
    def any(self) -> bool:
        return bool(self.chamber or self.party or self.state or self.chair)

    @property
    def tagged(self) -> bool:
        return bool(self.party or self.state)


def state_code(raw: str) -> str | None:
    key = re.sub(r"[^a-z]", "", raw.lower())
    return STATE_CODES.get(key)


def evidence(text: str, start: int, end: int) -> Evidence:
    """Titles before a mention, party/state tags after it: "Sen. Kim (D-N.J.)"."""
    before = text[max(0, start - 60) : start]
    after = text[end : end + 30]
    chamber = party = state = None
    chair = False
    m = _TITLE_BEFORE.search(before)
    if m:
        title = m.group("title").lower()
        if title.startswith("sen"):
            chamber = "sen"
        elif title.startswith(("chair", "ranking", "vice")):
            chair = True
        else:
            chamber = "rep"
        lead = before[: m.start("title")]
        pm = _PARTY_BEFORE.search(lead)
        if pm:
            party = _PARTY_LETTER[pm.group("party").lower()]
        folded = " ".join(fold(lead[-30:]).split())
        for name, code in STATE_NAMES.items():
            if (
                folded.endswith(name)
                or folded.endswith(name + " democrat")
                or folded.endswith(name + " republican")
            ):
                state = code
    else:
        pm = _PARTY_BEFORE.search(before)
        if pm and pm.end() == len(before):
            party = _PARTY_LETTER[pm.group("party").lower()]
            lead = " ".join(fold(before[: pm.start()][-30:]).split())
            for name, code in STATE_NAMES.items():
                if lead.endswith(name):
                    state = code
    t = _TAG_AFTER.match(after)
    if t:
        party = t.group("party")
        state = state_code(t.group("state")) or state_code(t.group("state").split()[0]) or state
    return Evidence(chamber, party, state, chair)


def _chair(info: ActorInfo) -> bool:
    return any("chair" in t or "ranking" in t for t in info.titles)


def fits(info: ActorInfo, ev: Evidence) -> bool:
    """Whether the actor's roles agree with what the text says about chamber, party, state."""
    if ev.chamber and ev.chamber not in info.chambers:
        return False
    if ev.party and ev.party not in info.parties:
        return False
    return not (ev.state and ev.state not in info.states)


def filter_by(infos: Iterable[ActorInfo], ev: Evidence) -> list[ActorInfo]:
    """Candidates the evidence allows; a committee title prefers those who hold one."""
    kept = [i for i in infos if fits(i, ev)]
    if ev.chair:
        chairs = [i for i in kept if _chair(i)]
        if chairs:
            return chairs
    return kept


LEGISLATIVE_WORDS = words(
    "speaker floor chamber lawmakers vote votes voted passed pass bill bills committee "
    "republicans democrats majority minority leader members member session recess cloture"
)


def org_context(text: str, start: int, end: int, kind: str = "") -> bool:
    """Organization words near the mention: "the Beijing startup Moonshot", "Moonshot's model";
    for a legislature, words of its business ("House Speaker", "the Senate floor")."""
    window = fold(text[max(0, start - 80) : start] + " " + text[end : end + 80]).split()
    vocab = LEGISLATIVE_WORDS if kind == "legislature" else ORG_WORDS
    return any(w in vocab for w in window)
