"""The demo knowledge base: complete, sourced, idempotent, and keeping the June 8/9 conflict."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tracker.models import (
    Actor,
    Base,
    Designation,
    Event,
    Incident,
    Letter,
    Measure,
    Record,
    RecordSource,
)
from tracker.records.claims import resolve_fields, resolve_record
from tracker.records.demo import build_demo, demo_files

REQUIRED_ACTORS = {
    "anthropic", "alibaba", "alibaba-qwen", "deepseek", "moonshot-ai", "minimax", "openai",
    "baidu", "xiaomi", "bill-hagerty", "andy-kim", "tim-scott", "elizabeth-warren",
    "bill-huizenga", "sydney-kamlager-dove", "senate-banking", "us-senate", "us-house", "dod",
    "white-house", "donald-trump",
}  # fmt: skip


def counts(session) -> dict[str, int]:
    session.flush()
    return {
        t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
        for t in Base.metadata.sorted_tables
    }


def test_demo_builds_twice_with_identical_rows(session):
    first = build_demo(session)
    assert first.changed and first.records_created >= 13
    before = counts(session)
    session.expire_all()
    second = build_demo(session)
    assert not second.changed
    assert counts(session) == before


def test_demo_has_the_story(session):
    build_demo(session)
    slugs = set(session.scalars(select(Actor.slug)))
    assert slugs >= REQUIRED_ACTORS
    qwen = session.scalars(select(Actor).where(Actor.slug == "alibaba-qwen")).one()
    assert qwen.parent.slug == "alibaba"
    banking = session.scalars(select(Actor).where(Actor.slug == "senate-banking")).one()
    assert banking.parent.slug == "us-senate" and banking.ids() == {"thomas": "SSBK"}
    hagerty = session.scalars(select(Actor).where(Actor.slug == "bill-hagerty")).one()
    assert hagerty.ids()["bioguide"] == "H000601"
    assert [r.label() for r in hagerty.roles] == ["Senator, United States Senate (R-TN)"]
    assert len(session.scalars(select(Incident)).all()) == 4

    qwen_campaign = session.scalars(
        select(Incident).where(Incident.slug == "qwen-distillation-campaign")
    ).one()
    figures = {f.metric: (f.value, f.qualifier) for f in qwen_campaign.figures}
    assert figures == {"exchanges": (28_800_000, "nearly"), "accounts": (25_000, "approximately")}
    assert (qwen_campaign.activity_start_on, qwen_campaign.activity_end_on) == (
        date(2026, 4, 22),
        date(2026, 6, 5),
    )

    letter = session.scalars(select(Letter)).one()
    assert (letter.sent_on, letter.made_public_on) == (date(2026, 6, 10), date(2026, 6, 24))
    assert {a.slug for a in letter.actors_in("recipient")} >= {"tim-scott", "elizabeth-warren"}
    assert len(letter.asks) >= 3

    measures = {m.slug: m for m in session.scalars(select(Measure))}
    assert {a.slug for a in measures["hagerty-kim-ndaa-amendment"].actors_in("sponsor")} == {
        "bill-hagerty",
        "andy-kim",
    }
    assert all(m.status == "proposed" and m.actions for m in measures.values())

    events = {e.slug: e.occurred_on for e in session.scalars(select(Event))}
    assert date(2026, 4, 23) in events.values() and date(2026, 6, 2) in events.values()


def test_designation_keeps_both_dates_with_sources(session):
    build_demo(session)
    des = session.scalars(
        select(Designation).where(Designation.slug == "alibaba-1260h-designation")
    ).one()
    assert (des.subject.slug, des.authority.slug, des.status) == ("alibaba", "dod", "challenged")
    assert des.effective_on == date(2026, 6, 30)
    assert [(c.challenger.slug, c.filed_on) for c in des.challenges] == [
        ("alibaba", date(2026, 6, 23))
    ]
    added = resolve_record(session, des)["added_on"]
    assert added.conflicting
    assert sorted(c.value for c in added.active_claims) == ["2026-06-08", "2026-06-09"]
    assert all(c.source_title for c in added.active_claims)


def test_every_record_has_a_source_and_claims_are_sourced(session):
    build_demo(session)
    ids = list(session.scalars(select(Record.id)))
    sourced = set(session.scalars(select(RecordSource.record_id)))
    assert set(ids) <= sourced
    resolved = resolve_fields(session, ids)
    assert all(resolved[i] for i in ids)  # every record states something through claims


def test_demo_files_ship_inside_the_package():
    files = demo_files()
    assert [f.name for f in files] == ["sources.yaml", "actors.yaml", "story.yaml"]
    assert all(f.is_file() and "tracker" in f.parts for f in files)
