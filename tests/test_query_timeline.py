"""The timeline query: what it merges, how it filters, claims and as-of, story merging."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from query_kb import build_kb
from rich.console import Console
from sqlalchemy.orm import Session

from tracker.errors import Ambiguous, NotFound, UsageError
from tracker.query.timeline import build_timeline


@pytest.fixture
def kb(engine):
    with Session(engine, expire_on_commit=False) as s:
        objs = build_kb(s)
        s.commit()
    return objs


@pytest.fixture
def s(engine, kb):
    with Session(engine) as session:
        yield session


def _keys(tl):
    return [(r.date.iso(), r.kind, r.meaning, r.record) for r in tl.rows]


def test_everything_in_order_with_meanings(s):
    tl = build_timeline(s)
    assert _keys(tl) == [
        ("2026", "incident", "occurred", "deepseek-distillation"),
        ("2026-04", "event", "occurred", "april-memo"),
        ("2026-06-03", "incident", "disclosed", "deepseek-distillation"),
        ("2026-06-08", "designation", "added", "alibaba-1260h"),
        ("2026-06-10", "letter", "sent", "senators-letter"),
        ("2026-06-11", "article", "published", None),
        ("2026-06-12", "measure", "introduced", "hagerty-kim-amendment"),
        ("2026-06-12", "measure", "action", "hagerty-kim-amendment"),
        ("2026-06-18", "measure", "action", "hagerty-kim-amendment"),
        ("2026-06-23", "designation", "filed", "alibaba-1260h"),
        ("2026-06-23", "event", "occurred", "alibaba-lawsuit"),
        ("2026-06-23", "article", "published", None),
        ("2026-06-24", "letter", "made public", "senators-letter"),
    ]
    assert not tl.truncated


def test_partial_dates_keep_their_precision(s):
    rows = {r.record: r for r in build_timeline(s, kinds=["event"]).rows}
    assert rows["april-memo"].date.precision == "month"
    assert rows["alibaba-lawsuit"].date.precision == "day"
    assert rows["alibaba-lawsuit"].related == "alibaba-1260h"


def test_conflicting_claims_are_marked_with_each_value_and_source(s):
    (row,) = [r for r in build_timeline(s).rows if r.meaning == "added"]
    assert row.conflicting
    assert row.date == row.date.of("2026-06-08")  # the first-recorded value wins the tie
    assert [(a.value, [x.outlet for x in a.sources]) for a in row.alternatives] == [
        ("2026-06-08", ["Reuters"]),
        ("2026-06-09", ["Bloomberg"]),
    ]
    assert [x.outlet for x in row.sources] == ["Reuters"]


def test_as_of_reads_claims_and_events_as_they_stood(s):
    tl = build_timeline(s, as_of=date(2026, 6, 15))
    (row,) = [r for r in tl.rows if r.meaning == "added"]
    assert not row.conflicting  # Bloomberg's June 9 claim was recorded on June 20
    assert all(r.date.start <= date(2026, 6, 15) for r in tl.rows)
    assert ("2026-06-23", "event", "occurred", "alibaba-lawsuit") not in _keys(tl)
    # Before any claim about the listing date was recorded, the row is not known at all.
    early = build_timeline(s, as_of=date(2026, 6, 7))
    assert not [r for r in early.rows if r.meaning == "added"]


def test_actor_filter_is_fuzzy_and_covers_records_events_and_linked_articles(s):
    tl = build_timeline(s, actor="Alibaba Grop")  # a typo still finds the actor
    assert tl.actor == "alibaba"
    assert _keys(tl) == [
        ("2026-06-08", "designation", "added", "alibaba-1260h"),
        ("2026-06-23", "designation", "filed", "alibaba-1260h"),
        ("2026-06-23", "event", "occurred", "alibaba-lawsuit"),
        ("2026-06-23", "article", "published", None),
    ]


def test_article_links_awaiting_review_are_left_out(s):
    # The hostile/chips article links Alibaba only with status "review".
    titles = [r.title for r in build_timeline(s, actor="alibaba", kinds=["article"]).rows]
    assert titles == ["Alibaba sues the Pentagon"]
    hagerty = build_timeline(s, actor="bill-hagerty", kinds=["article"]).rows
    assert [r.title for r in hagerty] == ["Senators press on chips"]


def test_a_story_from_several_outlets_is_one_row_with_every_source(s):
    rows = [r for r in build_timeline(s, kinds=["article"]).rows if r.story_id]
    assert len(rows) == 1
    assert rows[0].title == "Alibaba sues the Pentagon"
    assert [x.outlet for x in rows[0].sources] == ["Reuters Tech", "Bloomberg"]
    assert [x.url for x in rows[0].sources] == [
        "https://example.com/r/sue",
        "https://example.com/b/sue",
    ]


def test_unknown_and_ambiguous_actor(s):
    with pytest.raises(NotFound) as exc:
        build_timeline(s, actor="Zzyzx Quux Holdings")
    assert exc.value.exit_code == 2
    from tracker.models import Actor

    s.add_all([Actor(slug="kim-a", name="Kim Lee", kind="person"),
               Actor(slug="kim-b", name="Kim Lee", kind="person")])  # fmt: skip
    s.flush()
    with pytest.raises(Ambiguous) as amb:
        build_timeline(s, actor="Kim Lee")
    choices = " ".join(amb.value.choices)
    assert "kim-a" in choices and "kim-b" in choices


def test_record_filter_includes_its_events_and_accepted_articles(s):
    tl = build_timeline(s, record="alibaba-1260h")
    assert _keys(tl) == [
        ("2026-06-08", "designation", "added", "alibaba-1260h"),
        ("2026-06-23", "designation", "filed", "alibaba-1260h"),
        ("2026-06-23", "event", "occurred", "alibaba-lawsuit"),
        ("2026-06-23", "article", "published", None),
    ]
    (art,) = [r for r in tl.rows if r.kind == "article"]
    assert [x.outlet for x in art.sources] == ["Reuters Tech"]  # only the accepted one


def test_kind_since_until_tag_and_limit(s):
    assert {r.kind for r in build_timeline(s, kinds=["measure", "letter"]).rows} == {
        "measure",
        "letter",
    }
    window = build_timeline(s, since=date(2026, 6, 12), until=date(2026, 6, 18))
    assert {r.date.iso() for r in window.rows} == {"2026-06-12", "2026-06-18", "2026"}
    # The year-only row overlaps every window inside 2026; month rows overlap their month.
    june = build_timeline(s, since=date(2026, 6, 20))
    assert ("2026-04", "event", "occurred", "april-memo") not in _keys(june)
    tagged = build_timeline(s, tags=["china"])
    assert {r.record for r in tagged.rows if r.kind != "article"} == {"alibaba-1260h"}
    assert [r.sources[0].outlet for r in tagged.rows if r.kind == "article"] == ["Reuters Tech"]
    last3 = build_timeline(s, limit=3)
    assert last3.truncated and [r.date.iso() for r in last3.rows] == [
        "2026-06-23",
        "2026-06-23",
        "2026-06-24",
    ]
    with pytest.raises(UsageError):
        build_timeline(s, kinds=["bogus"])
    with pytest.raises(UsageError):
        build_timeline(s, since=date(2026, 7, 1), until=date(2026, 6, 1))


def test_rows_carry_sources(s):
    for row in build_timeline(s).rows:
        assert row.sources, row


def test_json_shape_is_stable(s):
    data = build_timeline(s, actor="alibaba").to_dict()
    assert sorted(data) == [
        "actor",
        "as_of",
        "kinds",
        "record",
        "rows",
        "since",
        "tags",
        "truncated",
        "until",
    ]
    assert sorted(data["rows"][0]) == [
        "alternatives", "conflicting", "date", "detail", "kind", "meaning", "precision",
        "record", "record_title", "related", "sources", "story_id", "title",
    ]  # fmt: skip


def test_view_groups_by_month_and_shows_precision(s):
    from tracker.render.timeline import timeline_view

    out = StringIO()
    Console(file=out, width=120, color_system=None).print(timeline_view(build_timeline(s)))
    text = out.getvalue()
    lines = [ln.strip() for ln in text.splitlines()]
    assert lines.index("2026") < lines.index("April 2026") < lines.index("June 2026")
    assert any(ln.startswith("April ") and "White House memo" in ln for ln in lines)
    assert any(ln.startswith("Jun 8 ") for ln in lines)
    assert "⚠ conflicting: 2026-06-08 (Reuters) vs 2026-06-09 (Bloomberg)" in " ".join(text.split())


def test_many_articles_stay_few_queries(engine, kb):
    """The timeline is a fixed number of round trips, whatever the number of rows."""
    from sqlalchemy import event

    from tracker.models.feeds import Article
    from tracker.models.links import ArticleActor

    with Session(engine) as s:
        feed_id = kb["feeds"][0].id
        for i in range(60):
            a = Article(feed_id=feed_id, identity=f"x{i}", title=f"Item {i}", content_hash="h",
                        published_at=datetime(2026, 5, 1 + i % 28, 10))  # fmt: skip
            s.add(a)
            s.flush()
            s.add(
                ArticleActor(
                    article_id=a.id,
                    actor_id=kb["alibaba"].id,
                    method="exact",
                    score=1.0,
                    status="auto",
                )
            )
        s.flush()
        count = {"n": 0}

        def before(*_args):  # type: ignore[no-untyped-def]
            count["n"] += 1

        event.listen(engine, "before_cursor_execute", before)
        try:
            tl = build_timeline(s, actor="alibaba")
        finally:
            event.remove(engine, "before_cursor_execute", before)
        assert len([r for r in tl.rows if r.kind == "article"]) == 61
        assert count["n"] <= 16, count


@pytest.mark.parametrize("plan", ["join", "window", "walk"])
@pytest.mark.parametrize("actor", ["alibaba", "bill-hagerty", "dod", "deepseek"])
def test_busy_actor_path_gives_the_same_rows(s, monkeypatch, actor, plan):
    """Busy actors are probed newest-first instead of listed, and their articles found by
    a join, a window or a walk (tracker.query.actor_articles); the rows must not change."""
    from tracker.query import actor_articles, timeline_rows

    listed = build_timeline(s, actor=actor, limit=50)
    monkeypatch.setattr(timeline_rows, "BUSY_RECORDS", 1)
    monkeypatch.setattr(
        actor_articles,
        "choose",
        # a window sized for one link: small enough that it must widen to find them all
        lambda links, limit, total, *_: actor_articles.Choice(plan, max(links, 1) * 50, total),
    )
    probed = build_timeline(s, actor=actor, limit=50)
    assert probed.rows == listed.rows
    few = build_timeline(s, actor=actor, limit=2)
    dated = build_timeline(s, actor=actor, limit=5, since=date(2026, 6, 1))
    monkeypatch.undo()
    assert few.rows == build_timeline(s, actor=actor, limit=2).rows
    assert dated.rows == build_timeline(s, actor=actor, limit=5, since=date(2026, 6, 1)).rows
