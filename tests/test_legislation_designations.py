"""Designation lists: companies become or join actors, one designation per listing with its
dates, removals as events, near-misses to review, idempotent re-import, pins kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tracker.errors import ValidationError
from tracker.legislation.designations import import_designations, org_key, read_listings
from tracker.legislation.overrides import set_override
from tracker.models import (
    Actor,
    ActorAlias,
    Claim,
    Designation,
    Event,
    RecordActor,
    RecordSource,
    Source,
)
from tracker.models.legislation import ImportReview

CSV = Path(__file__).resolve().parent / "fixtures" / "legislation" / "designations.csv"
TABLES = (
    Actor,
    ActorAlias,
    Designation,
    Event,
    RecordActor,
    RecordSource,
    Source,
    Claim,
    ImportReview,
)


def _counts(session):
    return [session.scalar(select(func.count()).select_from(t)) for t in TABLES]


def _actor(session, name):
    return session.scalars(select(Actor).where(Actor.name == name)).one()


@pytest.fixture
def existing(session):
    """What a knowledge base may already hold: Alibaba, a look-alike company, a listing."""
    alibaba = Actor(slug="alibaba", name="Alibaba Group", kind="company")
    alibaba.aliases.append(ActorAlias(alias="Alibaba", normalized="alibaba"))
    zenith = Actor(slug="zenith-optical", name="Zenith Optical Instruments", kind="company")
    session.add_all([alibaba, zenith])
    session.flush()
    listing = Designation(
        slug="alibaba-listing",
        title="Alibaba on the 1260H list",
        list_name="Section 1260H list",
        subject_id=alibaba.id,
        status="challenged",
    )
    session.add(listing)
    session.flush()
    return alibaba, zenith, listing


def test_rows_become_actors_and_designations(session, existing):
    listing = existing[2]
    report = import_designations(session, CSV)
    assert (report.created, report.updated) == (5, 1)
    robotics = _actor(session, "Example Robotics Co., Ltd.")
    listings = session.scalars(
        select(Designation)
        .where(Designation.subject_id == robotics.id)
        .order_by(Designation.added_on)
    ).all()
    assert [(d.added_on, d.removed_on, d.status) for d in listings] == [
        (date(2025, 1, 7), date(2026, 2, 17), "removed"),
        (date(2026, 6, 8), None, "active"),
    ]
    assert all(d.authority.name == "Department of Defense" for d in listings)
    assert {a.alias for a in robotics.aliases} >= {"ExRobo", "Example Robotics Co., Ltd."}
    # The removal is a dated event on the designation's timeline, not a deletion.
    event = session.scalars(select(Event)).one()
    assert (event.event_type, event.occurred_on, event.subject_record_id) == (
        "removal",
        date(2026, 2, 17),
        listings[0].id,
    )
    # The alias joins Alibaba; its existing listing is updated, its challenge status kept.
    session.refresh(listing)
    assert (listing.added_on, listing.status, listing.authority.name) == (
        date(2026, 6, 8),
        "challenged",
        "Department of Defense",
    )
    assert (
        session.scalar(select(func.count()).select_from(Actor).where(Actor.name.like("Alibaba%")))
        == 1
    )
    claim = session.scalars(select(Claim).where(Claim.record_id == listing.id)).one()
    assert (claim.field, claim.value, claim.source.url) == (
        "added_on",
        '"2026-06-08"',
        "https://lists.example.gov/2026-edition.pdf",
    )
    # Parent by a suffix-insensitive name; previous names kept as aliases.
    subsidiary = _actor(session, "Sample Avionics Subsidiary Ltd.")
    assert subsidiary.parent.name == "Sample Aviation Holding Group Co., Ltd."
    assert ("Old Avionics Name Co.", "former_name") in {
        (a.alias, a.note) for a in subsidiary.aliases
    }


def test_near_misses_go_to_review_instead_of_merging(session, existing):
    _, zenith, _ = existing
    report = import_designations(session, CSV)
    listed = _actor(session, "Zenith Optic Instruments Co., Ltd.")
    assert listed.id != zenith.id
    review = session.scalars(select(ImportReview)).one()
    assert (review.actor_id, review.candidate_id, review.status) == (
        listed.id,
        zenith.id,
        "pending",
    )
    assert 0.88 <= review.score < 1
    assert report.count("matches to review") == 1
    assert any("Zenith Optic" in w and "Zenith Optical" in w for w in report.warnings)


def test_reimport_is_idempotent(session, existing):
    import_designations(session, CSV)
    before = _counts(session)
    again = import_designations(session, CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert _counts(session) == before


def test_pinned_fields_are_kept(session, existing):
    import_designations(session, CSV)
    robotics = _actor(session, "Example Robotics Co., Ltd.")
    current = session.scalars(
        select(Designation).where(
            Designation.subject_id == robotics.id, Designation.removed_on.is_(None)
        )
    ).one()
    set_override(session, current, "status", "challenged", by="analyst")
    report = import_designations(session, CSV)
    assert current.status == "challenged"
    assert report.overrides_kept == ()  # the importer keeps 'challenged' anyway
    set_override(session, current, "added_on", date(2026, 6, 9), by="analyst")
    report = import_designations(session, CSV)
    assert current.added_on == date(2026, 6, 9)
    assert report.overrides_kept == (
        f"{current.slug}: kept the pinned added_on datetime.date(2026, 6, 9) "
        "(official: datetime.date(2026, 6, 8))",
    )


def test_bad_rows_are_refused_before_anything_is_written(session, tmp_path):
    bad = tmp_path / "list.csv"
    bad.write_text("Clean Name,Start date\nGood Co.,2026-06-08\nBad Co.,June 8th\n")
    with pytest.raises(ValidationError, match=r"list\.csv, line 3: date added 'June 8th'"):
        import_designations(session, bad)
    assert session.scalar(select(func.count()).select_from(Designation)) == 0
    nameless = tmp_path / "nameless.csv"
    nameless.write_text("Company Id,Start date\n1,2026-06-08\n")
    with pytest.raises(Exception, match="no entity column"):
        read_listings(nameless)


def test_org_key_drops_corporate_suffixes():
    assert org_key("Baidu, Inc.") == "baidu"
    assert org_key("Huawei Investment & Holding Co., Ltd.") == "huawei investment holding"
    assert org_key("China Mobile Limited") == org_key("China Mobile Ltd")
    assert org_key("China Telecom Group Co., Ltd.") != org_key("China Telecom Corporation Limited")


def test_cli(cli, db_url):
    result = cli("import", "designations", str(CSV), "--db", db_url, "--list", "Test list")
    assert result.code == 0, result.err
    assert "Import" in result.out and "designations" in result.out


def test_the_1260h_list(session, corpus_dir):
    import csv

    path = corpus_dir / "legislation" / "designations" / "us_dod_chinese_milcorps__sanctions.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    report = import_designations(session, path)
    assert report.ok and report.created == len(rows) == 397
    assert session.scalar(select(func.count()).select_from(Designation)) == len(rows)
    removed = [r for r in rows if r["End date"]]
    assert session.scalar(select(func.count()).select_from(Event)) == len(removed)
    assert session.scalar(
        select(func.count()).select_from(Designation).where(Designation.status == "removed")
    ) == len(removed)
    # Expected companies, computed here: names equal up to case, punctuation and legal form
    # ("Co., Ltd" / "Co., Ltd.") are one company. A row's previous name is the same company
    # too, unless that name was already another actor: then the pair waits for review.
    legal = {"co", "company", "corp", "corporation", "inc", "ltd", "limited"}

    def simple(name):
        words = "".join(c if c.isalnum() else " " for c in name.lower().replace("’", "'"))
        return " ".join(w for w in words.replace("'", " ").split() if w not in legal)

    companies = {simple(r["Clean Name"]) for r in rows}
    renamed = {
        (simple(r["Clean Name"]), simple(p))
        for r in rows
        for p in filter(None, r["Previous Name"].split(";"))
        if simple(p) in companies and simple(p) != simple(r["Clean Name"])
    }
    reviews = session.scalars(
        select(ImportReview).where(ImportReview.reason.like("%as its previous name%"))
    ).all()
    assert {(simple(r.actor.name), simple(r.candidate.name)) for r in reviews} <= renamed
    merged = len(renamed) - len(reviews)
    distinct = session.scalar(select(func.count(func.distinct(Designation.subject_id))))
    assert distinct == len(companies) - merged
    again = import_designations(session, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))


def test_review_queue_accept_merges_and_reimport_keeps_it(session, existing, engine, db_url, cli):
    from tracker.legislation.reviews import decide, list_reviews

    zenith = existing[1]
    import_designations(session, CSV)
    session.commit()
    (pending,) = list_reviews(session)
    assert (pending.name, pending.candidate) == (
        "Zenith Optic Instruments Co., Ltd.",
        "zenith-optical",
    )
    result = cli("import", "reviews", "--db", db_url, "--json")
    assert result.code == 0 and '"candidate": "zenith-optical"' in result.out
    result = cli("import", "reviews", "--accept", pending.id, "--db", db_url)
    assert result.code == 0, result.err
    session.expire_all()
    listed = session.scalars(select(Designation).where(Designation.subject_id == zenith.id)).all()
    assert len(listed) == 1  # the listing moved to the existing actor
    again = import_designations(session, CSV)
    assert again.created == 0 and again.count("actors added") == 0
    assert list_reviews(session) == []
    with pytest.raises(Exception, match="already accepted"):
        decide(session, pending.id, accept=False)
    assert cli("import", "reviews", "--reject", 999, "--db", db_url).code == 2
