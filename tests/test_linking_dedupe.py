"""Actor dedupe (xref-style scoring, judged pairs skipped) and merge (everything moves)."""

from __future__ import annotations

from datetime import datetime

import pytest
from linking_support import AMENDMENT_TEXT, add_article, make_feed, make_kb
from sqlalchemy import select

from tracker.errors import UsageError, ValidationError
from tracker.linking import dedupe
from tracker.linking.api import link_articles
from tracker.models import (
    Actor,
    ActorAlias,
    ActorExternalId,
    ActorRole,
    Claim,
    RecordActor,
    Source,
)
from tracker.models.links import ActorJudgement, ArticleActor


def _dup(session, slug, name, kind="person", **ids):
    a = Actor(slug=slug, name=name, kind=kind)
    a.external_ids = [ActorExternalId(scheme=k, value=v) for k, v in ids.items()]
    session.add(a)
    session.flush()
    return a


def test_candidates_score_similar_names_and_skip_judged_pairs(session):
    actors = make_kb(session)
    _dup(session, "william-hagerty", "William F. Hagerty")  # no shared id: a name match
    _dup(session, "sen-andy-kim", "Sen. Andrew Kim", K="x")
    _dup(session, "alibaba-group", "Alibaba Group", "company")
    pairs = {(p.left, p.right): p for p in dedupe.candidates(session, threshold=0.85)}
    assert ("alibaba", "alibaba-group") in pairs and pairs[
        ("alibaba", "alibaba-group")
    ].score == 1.0
    # different people who share a surname are not proposed
    assert not any({"andy-kim", "young-kim"} == {a, b} for a, b in pairs)
    assert not any({"tim-scott", "rick-scott"} == {a, b} for a, b in pairs)
    # a person and an organization are never a pair
    assert all(p.left != "us-senate" for p in pairs.values())
    dedupe.judge(
        session,
        actors["alibaba"].id,
        pairs[("alibaba", "alibaba-group")].right_id,
        "different",
        by="t",
    )
    after = {(p.left, p.right) for p in dedupe.candidates(session, threshold=0.85)}
    assert ("alibaba", "alibaba-group") not in after
    dedupe.judge(
        session, actors["alibaba"].id, pairs[("alibaba", "alibaba-group")].right_id, "undo", by="t"
    )
    again = {(p.left, p.right) for p in dedupe.candidates(session, threshold=0.85)}
    assert ("alibaba", "alibaba-group") in again


def test_ids_in_the_same_scheme_rule_a_pair_out(session):
    make_kb(session)
    _dup(session, "young-kim-2", "Young Kim", bioguide="K999999")
    _dup(session, "young-kim-3", "Young Kim")
    pairs = {(p.left, p.right): p for p in dedupe.candidates(session, threshold=0.5)}
    assert ("young-kim", "young-kim-2") not in pairs  # same name, different bioguide ids
    assert pairs[("young-kim", "young-kim-3")].score == 1.0


def test_merge_moves_everything_and_keeps_the_duplicate(session):
    actors = make_kb(session)
    keep = actors["andy-kim"]
    dup = _dup(session, "andrew-kim", "Andrew Kim", wikidata="Q123")
    dup.aliases = [ActorAlias(alias="Andy K.", normalized="andy k", origin="curated")]
    dup.roles = [
        ActorRole(title="Member", organization_id=actors["us-senate"].id, origin="curated")
    ]
    child = Actor(
        slug="kim-office", name="Office of Andrew Kim", kind="organization", parent_id=dup.id
    )
    session.add(child)
    src = Source(slug="s1", title="A source")
    session.add(src)
    session.flush()
    session.add(Claim(actor_id=dup.id, field="born", value='"1982"', source_id=src.id,
                      claim_key="k1", recorded_at=datetime(2026, 1, 1)))  # fmt: skip
    record_id = session.scalars(select(RecordActor.record_id)).first()
    session.add(RecordActor(record_id=record_id, actor_id=dup.id, role="mentioned"))
    session.add(RecordActor(record_id=record_id, actor_id=dup.id, role="sponsor"))  # keep has it
    feed = make_feed(session)
    art = add_article(session, feed, "Andrew Kim speaks", "Andrew Kim spoke at length.")
    both = add_article(session, feed, "Andrew Kim and Andy Kim", "Andrew Kim is Andy Kim.")
    link_articles(session, [art.id, both.id])
    session.flush()

    dedupe.merge_actors(session, keep, dup, by="tester")
    session.expire_all()
    assert dup.merged_into_id == keep.id
    assert keep.ids() == {"bioguide": "K000394", "wikidata": "Q123"}
    curated = {a.alias for a in keep.aliases if a.origin == "curated"}
    assert {"Andy K.", "Andrew Kim"} <= curated
    assert [r.title for r in keep.roles if r.title == "Member"] == ["Member"]
    assert session.get(Actor, child.id).parent_id == keep.id
    assert session.scalars(select(Claim.actor_id)).all() == [keep.id]
    roles = sorted(session.scalars(select(RecordActor.role).where(RecordActor.actor_id == keep.id)))
    assert roles == ["mentioned", "sponsor"]
    assert not session.scalars(select(RecordActor).where(RecordActor.actor_id == dup.id)).all()
    linked = session.scalars(
        select(ArticleActor.article_id).where(ArticleActor.actor_id == keep.id)
    )
    assert set(linked) == {art.id, both.id}
    assert not session.scalars(select(ArticleActor).where(ArticleActor.actor_id == dup.id)).all()
    (j,) = session.scalars(select(ActorJudgement)).all()
    assert (j.decision, j.decided_by) == ("same", "tester")
    # the merged actor's names now find the kept actor
    link_articles(session, [art.id])
    assert (
        session.scalar(select(ArticleActor.actor_id).where(ArticleActor.article_id == art.id))
        == keep.id
    )


def test_merge_refuses_conflicting_ids_and_self(session):
    actors = make_kb(session)
    other = _dup(session, "andy-kim-2", "Andy Kim", bioguide="K000001")
    with pytest.raises(ValidationError, match="different bioguide ids"):
        dedupe.merge_actors(session, actors["andy-kim"], other)
    with pytest.raises(UsageError, match="same actor"):
        dedupe.merge_actors(session, actors["andy-kim"], actors["andy-kim"])


def test_judge_validates(session):
    actors = make_kb(session)
    with pytest.raises(UsageError):
        dedupe.judge(session, actors["andy-kim"].id, actors["andy-kim"].id, "same")
    with pytest.raises(UsageError):
        dedupe.judge(session, actors["andy-kim"].id, actors["young-kim"].id, "maybe")


def test_amendment_text_helper_is_linkable(session):
    make_kb(session)
    art = add_article(session, make_feed(session), "Amendment", AMENDMENT_TEXT)
    assert link_articles(session, [art.id]).auto == 2
