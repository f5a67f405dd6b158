"""Watchlists and digests: what changed since a moment or since the last digest."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from query_kb import build_kb
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import NotFound, UsageError
from tracker.models import Designation, DesignationChallenge, MeasureAction, Source
from tracker.models.feeds import Article
from tracker.models.links import ArticleActor
from tracker.models.watch import DigestState
from tracker.query.digest import build_digest, mark_digest
from tracker.query.watch import add_watch, list_watches, remove_watch
from tracker.records.claims import Statement, set_field_claims


@pytest.fixture
def s(engine):
    with Session(engine, expire_on_commit=False) as s:
        objs = build_kb(s)
        s.commit()
        s.info["kb"] = objs
        yield s


def test_add_list_remove(s):
    item, created = add_watch(s, "Alibaba Grop")
    assert created and item.target == "actor" and item.slug == "alibaba"
    again, created = add_watch(s, "alibaba")
    assert not created and again.id == item.id
    rec, _ = add_watch(s, "alibaba-1260h", note="lawsuit")
    assert rec.target == "record" and rec.status == "challenged" and rec.note == "lawsuit"
    add_watch(s, "anthropic", watchlist="Labs")
    assert [(w.watchlist, w.slug) for w in list_watches(s)] == [
        ("default", "alibaba"), ("default", "alibaba-1260h"), ("labs", "anthropic")]  # fmt: skip
    assert [w.slug for w in list_watches(s, "labs")] == ["anthropic"]
    assert remove_watch(s, "alibaba").slug == "alibaba"
    with pytest.raises(NotFound):
        remove_watch(s, "alibaba")
    with pytest.raises(UsageError):
        add_watch(s, "alibaba", watchlist="  ")
    with pytest.raises(NotFound):
        add_watch(s, "Zzyzx Quux Holdings")


def test_digest_reports_each_kind_of_change(s):
    add_watch(s, "alibaba")
    add_watch(s, "hagerty-kim-amendment")
    d = build_digest(s, since=datetime(2026, 6, 1))
    sections = {(i.section, i.title) for i in d.items}
    assert (
        "conflict",
        "Alibaba on the Section 1260H list: sources disagree on added_on",
    ) in sections
    assert ("event", "Alibaba sues over listing") in sections
    assert ("action", "Hagerty–Kim amendment: adopted") in sections
    assert (
        "challenge",
        "Alibaba on the Section 1260H list: challenged by Alibaba Group",
    ) in sections
    assert {i.title for i in d.section("article")} == {
        "Alibaba sues the Pentagon over listing", "Alibaba takes Pentagon to court"}  # fmt: skip
    (conflict,) = d.section("conflict")
    assert conflict.detail == "2026-06-08 vs 2026-06-09" and conflict.watched == ("alibaba",)
    assert d.to_dict()["counts"]["article"] == 2


def test_since_last_digest_and_status_changes(s):
    add_watch(s, "alibaba-1260h")
    first = build_digest(s, now=datetime(2030, 1, 1))
    assert first.since_last_digest and first.since == datetime(2030, 1, 1) - timedelta(days=7)
    mark_digest(s, first)
    assert s.scalar(select(DigestState.last_digest_at)) == datetime(2030, 1, 1)
    # Nothing happened since: an empty digest.
    assert build_digest(s, now=datetime(2030, 1, 2)).items == ()
    # The designation is removed (a status change recorded without a claim) and a new
    # source disagrees about the listing date.
    desig = s.scalars(select(Designation)).one()
    desig.status = "removed"
    src = Source(
        slug="ft", url="https://example.com/ft", title="FT on 1260H", outlet="FT", kind="article"
    )
    s.add(src)
    s.flush()
    set_field_claims(s, field="added_on", source=src, record=desig,
                     statements=[Statement("2026-06-10", recorded_at=datetime(2030, 1, 1, 12))])  # fmt: skip
    s.add(DesignationChallenge(designation_id=desig.id, challenger_id=s.info["kb"]["alibaba"].id,
                               venue="Appeals", filed_on=date(2030, 1, 1), filed_on_precision="day"))  # fmt: skip
    d = build_digest(s, now=datetime(2030, 1, 2))
    assert [i.title for i in d.section("status")] == [
        "Alibaba on the Section 1260H list: challenged → removed"
    ]
    assert [i.detail for i in d.section("conflict")] == ["2026-06-08 vs 2026-06-09 vs 2026-06-10"]
    assert len(d.section("challenge")) == 1
    mark_digest(s, d)
    assert build_digest(s, now=datetime(2030, 1, 3)).section("status") == ()


def test_digest_of_an_empty_watchlist(s):
    d = build_digest(s, since=datetime(2026, 1, 1))
    assert d.watched == () and d.items == ()


def test_new_articles_need_an_accepted_link(s):
    kb = s.info["kb"]
    add_watch(s, "alibaba")
    art = Article(feed_id=kb["feeds"][0].id, identity="n1", title="Fresh Alibaba news", content_hash="n",
                  published_at=datetime(2030, 1, 1), first_seen_at=datetime(2030, 1, 1, 5))  # fmt: skip
    s.add(art)
    s.flush()
    s.add(
        ArticleActor(
            article_id=art.id, actor_id=kb["alibaba"].id, method="fuzzy", score=0.6, status="review"
        )
    )
    s.flush()
    assert build_digest(s, since=datetime(2030, 1, 1)).section("article") == ()
    link = s.scalars(select(ArticleActor).where(ArticleActor.article_id == art.id)).one()
    link.status = "confirmed"
    s.flush()
    assert [i.title for i in build_digest(s, since=datetime(2030, 1, 1)).section("article")] == [
        "Fresh Alibaba news"
    ]
    # Old actions are not news.
    assert not any(
        isinstance(x, MeasureAction) for x in build_digest(s, since=datetime(2030, 1, 1)).items
    )
