"""GovInfo BILLSTATUS XML, both schemas, into ParsedMeasure values (pure: file in, values out).

The legacy schema (no <version>; <billNumber>, <billType>, committees under
<billCommittees>, bill-level <recordedVotes>) and the 3.0.0 schema (<version>3.0.0</version>;
<number>, <type>, committees directly under <committees>, votes inside actions) differ in
element names only where it matters below; everything else is read the same way, and
schema-specific extras (counts, text versions, summaries) are ignored.

Large files are streamed with iterparse: each <amendment> is parsed and cleared as soon as
it ends, so H.R.7900's 250 amendments never sit in memory as a tree at once.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from tracker.errors import ParseError
from tracker.legislation.actions import (
    amendment_status,
    bill_status,
    merge_votes,
    votes_from_actions,
)
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
    label,
    official_id,
)

Element = ET.Element
# Files larger than this are streamed (iterparse, each amendment dropped once read); smaller
# ones are parsed in one go, which is faster and small enough to hold.
STREAM_ABOVE = 256 * 1024


def _t(el: Element | None, *paths: str) -> str | None:
    """The stripped text of the first of `paths` under el that has text."""
    if el is None:
        return None
    for p in paths:
        text = _text(el.find(p))
        if text:
            return text
    return None


def _text(child: Element | None) -> str | None:
    """An element's stripped text, inner whitespace collapsed; None when blank."""
    if child is None or not child.text:
        return None
    text = child.text.strip()
    if not text:
        return None
    # most values are single words or dates: collapse whitespace only when needed
    return " ".join(text.split()) if ("  " in text or "\n" in text or "\t" in text) else text


def _kids(el: Element) -> dict[str, Element]:
    """Direct children by tag, the first of each (what el.find(tag) returns): one pass
    over the children instead of one search per field, for elements read field by field."""
    kids: dict[str, Element] = {}
    for child in el:
        if child.tag not in kids:
            kids[child.tag] = child
    return kids


def _items(el: Element | None, path: str) -> list[Element]:
    return [] if el is None else el.findall(path)


def _chamber(text: str | None) -> str | None:
    s = (text or "").lower()
    if "house" in s:
        return "house"
    if "senate" in s:
        return "senate"
    return None


def _stamp(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def committee_code(system_code: str | None) -> str | None:
    """'ssbk00' → 'SSBK', 'hsas06' → 'HSAS06' (the congress-legislators thomas ids)."""
    if not system_code:
        return None
    code = system_code.strip().upper()
    return code[:-2] if code.endswith("00") and len(code) == 6 else code


def title_kind(title_type: str | None) -> str:
    s = (title_type or "").lower()
    for word, kind in (
        ("display", "display"),
        ("official", "official"),
        ("short", "short"),
        ("popular", "popular"),
    ):
        if word in s:
            return kind
    return "other"


def _member(el: Element) -> MemberRef:
    kid = _kids(el).get
    first, last = _text(kid("firstName")), _text(kid("lastName"))
    name = " ".join(x for x in (first, last) if x) or _text(kid("fullName")) or "unknown member"
    original = _text(kid("isOriginalCosponsor"))
    district = _text(kid("district"))
    return MemberRef(
        bioguide=_text(kid("bioguideId")) or _t(el, "identifiers/bioguideId"),
        name=name,
        party=_text(kid("party")),
        state=_text(kid("state")),
        district=district if district != "0" else None,
        joined_on=parse_day(_text(kid("sponsorshipDate"))),
        withdrawn_on=parse_day(_text(kid("sponsorshipWithdrawnDate"))),
        original=None if original is None else original.upper() in ("Y", "TRUE", "1"),
    )


def _actions(items: Iterable[Element]) -> tuple[tuple[ParsedAction, ...], list[ParsedVote]]:
    """Actions in chronological order (the file lists them newest first) plus listed votes."""
    rows = []
    votes: list[ParsedVote] = []
    for i, it in enumerate(items):
        kid = _kids(it).get
        day = parse_day(_text(kid("actionDate")))
        if day is None:
            continue
        source = kid("sourceSystem")
        action = ParsedAction(
            acted_on=day,
            text=_text(kid("text")) or "",
            action_type=_text(kid("type")) or "unknown",
            code=_text(kid("actionCode")),
            chamber=_chamber(_t(source, "name")),
        )
        rows.append(((day, _text(kid("actionTime")) or "", -i), action))
        if kid("recordedVotes") is not None:
            votes.extend(_listed_votes(it.findall("recordedVotes/recordedVote")))
    rows.sort(key=lambda r: r[0])
    return tuple(a for _, a in rows), votes


def _listed_votes(items: Iterable[Element]) -> list[ParsedVote]:
    out = []
    for v in items:
        kid = _kids(v).get
        roll, congress = _text(kid("rollNumber")), _text(kid("congress"))
        session = _text(kid("sessionNumber"))
        chamber = _chamber(_text(kid("chamber")))
        if not (roll and roll.isdigit() and congress and congress.isdigit() and chamber):
            continue
        if int(roll) <= 0:
            continue
        out.append(
            ParsedVote(
                chamber=chamber,
                congress=int(congress),
                session=int(session) if session and session.isdigit() else 1,
                roll_number=int(roll),
                voted_on=parse_day(_text(kid("date"))),
                question=_text(kid("fullActionName")),
                url=_text(kid("url")),
            )
        )
    return out


def _committees(root: Element | None) -> tuple[ParsedCommittee, ...]:
    if root is None:
        return ()
    items = root.findall("billCommittees/item") or root.findall("item")
    out: dict[tuple[str, str, date | None], ParsedCommittee] = {}

    def add(it: Element, chamber: str | None) -> None:
        code = committee_code(_t(it, "systemCode"))
        if not code:
            return
        name = _t(it, "name") or code
        acts = it.findall("activities/item") or []
        for act in acts or [None]:  # type: ignore[list-item]
            activity = _t(act, "name") or "" if act is not None else ""
            day = parse_day(_t(act, "date")) if act is not None else None
            out[(code, activity, day)] = ParsedCommittee(code, name, chamber, activity, day)

    for it in items:
        chamber = _chamber(_t(it, "chamber"))
        add(it, chamber)
        for sub in it.findall("subcommittees/item"):
            add(sub, chamber)
    return tuple(out[k] for k in sorted(out, key=lambda k: (k[0], k[1], k[2] or date.min)))


def _titles(root: Element | None, display: str | None) -> tuple[ParsedTitle, ...]:
    seen: dict[tuple[str, str], ParsedTitle] = {}
    if display:
        seen[("display", display)] = ParsedTitle("display", display, "Display Title")
    for it in _items(root, "item"):
        title, kind_text = _t(it, "title"), _t(it, "titleType")
        if not title:
            continue
        key = (title_kind(kind_text), title[:1000])
        seen.setdefault(key, ParsedTitle(key[0], key[1], kind_text))
    return tuple(seen.values())


def _related(root: Element | None) -> tuple[ParsedRelated, ...]:
    out = {}
    for it in _items(root, "item"):
        kind, number, congress = _t(it, "type"), _t(it, "number"), _t(it, "congress")
        if not (kind and number and congress and number.isdigit() and congress.isdigit()):
            continue
        ref = official_id(kind, number, congress)
        details = it.findall("relationshipDetails/item") or [None]
        for d in details:
            relation = _t(d, "type") or "Related bill"
            out[(ref, relation)] = ParsedRelated(ref, relation, _t(d, "identifiedBy"))
    return tuple(out[k] for k in sorted(out))


def _laws(root: Element | None) -> tuple[tuple[str, str], ...]:
    out = set()
    for it in _items(root, "item"):
        number = _t(it, "number")
        if number:
            kind = "private" if "private" in (_t(it, "type") or "").lower() else "public"
            out.add((kind, number))
    return tuple(sorted(out))


def _ref(el: Element | None) -> str | None:
    if el is None:
        return None
    kid = _kids(el).get
    kind, number, congress = _text(kid("type")), _text(kid("number")), _text(kid("congress"))
    if kind and number and congress and number.isdigit() and congress.isdigit():
        return official_id(kind, number, congress)
    return None


def _amendment(el: Element, default_congress: int, url: str | None) -> ParsedMeasure | None:
    kid = _kids(el).get
    kind, number = _text(kid("type")), _text(kid("number"))
    congress = int(_text(kid("congress")) or default_congress)
    if not (kind and number and number.isdigit()) or kind.lower() not in TYPES:
        return None
    oid = official_id(kind, number, congress)
    actions, listed = _actions(el.findall("actions/actions/item"))
    purpose = _text(kid("purpose"))
    description = _text(kid("description"))
    vehicle = _ref(kid("amendedBill"))
    sponsors = tuple(_member(m) for m in el.findall("sponsors/item"))
    who = f" ({sponsors[0].name})" if sponsors else ""
    title = f"{label(oid).split(' (')[0]}{who}"
    if vehicle:
        title += f" to {label(vehicle).split(' (')[0]}"
    if purpose or description:
        title += f": {purpose or description}"
    return ParsedMeasure(
        official_id=oid,
        measure_type="amendment",
        chamber=_chamber(_text(kid("chamber"))) or TYPES[kind.lower()][1],
        congress=congress,
        number=int(number),
        title=title[:500],
        status=amendment_status(actions),
        summary=description or purpose,
        introduced_on=parse_day(_text(kid("submittedDate")) or _text(kid("proposedDate"))),
        vehicle_ref=vehicle,
        amends_amendment_ref=_ref(kid("amendedAmendment")),
        sponsors=sponsors,
        cosponsors=tuple(_member(m) for m in el.findall("cosponsors/item")),
        actions=actions,
        votes=merge_votes(votes_from_actions(actions, congress), listed),
        source_updated_at=_stamp(_text(kid("updateDate"))),
        url=url,
    )


def parse_billstatus(path: str | Path) -> tuple[ParsedMeasure, tuple[ParsedMeasure, ...]]:
    """The bill in a BILLSTATUS file and the amendments it lists. Raises ParseError."""
    path = Path(path)
    amendments: list[ParsedMeasure] = []
    bill: Element | None = None
    try:
        if path.stat().st_size <= STREAM_ABOVE:
            # A small file is one C-level parse; its tree is a few megabytes at most.
            root = ET.parse(path).getroot()
            for el in root.iterfind("bill/amendments/amendment"):
                parsed = _amendment(el, 0, None)
                if parsed is not None:
                    amendments.append(parsed)
        else:
            events = ET.iterparse(path, events=("end",))
            for _, el in events:
                # A listed amendment (it names the bill it amends) is parsed and dropped as
                # soon as it ends; nested <amendments> counts inside it have no <amendedBill>.
                if el.tag == "amendment" and el.find("amendedBill") is not None:
                    parsed = _amendment(el, 0, None)
                    if parsed is not None:
                        amendments.append(parsed)
                    el.clear()
            root = events.root  # type: ignore[attr-defined]
        if root is not None and root.tag == "billStatus":
            bill = root.find("bill")
    except ET.ParseError as exc:
        raise ParseError(f"{path.name}: not well-formed XML ({exc})") from None
    except OSError as exc:
        raise ParseError(f"{path.name}: cannot read: {exc.strerror}") from None
    if bill is None:
        raise ParseError(f"{path.name}: not a BILLSTATUS file (no <billStatus><bill>)")
    return _bill(bill, path), tuple(amendments)


def _bill(bill: Element, path: Path) -> ParsedMeasure:
    kind = _t(bill, "billType", "type")
    number = _t(bill, "billNumber", "number")
    congress = _t(bill, "congress")
    if not (kind and number and congress and number.isdigit() and congress.isdigit()):
        raise ParseError(f"{path.name}: the bill has no type, number or congress")
    code = kind.lower()
    if code not in TYPES:
        raise ParseError(f"{path.name}: unknown bill type {kind!r}")
    oid = official_id(code, number, congress)
    actions, listed = _actions(bill.findall("actions/item"))
    listed += _listed_votes(bill.findall("recordedVotes/recordedVote"))
    laws = _laws(bill.find("laws"))
    display = _t(bill, "title")
    titles = _titles(bill.find("titles"), display)
    url = (
        f"https://www.govinfo.gov/bulkdata/BILLSTATUS/{int(congress)}/{code}/"
        f"BILLSTATUS-{int(congress)}{code}{int(number)}.xml"
    )
    return ParsedMeasure(
        official_id=oid,
        measure_type=TYPES[code][0],
        chamber=TYPES[code][1],
        congress=int(congress),
        number=int(number),
        title=(display or next((t.title for t in titles), None) or label(oid))[:500],
        status=bill_status(actions, code, bool(laws)),
        introduced_on=parse_day(_t(bill, "introducedDate")),
        titles=titles,
        sponsors=tuple(_member(m) for m in bill.findall("sponsors/item")),
        cosponsors=tuple(_member(m) for m in bill.findall("cosponsors/item")),
        committees=_committees(bill.find("committees")),
        actions=actions,
        votes=merge_votes(votes_from_actions(actions, int(congress)), listed),
        related=_related(bill.find("relatedBills")),
        laws=laws,
        source_updated_at=_stamp(_t(bill, "updateDate")),
        url=url,
    )
