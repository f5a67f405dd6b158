"""The shared legislation data: every file imports or is reported with its reason, and the
counts in the database match counts taken from the files here, independently of the
importer (plain ElementTree / json on the same files)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.legislation.billstatus import parse_billstatus
from tracker.legislation.importer import import_auto, import_paths
from tracker.models import Measure, MeasureAction, RecordActor, RecordSource
from tracker.models.legislation import RecordedVote


@pytest.fixture
def leg(corpus_dir) -> Path:
    return corpus_dir / "legislation"


def _oid(kind, number, congress):
    return f"{kind.strip().lower()}{int(number)}-{int(congress)}"


def expected_from_xml(files):
    """Per official id: (actions, distinct cosponsors) as the files list them."""
    out = {}
    for f in files:
        bill = ET.parse(f).getroot().find("bill")
        kind = bill.findtext("billType") or bill.findtext("type")
        number = bill.findtext("billNumber") or bill.findtext("number")
        oid = _oid(kind, number, bill.findtext("congress"))
        actions = [i for i in bill.findall("actions/item") if i.findtext("actionDate")]
        cosponsors = {c.findtext("bioguideId") for c in bill.findall("cosponsors/item")}
        out[oid] = (len(actions), len(cosponsors))
        for a in bill.findall("amendments/amendment"):
            aid = _oid(a.findtext("type"), a.findtext("number"), a.findtext("congress"))
            items = [i for i in a.findall("actions/actions/item") if i.findtext("actionDate")]
            cos = {c.findtext("bioguideId") for c in a.findall("cosponsors/item")}
            out[aid] = (len(items), len(cos))
    return out


def db_counts(engine):
    with Session(engine) as s:
        actions = dict(
            s.execute(
                select(Measure.official_id, func.count(MeasureAction.id))
                .join(MeasureAction, MeasureAction.measure_id == Measure.id)
                .group_by(Measure.official_id)
            ).all()
        )
        cosponsors = dict(
            s.execute(
                select(Measure.official_id, func.count(RecordActor.id))
                .join(RecordActor, RecordActor.record_id == Measure.id)
                .where(RecordActor.role == "cosponsor")
                .group_by(Measure.official_id)
            ).all()
        )
        ids = s.scalars(select(Measure.official_id)).all()
    return {oid: (actions.get(oid, 0), cosponsors.get(oid, 0)) for oid in ids}


def test_every_file_imports_or_is_reported_with_a_reason(engine, leg):
    files = sorted(p for p in leg.rglob("*") if p.is_file())
    reports = import_auto(engine, [leg])
    assert sorted(Path(r.path) for r in reports) == files
    failed = {Path(r.path).relative_to(leg).parts[0]: r for r in reports if not r.ok}
    for r in reports:
        part = Path(r.path).relative_to(leg).parts[0]
        if part in ("billstatus", "congress-json"):
            assert r.ok, r.error
        if part == "gov-feeds":
            assert not r.ok and Path(r.path).name in r.error
            assert ("RSS/Atom feed" in r.error) or ("not a unitedstates/congress" in r.error)
    csv = next(r for r in reports if r.path.endswith(".csv"))
    assert csv.ok and csv.created == 397
    yml = next(r for r in reports if r.path.endswith(".yml"))
    assert "neither congress-legislators nor committees" in yml.error
    assert set(failed) <= {"gov-feeds", "designations"}


def test_billstatus_counts_match_the_files(engine, leg):
    folder = leg / "billstatus"
    # One file per bill: the legacy copies of the formatChange bills are tested below.
    files = sorted(p for p in folder.rglob("*.xml") if "current" not in p.parts)
    reports = import_paths(engine, "billstatus", files)
    assert all(r.ok for r in reports)
    expected = expected_from_xml(files)
    got = db_counts(engine)
    assert got == expected
    bills = len(files)
    amendments = sum(len(ET.parse(f).getroot().findall("bill/amendments/amendment")) for f in files)
    assert bills == 46 and len(got) <= bills + amendments  # an amendment may be listed twice
    h7900 = ET.parse(folder / "117" / "BILLSTATUS-117hr7900.xml").getroot()
    assert len(h7900.findall("bill/amendments/amendment")) == 250
    with Session(engine) as s:
        amendments = s.scalar(
            select(func.count()).select_from(Measure).where(Measure.vehicle_ref == "hr7900-117")
        )
        assert amendments == 250
        votes = s.scalar(select(func.count()).select_from(RecordedVote))
        assert votes > 0
    # Re-import: nothing changes.
    again = import_paths(engine, "billstatus", files)
    assert sum(r.created + r.updated for r in again) == 0
    assert db_counts(engine) == got


def test_both_schemas_of_the_same_bills(engine, leg):
    """formatChange/current (legacy) and future (3.0.0) hold the same bills, fetched at
    different times. Every field both files state alike gives the same value; where the
    files themselves differ, the parsed values differ exactly as the files do."""
    root = leg / "billstatus" / "usgpo-samples" / "formatChange"
    for name in ("BILLSTATUS-117s35.xml", "BILLSTATUS-117hr6658.xml"):
        legacy, v3 = root / "current" / name, root / "future" / name
        (a, a_amdts), (b, b_amdts) = parse_billstatus(legacy), parse_billstatus(v3)
        same = (
            "official_id",
            "measure_type",
            "chamber",
            "congress",
            "number",
            "title",
            "status",
            "introduced_on",
            "sponsors",
            "committees",
            "actions",
            "votes",
            "laws",
        )
        assert {f: getattr(a, f) for f in same} == {f: getattr(b, f) for f in same}
        assert [x.official_id for x in a_amdts] == [x.official_id for x in b_amdts]
        for x, y in zip(a_amdts, b_amdts, strict=True):
            assert x.actions == y.actions and x.sponsors == y.sponsors and x.title == y.title

        def raw(path, xpath, key):
            return {key(i) for i in ET.parse(path).getroot().findall(xpath)}

        cos = lambda i: i.findtext("bioguideId")  # noqa: E731
        assert {c.bioguide for c in a.cosponsors} == raw(legacy, "bill/cosponsors/item", cos)
        assert {c.bioguide for c in b.cosponsors} == raw(v3, "bill/cosponsors/item", cos)
        shared = {c.bioguide for c in a.cosponsors} & {c.bioguide for c in b.cosponsors}
        assert {c for c in a.cosponsors if c.bioguide in shared} == {
            c for c in b.cosponsors if c.bioguide in shared
        }
        title = lambda i: i.findtext("title")  # noqa: E731
        assert {t.title for t in a.titles} == raw(legacy, "bill/titles/item", title)
        assert {t.title for t in b.titles} == raw(v3, "bill/titles/item", title)
        rel = lambda i: _oid(i.findtext("type"), i.findtext("number"), i.findtext("congress"))  # noqa: E731
        assert {r.official_id for r in a.related} == raw(legacy, "bill/relatedBills/item", rel)
        assert {r.official_id for r in b.related} == raw(v3, "bill/relatedBills/item", rel)
    # In the database the two files are one measure per bill, both files as its source,
    # with the newer (3.0.0) file's records.
    reports = import_paths(engine, "billstatus", [root / "current", root / "future"])
    assert all(r.ok for r in reports)
    expected = expected_from_xml(sorted((root / "future").glob("*.xml")))
    assert db_counts(engine) == expected
    again = import_paths(engine, "billstatus", [root / "current"])
    assert sum(r.created + r.updated for r in again) == 0


def test_congress_json_counts_and_merge_with_xml(engine, leg):
    folder = leg / "congress-json"
    files = sorted(folder.rglob("data.json"))
    reports = import_paths(engine, "congress-json", [folder])
    assert len(reports) == len(files) == 24 and all(r.ok for r in reports)
    expected = {}
    for f in files:
        d = json.loads(f.read_text())
        oid = d.get("bill_id") or d.get("amendment_id")
        expected[oid] = (
            len([a for a in d["actions"] if a.get("acted_at")]),
            len({c["bioguide_id"] for c in d.get("cosponsors", [])}),
        )
    assert db_counts(engine) == expected
    with Session(engine) as s:
        # hamdt77/95 amend H.R.3838, which arrived in the same run; S.2296 is not here.
        vehicles = dict(
            s.execute(
                select(Measure.official_id, Measure.vehicle_id).where(
                    Measure.measure_type == "amendment"
                )
            ).all()
        )
        assert vehicles["hamdt77-119"] is not None and vehicles["hamdt95-119"] is not None
        assert vehicles["samdt3748-119"] is None
        refs = s.scalars(
            select(Measure.vehicle_ref).where(
                Measure.vehicle_id.is_(None), Measure.measure_type == "amendment"
            )
        )
        assert set(refs) == {"s2296-119"}
    # The 116th bills also have BILLSTATUS XML from the same fetch: one measure, two sources.
    xml = sorted((leg / "billstatus" / "116").glob("*.xml"))
    import_paths(engine, "billstatus", xml)
    with Session(engine) as s:
        both = s.scalars(
            select(Measure.official_id)
            .join(RecordSource)
            .group_by(Measure.official_id)
            .having(func.count(RecordSource.id) == 2)
        ).all()
        count = s.scalar(
            select(func.count())
            .select_from(Measure)
            .where(Measure.official_id.like("%-116"), Measure.measure_type != "amendment")
        )
    json_116 = {f.parent.name for f in (folder / "116").rglob("data.json")}
    xml_116 = {f.name.removeprefix("BILLSTATUS-116").removesuffix(".xml") for f in xml}
    assert {b.split("-")[0] for b in both} == json_116 & xml_116
    assert count == len(json_116 | xml_116)


def test_json_actions_by_measure(engine, leg):
    """Per-measure counts on the H.R.3838 family (NDAA FY2026)."""
    folder = leg / "congress-json" / "119"
    import_paths(engine, "congress-json", [folder])
    per = defaultdict(int)
    for f in folder.rglob("data.json"):
        d = json.loads(f.read_text())
        per[d.get("bill_id") or d.get("amendment_id")] = len(d["actions"])
    assert db_counts(engine)["hr3838-119"][0] == per["hr3838-119"] == 79


def test_streaming_the_largest_file_gives_the_same_values(leg, monkeypatch):
    from tracker.legislation import billstatus

    path = leg / "billstatus" / "117" / "BILLSTATUS-117hr7900.xml"
    assert path.stat().st_size > billstatus.STREAM_ABOVE  # streamed by default
    streamed = parse_billstatus(path)
    monkeypatch.setattr(billstatus, "STREAM_ABOVE", 10**9)
    assert parse_billstatus(path) == streamed
    assert len(streamed[1]) == 250
