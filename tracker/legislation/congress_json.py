"""unitedstates/congress `data.json` (bills and amendments) into ParsedMeasure values.

The same measure from this file and from BILLSTATUS XML has the same official id, so the
two merge into one measure (store.py). Sponsors whose entry is a committee rather than a
person are reported, not turned into people.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.errors import ParseError
from tracker.legislation.actions import json_status, merge_votes, result_of, votes_from_actions
from tracker.legislation.common import parse_day
from tracker.legislation.parsed import (
    TYPES,
    MemberRef,
    ParsedAction,
    ParsedCommittee,
    ParsedMeasure,
    ParsedRelated,
    ParsedTitle,
    ParsedVote,
    congress_session,
    label,
    split_official_id,
)

_TITLE_ORDER = {"display": 0, "official": 1, "short": 2, "popular": 3}


def _s(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _stamp(value: object) -> datetime | None:
    text = _s(value)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def person_name(raw: str) -> str:
    """'Rogers, Mike D.' → 'Mike Rogers' (first name and surname, as BILLSTATUS gives them)."""
    if "," not in raw:
        return raw
    last, _, rest = raw.partition(",")
    first = rest.split()[0] if rest.split() else ""
    return " ".join(x for x in (first, last.strip()) if x)


def _member(d: dict[str, Any], warnings: list[str]) -> MemberRef | None:
    if not isinstance(d, dict):
        return None
    if d.get("type") not in (None, "person"):
        warnings.append(f"sponsor {d.get('name')!r} is a {d.get('type')}, not a person; not linked")
        return None
    name = person_name(_s(d.get("name")) or "unknown member")
    district = _s(d.get("district"))
    original = d.get("original_cosponsor")
    return MemberRef(
        bioguide=_s(d.get("bioguide_id")),
        name=name,
        state=_s(d.get("state")),
        district=district if district not in (None, "0") else None,
        joined_on=parse_day(d.get("sponsored_at")),
        withdrawn_on=parse_day(d.get("withdrawn_at")),
        original=original if isinstance(original, bool) else None,
    )


def _chamber(action: dict[str, Any]) -> str | None:
    where = action.get("where")
    if where in ("h", "s"):
        return "house" if where == "h" else "senate"
    code = str(action.get("action_code") or "")
    if code.startswith(("H", "Intro-H")):
        return "house"
    if code.startswith(("S", "Intro-S")):
        return "senate"
    return None


def _actions(items: list[Any], congress: int) -> tuple[tuple[ParsedAction, ...], list[ParsedVote]]:
    rows, votes = [], []
    for i, a in enumerate(items or []):
        if not isinstance(a, dict):
            continue
        day = parse_day(a.get("acted_at"))
        if day is None:
            continue
        action = ParsedAction(
            acted_on=day,
            text=_s(a.get("text")) or "",
            action_type=_s(a.get("type")) or "unknown",
            code=_s(a.get("action_code")),
            chamber=_chamber(a),
        )
        rows.append(((str(a.get("acted_at")), i), action))
        roll = str(a.get("roll") or "").strip()
        if roll.isdigit() and int(roll) > 0 and action.chamber:
            votes.append(
                ParsedVote(
                    chamber=action.chamber,
                    congress=congress,
                    session=congress_session(congress, day),
                    roll_number=int(roll),
                    voted_on=day,
                    question=action.text,
                    result=result_of(action.text)
                    or {"pass": "passed", "fail": "failed"}.get(str(a.get("result"))),
                )
            )
    rows.sort(key=lambda r: r[0])
    return tuple(a for _, a in rows), votes


def _titles(d: dict[str, Any]) -> tuple[ParsedTitle, ...]:
    seen: dict[tuple[str, str], ParsedTitle] = {}
    for t in d.get("titles") or []:
        if not isinstance(t, dict) or not _s(t.get("title")):
            continue
        kind = t.get("type") if t.get("type") in _TITLE_ORDER else "other"
        as_ = _s(t.get("as"))
        title = _s(t.get("title"))[:1000]  # type: ignore[index]
        seen.setdefault(
            (kind, title), ParsedTitle(kind, title, f"{kind} as {as_}" if as_ else kind)
        )
    return tuple(seen.values())


def parse_congress_json(path: str | Path) -> tuple[ParsedMeasure, tuple[str, ...]]:
    """The measure in a data.json file and warnings about it. Raises ParseError."""
    path = Path(path)
    try:
        d = json.loads(path.read_bytes())
    except OSError as exc:
        raise ParseError(f"{path.name}: cannot read: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(f"{path.name}: not valid JSON ({exc})") from None
    if not isinstance(d, dict):
        raise ParseError(f"{path.name}: not a congress data.json object")
    oid = _s(d.get("bill_id") or d.get("amendment_id"))
    parts = split_official_id(oid or "")
    if parts is None:
        raise ParseError(f"{path.name}: no bill_id or amendment_id the importer knows")
    code, number, congress = parts
    warnings: list[str] = []
    actions, listed = _actions(d.get("actions") or [], congress)
    sponsor = _member(d.get("sponsor") or {}, warnings) if d.get("sponsor") else None
    cosponsors = tuple(m for m in (_member(c, warnings) for c in d.get("cosponsors") or []) if m)
    votes = merge_votes(votes_from_actions(actions, congress), listed)
    common = {
        "official_id": oid,
        "measure_type": TYPES[code][0],
        "congress": congress,
        "number": number,
        "introduced_on": parse_day(d.get("introduced_at")),
        "sponsors": (sponsor,) if sponsor else (),
        "cosponsors": cosponsors,
        "actions": actions,
        "votes": votes,
        "source_updated_at": _stamp(d.get("updated_at")),
        "status": json_status(_s(d.get("status"))),
    }
    if TYPES[code][0] == "amendment":
        vehicle = _s((d.get("amends_bill") or {}).get("bill_id"))
        amended = _s((d.get("amends_amendment") or {}).get("amendment_id"))
        purpose, description = _s(d.get("purpose")), _s(d.get("description"))
        title = f"{label(oid).split(' (')[0]}" + (f" ({sponsor.name})" if sponsor else "")
        if vehicle:
            title += f" to {label(vehicle).split(' (')[0]}"
        if purpose or description:
            title += f": {purpose or description}"
        chamber = {"h": "house", "s": "senate"}.get(str(d.get("chamber")), TYPES[code][1])
        return ParsedMeasure(
            **common,
            chamber=chamber,
            title=title[:500],
            summary=description or purpose,
            vehicle_ref=vehicle,
            amends_amendment_ref=amended,
        ), tuple(warnings)
    titles = _titles(d)
    display = next((t.title for t in titles if t.kind == "display"), None)
    title = display or _s(d.get("short_title")) or _s(d.get("official_title")) or label(oid)
    committees = []
    for c in d.get("committees") or []:
        if not isinstance(c, dict):
            continue
        code_ = (
            _s(c.get("subcommittee_id")) and f"{c.get('committee_id')}{c.get('subcommittee_id')}"
        )
        code_ = code_ or _s(c.get("committee_id"))
        if not code_:
            continue
        name = " — ".join(x for x in (_s(c.get("committee")), _s(c.get("subcommittee"))) if x)
        for activity in dict.fromkeys(c.get("activity") or [""]):
            chamber = {"H": "house", "S": "senate"}.get(code_[:1].upper())
            committees.append(
                ParsedCommittee(code_.upper(), name or code_, chamber, _s(activity) or "", None)
            )
    related = tuple(
        ParsedRelated(
            _s(r["bill_id"]) or "", _s(r.get("reason")) or "related", _s(r.get("identified_by"))
        )
        for r in d.get("related_bills") or []
        if isinstance(r, dict) and _s(r.get("bill_id")) and split_official_id(str(r["bill_id"]))
    )
    enacted = d.get("enacted_as") or {}
    laws = ()
    if isinstance(enacted, dict) and enacted.get("number"):
        laws = (
            (
                str(enacted.get("law_type") or "public"),
                f"{enacted.get('congress')}-{enacted.get('number')}",
            ),
        )
    summary = d.get("summary") or {}
    return ParsedMeasure(
        **common,
        chamber=TYPES[code][1],
        title=title[:500],
        titles=titles,
        summary=_s(summary.get("text")) if isinstance(summary, dict) else None,
        committees=tuple(dict.fromkeys(committees)),
        related=tuple(dict.fromkeys(related)),
        laws=laws,
    ), tuple(warnings)
