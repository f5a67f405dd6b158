"""link_articles / relink_all on a real database: idempotent, judgement-respecting, no commit."""

from __future__ import annotations

from datetime import datetime

from linking_support import add_article, make_feed, make_kb
from sqlalchemy import func, select

from tracker.linking import judgements
from tracker.linking.api import link_articles, relink_all
from tracker.linking.gazetteer import sync_generated_aliases
from tracker.models import ActorAlias
from tracker.models.feeds import Article
from tracker.models.links import ArticleActor, LinkJudgement, Mention, RecordSuggestion

AMENDMENT = (
    "Hagerty and Kim file amendment on distillation",
    "Sen. Bill Hagerty (R-Tenn.) and Sen. Andy Kim (D-N.J.) filed an amendment to punish AI "
    "model distillation. Kim said the amendment is overdue.",
)


def _links(session, article_id):
    rows = session.scalars(
        select(ArticleActor)
        .where(ArticleActor.article_id == article_id)
        .order_by(ArticleActor.actor_id)
    )
    return {
        link.actor.slug: (
            link.status,
            link.method,
            [(m.text, m.start, m.end) for m in link.mentions],
        )
        for link in rows
    }


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_links_with_spans_into_article_text(session):
    actors = make_kb(session)
    art = add_article(session, make_feed(session), *AMENDMENT)
    summary = link_articles(session, [art.id])
    links = _links(session, art.id)
    assert set(links) == {"bill-hagerty", "andy-kim"}
    assert links["andy-kim"][0] == "auto"
    text = art.text()
    for _status, _method, mentions in links.values():
        for mention, start, end in mentions:
            assert text[start:end] == mention
    kim_mentions = [m for m, _, _ in links["andy-kim"][2]]
    assert kim_mentions == ["Kim", "Andy Kim", "Kim"]
    assert summary.added == 2 and summary.auto == 2 and summary.articles == 1
    assert art.linked_at is not None
    assert actors["young-kim"].id not in {
        link.actor_id for link in session.scalars(select(ArticleActor))
    }


def test_relinking_is_idempotent(session):
    make_kb(session)
    feed = make_feed(session)
    arts = [add_article(session, feed, *AMENDMENT), add_article(session, feed, "Qwen and DeepSeek")]
    first = link_articles(session, [a.id for a in arts])
    before = (_count(session, ArticleActor), _count(session, Mention))
    snapshot = {a.id: _links(session, a.id) for a in arts}
    again = link_articles(session, [a.id for a in arts])
    assert (_count(session, ArticleActor), _count(session, Mention)) == before
    assert {a.id: _links(session, a.id) for a in arts} == snapshot
    assert again.added == again.removed == again.updated == 0
    assert again.unchanged == first.added


def test_changed_text_updates_links_in_place(session):
    make_kb(session)
    art = add_article(session, make_feed(session), *AMENDMENT)
    link_articles(session, [art.id])
    hagerty_id = session.scalar(
        select(ArticleActor.id).where(ArticleActor.article_id == art.id).order_by(ArticleActor.id)
    )
    art.title = "Senator speaks"
    art.summary_text = "Sen. Bill Hagerty spoke about MiniMax today."
    summary = link_articles(session, [art.id])
    links = _links(session, art.id)
    assert set(links) == {"bill-hagerty", "minimax"}
    assert summary.removed == 1 and summary.added == 1
    assert (
        session.scalar(
            select(ArticleActor.id)
            .where(ArticleActor.article_id == art.id)
            .order_by(ArticleActor.id)
        )
        == hagerty_id
    )


def test_rejected_pair_is_never_suggested_again(session):
    actors = make_kb(session)
    art = add_article(session, make_feed(session), *AMENDMENT)
    link_articles(session, [art.id])
    judgements.decide(session, art.id, actors["andy-kim"].id, "reject", by="tester")
    link_articles(session, [art.id])
    assert _links(session, art.id)["andy-kim"][0] == "rejected"
    relink_all(session, only_stale=False)
    assert _links(session, art.id)["andy-kim"][0] == "rejected"
    # undo brings the matcher's own verdict back
    judgements.decide(session, art.id, actors["andy-kim"].id, "undo", by="tester")
    link_articles(session, [art.id])
    assert _links(session, art.id)["andy-kim"][0] == "auto"


def test_confirmed_pair_stays_when_matcher_no_longer_finds_it(session):
    actors = make_kb(session)
    art = add_article(session, make_feed(session), *AMENDMENT)
    link_articles(session, [art.id])
    judgements.decide(session, art.id, actors["bill-hagerty"].id, "accept", by="tester")
    link_articles(session, [art.id])
    assert _links(session, art.id)["bill-hagerty"][0] == "confirmed"
    art.summary_text = "Nothing about senators here."
    art.title = "A quiet day"
    link_articles(session, [art.id])
    assert _links(session, art.id) == {"bill-hagerty": ("confirmed", "exact", [])} or (
        _links(session, art.id)["bill-hagerty"][0] == "confirmed"
    )


def test_judgements_are_append_only_with_supersede_and_undo(session):
    actors = make_kb(session)
    art = add_article(session, make_feed(session), *AMENDMENT)
    kim = actors["andy-kim"].id
    a = judgements.decide(session, art.id, kim, "accept", by="ana")
    b = judgements.decide(session, art.id, kim, "reject", by="ben")
    assert judgements.in_force(session, [art.id]) == {(art.id, kim): "reject"}
    judgements.decide(session, art.id, kim, "undo", by="ben")
    assert judgements.in_force(session, [art.id]) == {(art.id, kim): "accept"}
    rows = list(session.scalars(select(LinkJudgement).order_by(LinkJudgement.id)))
    assert [r.decision for r in rows] == ["accept", "reject", "undo"]
    assert rows[0].superseded_by_id == b.id and rows[1].superseded_by_id == rows[2].id
    assert [d.decided_by for d in judgements.history(session, art.id, kim)] == ["ana", "ben", "ben"]
    assert a.id == rows[0].id


def test_undo_without_decision_is_a_clear_error(session):
    import pytest

    from tracker.errors import NotFound

    actors = make_kb(session)
    art = add_article(session, make_feed(session), *AMENDMENT)
    with pytest.raises(NotFound, match="no decision to undo"):
        judgements.decide(session, art.id, actors["andy-kim"].id, "undo")


def test_generated_aliases_are_stored_apart_and_rebuildable(session):
    make_kb(session)
    added, removed = sync_generated_aliases(session)
    generated = {
        (a.actor.slug, a.normalized, a.note)
        for a in session.scalars(select(ActorAlias).where(ActorAlias.origin == "generated"))
    }
    assert ("alibaba", "alibaba group", "corporate") in generated
    assert ("deepseek", "deep seek", "spacing") in generated
    assert ("andy-kim", "kim", "surname") in generated
    assert added == len(generated) and removed == 0
    # "alibaba" is a curated alias: not stored again as generated
    assert ("alibaba", "alibaba", "corporate") not in generated
    assert sync_generated_aliases(session) == (0, 0)
    curated = _count(session, ActorAlias) - len(generated)
    session.execute(ActorAlias.__table__.delete().where(ActorAlias.origin == "generated"))
    assert sync_generated_aliases(session) == (len(generated), 0)
    assert _count(session, ActorAlias) - len(generated) == curated


def test_relink_all_only_stale(session):
    make_kb(session)
    feed = make_feed(session)
    a1 = add_article(session, feed, *AMENDMENT)
    link_articles(session, [a1.id])
    a2 = add_article(session, feed, "DeepSeek ships a model")
    summary = relink_all(session)
    assert summary.articles == 1 and summary.added == 1
    assert relink_all(session).articles == 0
    assert relink_all(session, only_stale=False).articles == 2
    assert a2.linked_at is not None


def test_record_suggestion_for_named_actors_and_keyword(session):
    make_kb(session)
    feed = make_feed(session)
    art = add_article(session, feed, *AMENDMENT)
    other = add_article(session, feed, "Hagerty visits Tokyo", "Sen. Bill Hagerty met officials.")
    summary = link_articles(session, [art.id, other.id])
    rows = list(session.scalars(select(RecordSuggestion)))
    assert [(r.article_id, r.status) for r in rows] == [(art.id, "suggested")]
    assert "2 of its actors named" in rows[0].reason and "amendment" in rows[0].reason
    assert summary.suggestions == 1
    rows[0].status = "rejected"
    link_articles(session, [art.id])
    assert [r.status for r in session.scalars(select(RecordSuggestion))] == ["rejected"]


def test_same_news_from_two_outlets_is_one_story(session):
    make_kb(session)
    a = make_feed(session, "file:///a.xml", "Outlet A")
    b = make_feed(session, "file:///b.xml", "Outlet B")
    first = add_article(
        session, a, "Hagerty and Kim file amendment on AI distillation", AMENDMENT[1]
    )
    second = add_article(
        session,
        b,
        "Senators Hagerty, Kim file AI distillation amendment",
        "Sen. Bill Hagerty and Sen. Andy Kim want penalties for model distillation.",
        published=datetime(2026, 6, 11, 9, 0),
    )
    unrelated = add_article(
        session,
        b,
        "DeepSeek ships a new model",
        "DeepSeek released weights.",
        published=datetime(2026, 6, 11, 10, 0),
    )
    far = add_article(
        session,
        b,
        "Hagerty and Kim file amendment on AI distillation",
        AMENDMENT[1],
        published=datetime(2026, 9, 1, 9, 0),
        link="https://news.example/later",
    )
    link_articles(session, [first.id])
    link_articles(session, [second.id, unrelated.id, far.id])
    stories = {x.id: x.story_id for x in session.scalars(select(Article))}
    assert stories[first.id] is not None and stories[first.id] == stories[second.id]
    assert stories[unrelated.id] is None and stories[far.id] is None
    link_articles(session, [first.id, second.id])
    assert {x.id: x.story_id for x in session.scalars(select(Article))} == stories


def test_link_articles_does_not_commit(engine):
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        make_kb(s)
        art = add_article(s, make_feed(s), *AMENDMENT)
        s.commit()
        link_articles(s, [art.id])
        s.rollback()
    with Session(engine) as s:
        assert _count(s, ArticleActor) == 0


def test_empty_and_unknown_ids(session):
    make_kb(session)
    assert link_articles(session, []).articles == 0
    assert link_articles(session, [987654]).articles == 0


def test_bill_citations_from_the_legislation_resolver_are_folded_in(session):
    from tracker.models import Measure

    make_kb(session)
    bill = Measure(
        slug="hr3838-119",
        official_id="hr3838-119",
        congress=119,
        measure_type="bill",
        chamber="house",
        title="A bill about model weights",
    )
    session.add(bill)
    session.flush()
    art = add_article(session, make_feed(session), "House passes H.R. 3838", "Lawmakers voted.")
    link_articles(session, [art.id])
    rows = {r.record_id: r for r in session.scalars(select(RecordSuggestion))}
    assert rows[bill.id].status == "accepted" and rows[bill.id].reason.startswith("citation")
    link_articles(session, [art.id])  # again: nothing duplicated, nothing dropped
    assert [r.record_id for r in session.scalars(select(RecordSuggestion))] == [bill.id]


def test_linking_with_no_actors_at_all(session):
    art = add_article(session, make_feed(session), "Kim said so", "Nobody is known yet.")
    summary = link_articles(session, [art.id])
    assert summary.articles == 1 and summary.added == 0 and art.linked_at is not None
