"""Loading YAML records: validate-then-write, one-line errors, idempotency, append-only facts."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tracker.errors import ValidationError
from tracker.models import (
    Actor,
    Base,
    Claim,
    Designation,
    Incident,
    Letter,
    Measure,
    Record,
)
from tracker.records.claims import resolve_record
from tracker.records.loader import load_files

FIXTURES = Path(__file__).parent / "fixtures" / "records"
DOCS = Path(__file__).parent.parent / "docs" / "records-format.md"

BASE = """
sources:
  - {slug: src-a, title: Source A, outlet: Outlet A, published: 2026-06-08}
  - {slug: src-b, title: Source B, outlet: Outlet B, published: 2026-06-20}
actors:
  - {slug: acme, name: Acme Corp, kind: company, aliases: [Acme, ACME Inc]}
  - {slug: dod, name: Department of Defense, kind: agency, aliases: [Pentagon]}
designations:
  - slug: acme-listing
    title: Acme listed
    list: Section 1260H
    subject: acme
    authority: dod
    status: challenged
    effective_on: 2026-06-30
    claims:
      - {field: added_on, value: 2026-06-08, source: src-a, locator: para 3}
      - {field: added_on, value: 2026-06-09, source: src-b, locator: summary}
    challenges:
      - {challenger: acme, venue: US federal court, filed: 2026-06-23}
    sources: [src-a]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def row_counts(session) -> dict[str, int]:
    session.flush()
    return {
        t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
        for t in Base.metadata.sorted_tables
    }


def test_load_writes_records_claims_and_columns(session, tmp_path):
    report = load_files(session, [write(tmp_path, "base.yaml", BASE)])
    assert (report.records_created, report.actors_created, report.sources_created) == (1, 2, 2)
    rec = session.scalars(select(Designation)).one()
    assert (rec.status, rec.added_on, rec.effective_on) == (
        "challenged",
        date(2026, 6, 8),
        date(2026, 6, 30),
    )
    assert sorted((ra.role, ra.actor.slug) for ra in rec.actors) == [
        ("authority", "dod"), ("challenger", "acme"), ("subject", "acme"),
    ]  # fmt: skip
    added = resolve_record(session, rec)["added_on"]
    assert added.conflicting
    assert {(c.value, c.source_slug, c.locator) for c in added.claims} == {
        ("2026-06-08", "src-a", "para 3"), ("2026-06-09", "src-b", "summary"),
    }  # fmt: skip
    # Claims count from their source's publication date: "what did we know then".
    assert resolve_record(session, rec, as_of=date(2026, 6, 10))["added_on"].conflicting is False
    assert resolve_record(session, rec, as_of=date(2026, 6, 7)) == {}
    assert {c.source.slug for c in session.scalars(select(Claim))} == {"src-a", "src-b"}


def test_loading_twice_changes_nothing(session, tmp_path):
    path = write(tmp_path, "base.yaml", BASE)
    load_files(session, [FIXTURES / "example.yaml", path])
    session.flush()
    before = row_counts(session)
    stamps = sorted(session.execute(select(Record.slug, Record.updated_at)).all())
    actor_stamps = sorted(session.execute(select(Actor.slug, Actor.updated_at)).all())
    session.expire_all()
    report = load_files(session, [FIXTURES / "example.yaml", path])
    assert not report.changed, report
    assert row_counts(session) == before
    assert sorted(session.execute(select(Record.slug, Record.updated_at)).all()) == stamps
    assert sorted(session.execute(select(Actor.slug, Actor.updated_at)).all()) == actor_stamps


def test_changed_fact_supersedes_and_removed_fact_retracts(session, tmp_path):
    load_files(session, [write(tmp_path, "base.yaml", BASE)])
    changed = BASE.replace("value: 2026-06-09, source: src-b", "value: 2026-06-08, source: src-b")
    changed = changed.replace("    effective_on: 2026-06-30\n", "")
    report = load_files(session, [write(tmp_path, "base.yaml", changed)])
    assert (report.claims_added, report.claims_superseded, report.claims_retracted) == (1, 1, 1)
    assert report.records_updated == 1
    rec = session.scalars(select(Designation)).one()
    fields = resolve_record(session, rec)
    assert (fields["added_on"].value, fields["added_on"].conflicting) == ("2026-06-08", False)
    assert "effective_on" not in fields and rec.effective_on is None
    old = session.scalars(select(Claim).where(Claim.value == '"2026-06-09"')).one()
    assert old.superseded_at is not None and old.superseded_by_id is not None
    assert len(session.scalars(select(Claim)).all()) == 5  # nothing deleted


def test_direct_facts_are_claimed_by_each_record_source(session, tmp_path):
    text = BASE.replace("    sources: [src-a]\n", "    sources: [src-a, src-b]\n")
    load_files(session, [write(tmp_path, "base.yaml", text)])
    rec = session.scalars(select(Designation)).one()
    status = resolve_record(session, rec)["status"]
    assert {c.source_slug for c in status.claims} == {"src-a", "src-b"}
    # src-b has an explicit added_on claim, so it does not also get a direct one.
    assert len(resolve_record(session, rec)["added_on"].claims) == 2


def test_references_across_files_partial_dates_and_figures(session, tmp_path):
    a = write(tmp_path, "a.yaml", "sources:\n  - {slug: s1, title: One, published: April 2026}\n"
              "actors:\n  - {slug: lab, name: A Lab, kind: ai_lab, parent: group}\n")  # fmt: skip
    b = write(
        tmp_path,
        "b.yaml",
        """
actors:
  - {slug: group, name: A Group, kind: company, ids: {wikidata: Q1}}
incidents:
  - slug: campaign
    title: A campaign
    incident_kind: distillation_campaign
    activity_start_on: April 2026
    activity_end_on: 2026-06-05
    figures:
      - {metric: exchanges, value: 28800000, qualifier: nearly, unit: exchanges}
    actors: {perpetrator: [lab]}
    sources: [s1]
letters:
  - {slug: letter, title: A letter, sent_on: 2026-06-10, made_public_on: 2026-06-24,
     asks: [One thing, Another], links: [{to: campaign, relation: about}], sources: [s1]}
""",
    )
    load_files(session, [a, b])
    inc = session.scalars(select(Incident)).one()
    assert (inc.activity_start_on, inc.activity_start_on_precision) == (date(2026, 4, 1), "month")
    fig = inc.figures[0]
    assert (fig.metric, fig.value, fig.qualifier, fig.unit) == (
        "exchanges",
        28800000,
        "nearly",
        "exchanges",
    )
    assert session.scalars(select(Actor).where(Actor.slug == "lab")).one().parent.slug == "group"
    letter = session.scalars(select(Letter)).one()
    assert [x.text for x in letter.asks] == ["One thing", "Another"]
    assert (letter.sent_on, letter.made_public_on) == (date(2026, 6, 10), date(2026, 6, 24))


BAD = [
    ("designations:\n  - {slug: x, title: X, list: L, subject: nobody, sources: [src-a]}\n",
     r"bad\.yaml: designations\[0\] \(x\): subject: unknown actor 'nobody'"),
    ("incidents:\n  - {slug: x, title: X, incident_kind: k, disclosed_on: June 31 2026, sources: [src-a]}\n",
     r"bad\.yaml: incidents\[0\] \(x\): disclosed_on: not a valid date"),
    ("incidents:\n  - {slug: x, title: X, incident_kind: k, status: maybe, sources: [src-a]}\n",
     r"incidents\[0\] \(x\): status: 'maybe' is not one of: alleged"),
    ("letters:\n  - {slug: x, title: X}\n",
     r"letters\[0\] \(x\): sources: every record needs at least one source"),
    ("letters:\n  - {slug: x, title: X, sent: 2026-06-10, sources: [src-a]}\n",
     r"letters\[0\] \(x\): unknown field 'sent'"),
    ("incidents:\n  - slug: x\n    title: X\n    incident_kind: k\n    sources: [src-a]\n"
     "    figures: [{metric: accounts, value: -3}]\n",
     r"incidents\[0\] \(x\): figures\[0\]\.value: must be a non-negative number"),
    ("events:\n  - {slug: x, title: X, event_type: memo, sources: [src-a]}\n",
     r"events\[0\] \(x\): occurred_on: is required"),
    ("letters:\n  - {slug: x, title: X, sent_on: 2026-06-10, made_public_on: 2026-06-01, sources: [src-a]}\n",
     r"letters\[0\] \(x\): made_public_on: 2026-06-01 is before sent_on"),
    ("actors:\n  - {slug: acme, name: Dup, kind: company}\n",
     r"bad\.yaml: actors\[0\] \(acme\): slug: 'acme' is already defined in base\.yaml"),
    ("sources: [{slug: s, title: T}]\nincidents:\n  - {slug: x, title: X, incident_kind: k, sources: [s]\n",
     r"bad\.yaml: line \d+: "),
    ("records: []\n", r"bad\.yaml: unknown field 'records'"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_file_names_file_record_field_and_writes_nothing(session, tmp_path, text, message):
    good = write(tmp_path, "base.yaml", BASE)
    bad = write(tmp_path, "bad.yaml", text)
    before = row_counts(session)
    with pytest.raises(ValidationError) as exc:
        load_files(session, [good, bad])
    assert re.search(message, str(exc.value)), str(exc.value)
    assert "\n" not in str(exc.value)
    assert exc.value.exit_code == 2
    assert row_counts(session) == before


def test_bad_reload_leaves_existing_records_untouched(session, tmp_path):
    path = write(tmp_path, "base.yaml", BASE)
    load_files(session, [path])
    before = row_counts(session)
    broken = BASE.replace("authority: dod", "authority: nowhere").replace("Acme listed", "Renamed")
    with pytest.raises(ValidationError, match=r"authority: unknown actor 'nowhere'"):
        load_files(session, [write(tmp_path, "base.yaml", broken)])
    assert row_counts(session) == before
    assert session.scalars(select(Designation)).one().title == "Acme listed"


def test_record_kind_cannot_change_under_a_slug(session, tmp_path):
    load_files(session, [write(tmp_path, "base.yaml", BASE)])
    text = "letters:\n  - {slug: acme-listing, title: X, sources: [src-a]}\n"
    with pytest.raises(ValidationError, match="is already a designation, not a letter"):
        load_files(session, [write(tmp_path, "more.yaml", text)])


def test_measure_vehicle_and_actions(session, tmp_path):
    text = """
sources: [{slug: s, title: T}]
measures:
  - {slug: ndaa, title: NDAA, measure_type: bill, chamber: senate, official_id: s1-119, sources: [s]}
  - slug: amdt
    title: Amendment
    measure_type: amendment
    vehicle: ndaa
    status: proposed
    actions:
      - {date: 2026-06, type: proposed, text: Filed., source: s}
      - {date: 2026-06-20, type: markup, text: Marked up.}
    sources: [s]
"""
    load_files(session, [write(tmp_path, "m.yaml", text)])
    amdt = session.scalars(select(Measure).where(Measure.slug == "amdt")).one()
    assert amdt.vehicle.slug == "ndaa"
    assert [(a.action_type, a.acted_on_precision) for a in amdt.actions] == [
        ("proposed", "month"),
        ("markup", "day"),
    ]
    dup = text.replace("slug: amdt", "slug: amdt2").replace("vehicle: ndaa", "official_id: s1-119")
    with pytest.raises(ValidationError, match="official_id: 's1-119' is also used by"):
        load_files(session, [write(tmp_path, "m2.yaml", dup)])


def test_docs_example_is_the_fixture_and_loads(session):
    doc = DOCS.read_text(encoding="utf-8").split("## A complete example", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", doc, re.S)
    assert block is not None
    fixture = (FIXTURES / "example.yaml").read_text(encoding="utf-8")
    assert fixture.split("\n", 1)[1] == block.group(1)
    report = load_files(session, [FIXTURES / "example.yaml"])
    assert (report.records_created, report.actors_created) == (5, 3)


def test_reload_leaves_claims_made_elsewhere_alone(session, tmp_path):
    from tracker.models import Source
    from tracker.records.claims import add_claim

    path = write(tmp_path, "base.yaml", BASE)
    load_files(session, [path])
    rec = session.scalars(select(Designation)).one()
    other = session.scalars(select(Source).where(Source.slug == "src-b")).one()
    add_claim(session, record=rec, field="status", value="active", source=other)
    report = load_files(session, [path])
    assert not report.changed
    status = resolve_record(session, rec)["status"]
    assert status.conflicting and {c.value for c in status.active_claims} == {
        "active",
        "challenged",
    }


def test_alias_bomb_is_refused_quickly(session, tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("sources: *a8")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    with pytest.raises(ValidationError, match=r"bomb\.yaml: expands to more than"):
        load_files(session, [path])
