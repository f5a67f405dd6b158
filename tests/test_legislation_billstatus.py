"""BILLSTATUS XML (both schemas) and congress data.json into measures: the same records from
either schema, merging XML and JSON, dangling references, idempotent re-import, overrides."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tracker.errors import ParseError
from tracker.legislation.billstatus import parse_billstatus
from tracker.legislation.importer import import_billstatus, import_congress_json, import_paths
from tracker.legislation.legislators import import_legislators
from tracker.legislation.overrides import clear_override, set_override
from tracker.models import Actor, Measure, MeasureAction, RecordActor, RecordSource
from tracker.models.legislation import (
    MeasureCommittee,
    MeasureLaw,
    MeasureTitle,
    OfficialImport,
    RecordedVote,
    RelatedMeasure,
)

LEG = Path(__file__).resolve().parent / "fixtures" / "legislation"
V3 = LEG / "BILLSTATUS-119s9001-v3.xml"
LEGACY = LEG / "BILLSTATUS-119s9001-legacy.xml"
BILL_JSON = LEG / "congress" / "119" / "bills" / "s" / "s9001" / "data.json"
AMDT_JSON = LEG / "congress" / "119" / "amendments" / "samdt" / "samdt3002" / "data.json"
TABLES = (
    Measure,
    MeasureAction,
    RecordActor,
    RecordSource,
    MeasureTitle,
    MeasureCommittee,
    RecordedVote,
    RelatedMeasure,
    MeasureLaw,
    OfficialImport,
    Actor,
)


def _measure(session, oid):
    return session.scalars(select(Measure).where(Measure.official_id == oid)).one()


def snapshot(session):
    """Everything the import wrote, without ids and timestamps, for comparisons."""
    out = {}
    for m in session.scalars(select(Measure).order_by(Measure.official_id)):
        vehicle = session.get(Measure, m.vehicle_id).official_id if m.vehicle_id else None
        out[m.official_id] = {
            "fields": (
                m.slug,
                m.title,
                m.status,
                m.measure_type,
                m.chamber,
                m.congress,
                m.introduced_on,
                m.vehicle_ref,
                vehicle,
                m.summary,
            ),
            "actions": [
                (a.position, a.acted_on, a.action_type, a.text, a.code, a.chamber)
                for a in session.scalars(
                    select(MeasureAction)
                    .where(MeasureAction.measure_id == m.id)
                    .order_by(MeasureAction.position)
                )
            ],
            "people": sorted(
                (ra.actor.slug, ra.role, ra.start_on, ra.end_on, ra.note)
                for ra in session.scalars(select(RecordActor).where(RecordActor.record_id == m.id))
            ),
            "titles": sorted(
                (t.kind, t.title)
                for t in session.scalars(
                    select(MeasureTitle).where(MeasureTitle.measure_id == m.id)
                )
            ),
            "committees": sorted(
                (c.code, c.activity, c.acted_on)
                for c in session.scalars(
                    select(MeasureCommittee).where(MeasureCommittee.measure_id == m.id)
                )
            ),
            "votes": sorted(
                (v.chamber, v.session, v.roll_number, v.yeas, v.nays, v.result)
                for v in session.scalars(
                    select(RecordedVote).where(RecordedVote.measure_id == m.id)
                )
            ),
            "related": sorted(
                (r.related_ref, r.relation)
                for r in session.scalars(
                    select(RelatedMeasure).where(RelatedMeasure.measure_id == m.id)
                )
            ),
            "laws": sorted(
                (x.law_type, x.number)
                for x in session.scalars(select(MeasureLaw).where(MeasureLaw.measure_id == m.id))
            ),
        }
    return out


def counts(session):
    return [session.scalar(select(func.count()).select_from(t)) for t in TABLES]


def test_both_schemas_parse_to_the_same_values():
    assert parse_billstatus(V3) == parse_billstatus(LEGACY)


@pytest.mark.parametrize("first", [V3, LEGACY], ids=["v3", "legacy"])
def test_both_schemas_store_the_same_records(session, first):
    import_billstatus(session, first)
    snap = snapshot(session)
    bill = snap["s9001-119"]
    assert bill["fields"][:7] == (
        "s9001-119",
        "Model Weights Security Act of 2026",
        "enacted",
        "bill",
        "senate",
        119,
        date(2026, 6, 11),
    )
    assert [a[3][:20] for a in bill["actions"]] == [
        "Introduced in Senate",
        "Read twice and refer",
        "Passed Senate withou",
    ]
    assert bill["people"] == [
        ("andy-kim", "cosponsor", date(2026, 6, 11), None, "official record; original cosponsor"),
        ("bill-hagerty", "sponsor", None, None, "official record"),
        ("pat-example", "cosponsor", date(2026, 6, 15), date(2026, 6, 25), "official record"),
    ]
    assert bill["votes"] == [("senate", 2, 412, 70, 28, "passed")]
    assert bill["committees"] == [
        ("SSBK", "Referred to", date(2026, 6, 11)),
        ("SSBK13", "Hearings by", date(2026, 6, 20)),
    ]
    assert bill["related"] == [("hr9002-119", "Identical bill")]
    assert bill["laws"] == [("public", "119-901")]
    amendment = snap["samdt3001-119"]
    assert amendment["fields"][2] == "adopted" and amendment["fields"][7:9] == ("s9001-119",) * 2
    # The other schema's file of the same bill changes nothing.
    other = LEGACY if first == V3 else V3
    before = counts(session)
    report = import_billstatus(session, other)
    assert snapshot(session) == snap and counts(session) == before
    assert report.created == 0 and report.updated == 0


def test_sponsors_match_existing_actors_by_bioguide(session):
    import_legislators(session, LEG / "legislators.yaml")
    kim = session.scalars(select(Actor).where(Actor.slug == "andy-kim")).one()
    report = import_billstatus(session, V3)
    cosponsors = session.scalars(select(RecordActor).where(RecordActor.role == "cosponsor")).all()
    assert kim.id in {c.actor_id for c in cosponsors}
    assert (
        session.scalar(select(func.count()).select_from(Actor).where(Actor.name == "Andy Kim")) == 1
    )
    # The unknown members are kept as actors with their bioguide ids, never dropped.
    assert report.count("people added") == 2
    example = session.scalars(select(Actor).where(Actor.slug == "pat-example")).one()
    assert example.ids() == {"bioguide": "Z000901"}


def test_reimport_is_idempotent(session, tmp_path):
    first = import_billstatus(session, V3)
    assert (first.created, first.count("measures"), first.count("actions")) == (2, 2, 5)
    before, snap = counts(session), snapshot(session)
    again = import_billstatus(session, V3)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert counts(session) == before and snapshot(session) == snap


def test_changed_file_updates_in_place_and_says_what_changed(session, tmp_path):
    import_billstatus(session, V3)
    bill_id = _measure(session, "s9001-119").id
    changed = tmp_path / "BILLSTATUS-119s9001.xml"
    text = V3.read_text().replace("2026-07-01T10:00:00Z", "2026-07-02T10:00:00Z")
    text = text.replace("<sponsorshipWithdrawnDate>2026-06-25</sponsorshipWithdrawnDate>", "")
    changed.write_text(text)
    report = import_billstatus(session, changed)
    assert report.updated == 1 and report.unchanged == 1
    assert report.changes == ("updated s9001-119: sponsors +1/-1",)
    assert _measure(session, "s9001-119").id == bill_id
    example = session.scalars(
        select(RecordActor).join(Actor).where(Actor.slug == "pat-example")
    ).one()
    assert example.end_on is None


def test_pinned_fields_survive_reimport_and_are_reported(session, tmp_path):
    import_billstatus(session, V3)
    bill = _measure(session, "s9001-119")
    set_override(session, bill, "title", "The model weights bill", by="analyst")
    newer = tmp_path / "newer.xml"
    newer.write_text(V3.read_text().replace("2026-07-01T10:00:00Z", "2026-07-03T10:00:00Z"))
    report = import_billstatus(session, newer)
    session.refresh(bill)
    assert bill.title == "The model weights bill"
    assert report.overrides_kept == (
        "s9001-119: kept the pinned title 'The model weights bill' "
        "(official: 'Model Weights Security Act of 2026')",
    )
    assert clear_override(session, bill, "title")
    newest = tmp_path / "newest.xml"
    newest.write_text(V3.read_text().replace("2026-07-01T10:00:00Z", "2026-07-04T10:00:00Z"))
    import_billstatus(session, newest)
    session.refresh(bill)
    assert bill.title == "Model Weights Security Act of 2026"


def test_curated_actions_and_sponsors_are_kept(session):
    bill = Measure(
        slug="weights-bill", title="Weights bill", measure_type="bill", official_id="s9001-119"
    )
    hagerty = Actor(slug="hagerty", name="Bill Hagerty", kind="person")
    session.add_all([bill, hagerty])
    session.flush()
    bill.actions.append(
        MeasureAction(
            position=0,
            acted_on=date(2026, 6, 1),
            action_type="announced",
            text="Announced at a press conference",
            acted_on_precision="day",
        )
    )
    bill.actors.append(RecordActor(actor_id=hagerty.id, role="sponsor"))
    session.flush()
    import_billstatus(session, V3)
    session.expire_all()
    bill = _measure(session, "s9001-119")
    assert bill.slug == "weights-bill"
    texts = [a.text for a in bill.actions]
    assert texts[0] == "Announced at a press conference" and len(texts) == 4
    assert [a.position for a in bill.actions][1:] == [1, 2, 3]
    # The hand-written actor (no bioguide id) is joined by name and gains the id.
    assert [ra.actor.slug for ra in bill.actors if ra.role == "sponsor"] == ["hagerty"]
    assert session.scalars(select(Actor).where(Actor.slug == "hagerty")).one().ids() == {
        "bioguide": "H000601"
    }


def test_xml_and_json_merge_into_one_measure_with_both_sources(session):
    import_billstatus(session, V3)
    xml_snap = snapshot(session)["s9001-119"]
    report = import_congress_json(session, BILL_JSON)  # older than the XML: adds a source only
    assert report.changes == (
        "s9001-119: kept the newer billstatus data; added this file as a source",
        "updated s9001-119: sources",
    )
    bill = _measure(session, "s9001-119")
    assert session.scalar(select(func.count()).select_from(Measure)) == 2
    slugs = sorted(rs.source.slug for rs in bill.sources)
    assert slugs == ["billstatus:s9001-119", "congress-json:s9001-119"]
    assert snapshot(session)["s9001-119"] == xml_snap


def test_json_first_then_newer_xml_takes_over(session):
    import_congress_json(session, BILL_JSON)
    assert _measure(session, "s9001-119").status == "referred"
    import_billstatus(session, V3)
    bill = _measure(session, "s9001-119")
    assert bill.status == "enacted" and len(bill.sources) == 2
    assert len(bill.actions) == 3  # the XML's actions replaced the JSON's, no duplicates


def test_amendment_to_a_bill_not_loaded_keeps_a_dangling_reference(session):
    report = import_congress_json(session, AMDT_JSON)
    amendment = _measure(session, "samdt3002-119")
    assert amendment.vehicle_ref == "s9001-119" and amendment.vehicle_id is None
    assert "not loaded yet" in report.warnings[0]
    related = session.scalars(select(RelatedMeasure)).one()
    assert (related.related_ref, related.relation, related.related_id) == (
        "samdt3001-119",
        "Amends amendment",
        None,
    )
    vote = session.scalars(select(RecordedVote)).one()
    assert (vote.roll_number, vote.yeas, vote.nays, vote.result) == (410, 40, 58, "failed")
    import_billstatus(session, V3)  # brings the bill and SA 3001
    session.expire_all()
    amendment = _measure(session, "samdt3002-119")
    assert amendment.vehicle.official_id == "s9001-119"
    assert (
        session.scalars(select(RelatedMeasure).where(RelatedMeasure.relation == "Amends amendment"))
        .one()
        .related_id
        == _measure(session, "samdt3001-119").id
    )


def test_references_resolve_across_files_of_one_run(session):
    """import_paths shares lookups between files (what is still dangling, among them):
    a reference left by one file resolves when a later file of the run brings the target."""
    shared: dict = {}
    import_congress_json(session, AMDT_JSON, shared)
    assert _measure(session, "samdt3002-119").vehicle_id is None
    import_billstatus(session, V3, shared)
    session.expire_all()
    amendment = _measure(session, "samdt3002-119")
    assert amendment.vehicle.official_id == "s9001-119"
    related = session.scalars(
        select(RelatedMeasure).where(RelatedMeasure.relation == "Amends amendment")
    ).one()
    assert related.related_id == _measure(session, "samdt3001-119").id
    assert shared["waiting"] == (set(), {"hr9002-119"})  # a related bill not loaded


def test_a_changed_vehicle_reference_drops_the_old_link(session, tmp_path):
    import_billstatus(session, V3)
    assert _measure(session, "samdt3001-119").vehicle.official_id == "s9001-119"
    moved = tmp_path / "BILLSTATUS-119s9001.xml"
    text = V3.read_text().replace("2026-07-01T10:00:00Z", "2026-07-05T10:00:00Z")
    moved.write_text(text.replace("<number>9001</number>", "<number>9002</number>"))
    import_billstatus(session, moved)  # now S.9002's file lists the same amendment
    session.expire_all()
    assert _measure(session, "samdt3001-119").vehicle.official_id == "s9002-119"


def test_an_amendment_listed_before_its_bill_is_linked_to_it(session):
    """New measures go in as one bulk insert: a vehicle in the same batch is written
    first, whatever order the file gave."""
    from tracker.legislation.common import ReportBuilder
    from tracker.legislation.store import Store, store_measures

    bill, amendments = parse_billstatus(V3)
    store = Store(session, "billstatus")
    source = store.source_id("billstatus:test", "test", None, "GovInfo", None)
    store_measures(store, (*amendments, bill), source, str(V3), ReportBuilder(str(V3), "x"))
    session.expire_all()
    assert _measure(session, "samdt3001-119").vehicle.official_id == "s9001-119"


def test_malformed_files_are_reported_by_name_and_skipped(engine, tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(V3, good / "BILLSTATUS-119s9001.xml")
    (good / "BILLSTATUS-broken.xml").write_text("<billStatus><bill><number>1</number>")
    (good / "BILLSTATUS-empty.xml").write_text("<billStatus><bill/></billStatus>")
    (good / "not-billstatus.xml").write_text("<rss><channel/></rss>")
    reports = import_paths(engine, "billstatus", [good])
    by_name = {Path(r.path).name: r for r in reports}
    assert by_name["BILLSTATUS-119s9001.xml"].ok
    assert by_name["BILLSTATUS-broken.xml"].error.startswith(
        "BILLSTATUS-broken.xml: not well-formed XML"
    )
    assert by_name["BILLSTATUS-empty.xml"].error == (
        "BILLSTATUS-empty.xml: the bill has no type, number or congress"
    )
    assert by_name["not-billstatus.xml"].error == (
        "not-billstatus.xml: not a BILLSTATUS file (no <billStatus><bill>)"
    )
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Measure)) == 2


def test_parse_errors_name_the_file(tmp_path):
    bad = tmp_path / "x.xml"
    bad.write_text(
        "<billStatus><bill><type>ZZ</type><number>1</number><congress>119</congress>"
        "</bill></billStatus>"
    )
    with pytest.raises(ParseError, match=r"x\.xml: unknown bill type 'ZZ'"):
        parse_billstatus(bad)


def test_cli_imports_and_reports(cli, db_url, tmp_path):
    result = cli("import", "billstatus", str(V3), str(AMDT_JSON), "--db", db_url, "--json")
    assert result.code == 1  # the data.json is not a BILLSTATUS file
    import json

    data = json.loads(result.out)
    assert [d["ok"] for d in data] == [True, False]
    assert data[0]["created"] == 2 and data[0]["counts"]["actions"] == 5
    result = cli("import", "congress-json", str(LEG / "congress"), "--db", db_url)
    assert result.code == 0, result.err
    assert "samdt3002-119" not in result.err
    result = cli("import", "billstatus", str(tmp_path / "missing.xml"), "--db", db_url)
    assert result.code == 2 and "no such file or directory" in result.err


def test_pin_command(cli, db_url, tmp_path):
    assert cli("import", "billstatus", str(V3), "--db", db_url).code == 0
    res = cli("import", "pin", "s9001-119", "title", "The weights bill", "--db", db_url)
    assert res.code == 0, res.err
    newer = V3.read_text().replace("2026-07-01T10:00:00Z", "2026-07-05T10:00:00Z")
    f = tmp_path / "BILLSTATUS-119s9001.xml"
    f.write_text(newer)
    res = cli("import", "billstatus", str(f), "--db", db_url, "--json")
    assert "kept the pinned title 'The weights bill'" in res.out
    assert cli("import", "pin", "s9001-119", "title", "--clear", "--db", db_url).code == 0
    assert cli("import", "pin", "s9001-119", "nonsense", "x", "--db", db_url).code == 2
    assert cli("import", "pin", "s9001-119", "title", "--db", db_url).code == 2


def test_streamed_and_whole_file_parsing_agree(monkeypatch):
    from tracker.legislation import billstatus

    whole = parse_billstatus(V3)
    monkeypatch.setattr(billstatus, "STREAM_ABOVE", 0)
    assert parse_billstatus(V3) == whole
    assert parse_billstatus(LEGACY) == whole
