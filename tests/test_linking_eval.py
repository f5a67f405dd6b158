"""The evaluation harness: our labelled articles against the demo knowledge base plus every
current member of Congress and their committees. Precision first (≥ 0.95), recall ≥ 0.90."""

from __future__ import annotations

from pathlib import Path

import pytest
from linking_support import add_article, make_feed
from sqlalchemy import select

from tracker.linking.api import link_articles
from tracker.linking.evaluate import evaluate, load_cases
from tracker.linking.gazetteer import load_gazetteer
from tracker.models.links import ArticleActor

CASES = Path(__file__).parent / "fixtures" / "linking" / "articles.yaml"


@pytest.fixture
def full_kb(session, corpus_dir):
    from tracker.legislation.committees import import_committees
    from tracker.legislation.legislators import import_legislators
    from tracker.records.demo import build_demo

    data = corpus_dir / "congress-legislators"
    build_demo(session)
    import_legislators(session, data / "legislators-current.yaml")
    import_committees(
        session, data / "committees-current.yaml", data / "committee-membership-current.yaml"
    )
    session.flush()
    return session


def test_labelled_cases_are_well_formed():
    cases = load_cases(CASES)
    assert len(cases) >= 40
    assert len({c.id for c in cases}) == len(cases)
    assert sum(1 for c in cases if not c.gold) >= 10  # traps where nothing should link


def test_precision_and_recall_on_labelled_articles(full_kb, capsys):
    """Precision and recall of auto-accepted links; then the stored links agree."""
    gz = load_gazetteer(full_kb)
    slugs = {a.slug for a in gz.actors.values()}
    cases = load_cases(CASES)
    unknown = sorted({g for c in cases for g in c.gold} - slugs)
    assert not unknown, f"gold slugs missing from the knowledge base: {unknown}"
    result = evaluate(gz, cases)
    with capsys.disabled():
        print(
            f"\nlinking evaluation: {result.cases} articles, precision {result.precision:.3f}, "
            f"recall {result.recall:.3f} (tp {result.true_positives}, fp "
            f"{result.false_positives}, fn {result.false_negatives}), {gz.alias_count} aliases"
        )
        for o in result.errors():
            print(f"  {o.case}: extra {list(o.false_positives)} missed {list(o.false_negatives)}")
    assert result.precision >= 0.95
    assert result.recall >= 0.90

    # the database path (link_articles) stores exactly what the evaluation measured
    cases = cases[:20]
    feed = make_feed(full_kb)
    arts = {c.id: add_article(full_kb, feed, c.title, c.text) for c in cases}
    link_articles(full_kb, [a.id for a in arts.values()])
    expected = {
        o.case: set(o.true_positives) | set(o.false_positives) for o in evaluate(gz, cases).outcomes
    }
    for case in cases:
        stored = {
            link.actor.slug
            for link in full_kb.scalars(
                select(ArticleActor).where(
                    ArticleActor.article_id == arts[case.id].id, ArticleActor.status == "auto"
                )
            )
        }
        assert stored == expected[case.id], case.id
