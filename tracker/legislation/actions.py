"""What a measure's official actions say: its status, and the roll-call votes they report.

Both BILLSTATUS schemas carry the same action texts, so deriving these from the actions
(rather than from schema-specific elements) keeps the two schemas' records identical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tracker.legislation.parsed import ParsedAction, ParsedVote, congress_session

_HOUSE_ROLL = re.compile(r"\(Roll no\.\s*(\d+)\)", re.IGNORECASE)
_SENATE_ROLL = re.compile(r"Record Vote (?:Number|No)\s*[.:]?\s*(\d+)", re.IGNORECASE)
_TALLY = re.compile(
    r"(?:recorded vote|Yea-Nay Vote|the Yeas and Nays)[^0-9]{0,12}(\d+)\s*-\s*(\d+)", re.IGNORECASE
)


def result_of(text: str) -> str | None:
    s = text.lower()
    if any(w in s for w in ("failed", "not agreed to", "not passed", "rejected", "not sustained")):
        return "failed"
    if any(w in s for w in ("passed", "agreed to", "adopted", "sustained", "overridden")):
        return "passed"
    return None


def votes_from_actions(
    actions: Iterable[ParsedAction], congress: int
) -> dict[tuple[str, int, int], ParsedVote]:
    """Roll-call votes named in action texts ("Roll no. 287", "Record Vote Number: 331")."""
    out: dict[tuple[str, int, int], ParsedVote] = {}
    for a in actions:
        for pattern, chamber in ((_HOUSE_ROLL, "house"), (_SENATE_ROLL, "senate")):
            m = pattern.search(a.text)
            if not m:
                continue
            roll = int(m.group(1))
            if roll <= 0:
                continue
            session = congress_session(congress, a.acted_on)
            key = (chamber, session, roll)
            tally = _TALLY.search(a.text)
            vote = ParsedVote(
                chamber=chamber,
                congress=congress,
                session=session,
                roll_number=roll,
                voted_on=a.acted_on,
                question=a.text,
                result=result_of(a.text),
                yeas=int(tally.group(1)) if tally else None,
                nays=int(tally.group(2)) if tally else None,
            )
            old = out.get(key)
            # Prefer the chamber's own wording (it carries the tally) over the summary line.
            if old is None or (old.yeas is None and vote.yeas is not None):
                out[key] = vote
    return out


def merge_votes(
    from_text: dict[tuple[str, int, int], ParsedVote], listed: Iterable[ParsedVote]
) -> tuple[ParsedVote, ...]:
    """Votes listed by the file (with URLs) enriched with what the action texts say."""
    out = dict(from_text)
    for v in listed:
        key = (v.chamber, v.session, v.roll_number)
        t = out.get(key)
        out[key] = ParsedVote(
            chamber=v.chamber,
            congress=v.congress,
            session=v.session,
            roll_number=v.roll_number,
            voted_on=v.voted_on or (t.voted_on if t else None),
            question=t.question if t else v.question,
            result=t.result if t else v.result,
            yeas=t.yeas if t else v.yeas,
            nays=t.nays if t else v.nays,
            url=v.url or (t.url if t else None),
        )
    return tuple(out[k] for k in sorted(out))


def bill_status(actions: Iterable[ParsedAction], type_code: str, enacted: bool) -> str:
    """introduced → referred → reported → passed_house/passed_senate → passed/adopted →
    enacted, or vetoed; the furthest stage the actions reach."""
    if enacted:
        return "enacted"
    texts = [a.text.lower() for a in actions]
    joined = "\n".join(texts)
    if "became public law" in joined or "became private law" in joined:
        return "enacted"
    house = any(
        t.startswith(("passed/agreed to in house", "passed house", "on passage passed"))
        or "agreed to in house" in t
        for t in texts
    )
    senate = any(
        t.startswith(("passed/agreed to in senate", "passed senate")) or "agreed to in senate" in t
        for t in texts
    )
    if "vetoed by president" in joined or "pocket vetoed" in joined:
        return "vetoed"
    simple = type_code in ("hres", "sres")
    if simple and (house or senate):
        return "adopted"
    if house and senate:
        return "passed"
    if house:
        return "passed_house"
    if senate:
        return "passed_senate"
    if any(
        "reported by" in t or t.startswith("reported") or "ordered to be reported" in t
        for t in texts
    ):
        return "reported"
    if any("referred to" in t for t in texts):
        return "referred"
    return "introduced"


def amendment_status(actions: Iterable[ParsedAction]) -> str:
    """adopted / failed / withdrawn / offered, from the latest decisive action."""
    status = "offered"
    for a in sorted(actions, key=lambda a: a.acted_on):
        t = a.text.lower()
        if "withdrawn" in t:
            status = "withdrawn"
        elif any(
            w in t
            for w in (
                "not agreed to",
                "failed",
                "fell when",
                "ruled out of order",
                "tabled",
                "not adopted",
            )
        ):
            status = "failed"
        elif "agreed to" in t or "adopted" in t:
            status = "adopted"
    return status


# unitedstates/congress `status` values → our statuses.
JSON_STATUS = {
    "INTRODUCED": "introduced",
    "REFERRED": "referred",
    "REPORTED": "reported",
    "PASS_OVER:HOUSE": "passed_house",
    "PASS_OVER:SENATE": "passed_senate",
    "PASSED:SIMPLERES": "adopted",
    "PASSED:CONSTAMEND": "passed",
    "PASSED:CONCURRENTRES": "passed",
    "PASSED:BILL": "passed",
    "ENACTED:SIGNED": "enacted",
    "ENACTED:VETO_OVERRIDE": "enacted",
    "ENACTED:TENDAYRULE": "enacted",
    "pass": "adopted",
    "fail": "failed",
    "offered": "offered",
    "withdrawn": "withdrawn",
    "submitted": "offered",
    "proposed": "offered",
}


def json_status(value: str | None) -> str | None:
    if not value:
        return None
    if value in JSON_STATUS:
        return JSON_STATUS[value]
    head = value.split(":")[0]
    return {
        "VETOED": "vetoed",
        "PROV_KILL": "failed",
        "FAIL": "failed",
        "PASS_BACK": "passed",
        "CONFERENCE": "passed",
        "ENACTED": "enacted",
        "PASSED": "passed",
    }.get(head)
