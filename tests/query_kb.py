"""A small knowledge base built with the ORM, shared by the query and CLI tests.

June 2026, in brief: the Pentagon lists Alibaba (two sources disagree: June 8 vs June 9),
Alibaba sues on June 23, senators write on June 10 (public June 24), an amendment moves,
an April memo (month precision) and three articles, two of them one story.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from tracker.models import (
    Actor,
    ActorAlias,
    Designation,
    DesignationChallenge,
    Event,
    Incident,
    IncidentFigure,
    Letter,
    Measure,
    MeasureAction,
    RecordActor,
    RecordSource,
    RecordTag,
    Source,
)
from tracker.models.feeds import Article, Feed, FeedTag
from tracker.models.links import ArticleActor, RecordSuggestion, Story
from tracker.records.claims import Statement, set_field_claims

HOSTILE_TITLE = (
    "[bold]Boom[/bold] \x1b[31mred\x1b[0m \x1b]8;;http://evil\x07link\x1b]8;;\x07 \u202eevil\u202c"
)


def actor(s: Session, slug: str, name: str, kind: str, *aliases: str) -> Actor:
    a = Actor(slug=slug, name=name, kind=kind)
    for al in aliases:
        a.aliases.append(ActorAlias(alias=al, normalized=al.lower(), origin="curated"))
    s.add(a)
    return a


def build_kb(s: Session, *, hostile: bool = False) -> dict[str, object]:
    alibaba = actor(s, "alibaba", "Alibaba Group", "company", "Alibaba")
    dod = actor(s, "dod", "Department of Defense", "agency", "Pentagon")
    anthropic = actor(s, "anthropic", "Anthropic", "ai_lab")
    hagerty = actor(s, "bill-hagerty", "Bill Hagerty", "person", "Hagerty")
    kim = actor(s, "andy-kim", "Andy Kim", "person")
    deepseek = actor(s, "deepseek", "DeepSeek", "ai_lab")
    s.flush()

    reuters = Source(
        slug="reuters-1260h",
        url="https://example.com/r/1260h",
        title="Pentagon lists Alibaba",
        outlet="Reuters",
        kind="article",
        published_on=date(2026, 6, 8),
        published_on_precision="day",
    )
    bloomberg = Source(
        slug="bloomberg-1260h",
        url="https://example.com/b/1260h",
        title="Alibaba named on list",
        outlet="Bloomberg",
        kind="article",
        published_on=date(2026, 6, 9),
        published_on_precision="day",
    )
    letter_src = Source(
        slug="letter-pdf",
        url="https://example.com/letter.pdf",
        title="Senators' letter",
        outlet="Senate",
        kind="letter",
        published_on=date(2026, 6, 24),
        published_on_precision="day",
    )
    s.add_all([reuters, bloomberg, letter_src])
    s.flush()

    desig = Designation(
        slug="alibaba-1260h",
        title="Alibaba on the Section 1260H list",
        status="challenged",
        list_name="Section 1260H",
        subject_id=alibaba.id,
        authority_id=dod.id,
        added_on=date(2026, 6, 8),
        added_on_precision="day",
    )
    desig.sources.append(RecordSource(source=reuters))
    desig.sources.append(RecordSource(source=bloomberg))
    desig.tags.append(RecordTag(tag="china"))
    desig.challenges.append(
        DesignationChallenge(
            challenger_id=alibaba.id,
            venue="D.D.C.",
            filed_on=date(2026, 6, 23),
            filed_on_precision="day",
        )
    )
    letter = Letter(
        slug="senators-letter",
        title="Senators write about distillation",
        status="public",
        sent_on=date(2026, 6, 10),
        sent_on_precision="day",
        made_public_on=date(2026, 6, 24),
        made_public_on_precision="day",
    )
    letter.actors.append(RecordActor(actor=hagerty, role="author"))
    letter.actors.append(RecordActor(actor=kim, role="author"))
    letter.sources.append(RecordSource(source=letter_src))
    incident = Incident(
        slug="deepseek-distillation",
        title="DeepSeek distillation campaign",
        status="alleged",
        incident_kind="distillation",
        disclosed_on=date(2026, 6, 3),
        disclosed_on_precision="day",
        activity_start_on=date(2026, 1, 1),
        activity_start_on_precision="year",
    )
    incident.actors.append(RecordActor(actor=deepseek, role="perpetrator"))
    incident.actors.append(RecordActor(actor=anthropic, role="target"))
    incident.figures.append(
        IncidentFigure(metric="exchanges", value=28_800_000, qualifier="nearly")
    )
    incident.sources.append(RecordSource(source=reuters))
    measure = Measure(
        slug="hagerty-kim-amendment",
        title="Hagerty–Kim amendment",
        status="adopted",
        measure_type="amendment",
        chamber="senate",
        official_id="samdt1-119",
        introduced_on=date(2026, 6, 12),
        introduced_on_precision="day",
    )
    measure.actors.append(RecordActor(actor=hagerty, role="sponsor"))
    measure.actors.append(RecordActor(actor=kim, role="cosponsor"))
    measure.actions.append(
        MeasureAction(
            position=1,
            acted_on=date(2026, 6, 12),
            acted_on_precision="day",
            action_type="proposed",
            text="Amendment proposed",
            chamber="senate",
        )
    )
    measure.actions.append(
        MeasureAction(
            position=2,
            acted_on=date(2026, 6, 18),
            acted_on_precision="day",
            action_type="adopted",
            text="Adopted by voice vote",
            chamber="senate",
            source=letter_src,
        )
    )
    measure.sources.append(RecordSource(source=letter_src))
    memo = Event(
        slug="april-memo",
        title="White House memo on distillation",
        status="occurred",
        event_type="memo",
        occurred_on=date(2026, 4, 1),
        occurred_on_precision="month",
    )
    memo.sources.append(RecordSource(source=reuters))
    lawsuit = Event(
        slug="alibaba-lawsuit",
        title="Alibaba sues over listing",
        status="occurred",
        event_type="lawsuit",
        occurred_on=date(2026, 6, 23),
        occurred_on_precision="day",
        subject_record=desig,
    )
    lawsuit.sources.append(RecordSource(source=bloomberg))
    s.add_all([desig, letter, incident, measure, memo, lawsuit])
    s.flush()
    # The two sources disagree on the date Alibaba was added.
    set_field_claims(
        s,
        field="added_on",
        source=reuters,
        record=desig,
        statements=[Statement("2026-06-08", recorded_at=datetime(2026, 6, 8, 12))],
    )
    set_field_claims(
        s,
        field="added_on",
        source=bloomberg,
        record=desig,
        statements=[Statement("2026-06-09", recorded_at=datetime(2026, 6, 20, 12))],
    )

    feed_r = Feed(url="https://feeds.example.com/reuters", name="Reuters Tech")
    feed_b = Feed(url="https://feeds.example.com/bloomberg", name="Bloomberg")
    feed_r.tags.append(FeedTag(tag="china"))
    s.add_all([feed_r, feed_b])
    s.flush()
    story = Story(title="Alibaba sues the Pentagon", first_published_at=datetime(2026, 6, 23, 9))
    s.add(story)
    s.flush()
    arts = [
        Article(
            feed_id=feed_r.id,
            identity="a1",
            link="https://example.com/r/sue",
            title="Alibaba sues the Pentagon over listing",
            summary_text="Alibaba filed suit in Washington challenging its designation.",
            published_at=datetime(2026, 6, 23, 9),
            published_precision="time",
            content_hash="h1",
            story_id=story.id,
        ),
        Article(
            feed_id=feed_b.id,
            identity="a2",
            link="https://example.com/b/sue",
            title="Alibaba takes Pentagon to court",
            summary_text="The company contests the Section 1260H listing in court.",
            published_at=datetime(2026, 6, 23, 15),
            published_precision="time",
            content_hash="h2",
            story_id=story.id,
        ),
        Article(
            feed_id=feed_b.id,
            identity="a3",
            link="https://example.com/b/kim",
            title=HOSTILE_TITLE if hostile else "Senators press on chips",
            summary_text="Hagerty and Kim want tighter export rules.",
            published_at=datetime(2026, 6, 11, 8),
            published_precision="time",
            content_hash="h3",
        ),
    ]
    s.add_all(arts)
    s.flush()
    for a in arts[:2]:
        s.add(
            ArticleActor(
                article_id=a.id, actor_id=alibaba.id, method="exact", score=1.0, status="auto"
            )
        )
    s.add(
        ArticleActor(
            article_id=arts[2].id,
            actor_id=hagerty.id,
            method="exact",
            score=0.99,
            status="confirmed",
        )
    )
    s.add(
        ArticleActor(
            article_id=arts[2].id, actor_id=alibaba.id, method="fuzzy", score=0.5, status="review"
        )
    )
    s.add(RecordSuggestion(article_id=arts[0].id, record_id=desig.id, score=0.9, status="accepted"))
    s.flush()
    return {
        "alibaba": alibaba,
        "designation": desig,
        "letter": letter,
        "measure": measure,
        "incident": incident,
        "articles": arts,
        "story": story,
        "feeds": (feed_r, feed_b),
    }
