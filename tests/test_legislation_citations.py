"""Bill and amendment mentions in text, and articles linked to the measures they mention."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from tracker.legislation.citations import congress_of, find_citations
from tracker.legislation.importer import import_billstatus
from tracker.legislation.legislators import import_legislators
from tracker.legislation.measure_links import link_article_measures, measure_matches
from tracker.models import Measure, RecordActor
from tracker.models.feeds import Article, Feed
from tracker.models.links import RecordSuggestion

LEG = Path(__file__).resolve().parent / "fixtures" / "legislation"
JUNE_2026 = date(2026, 6, 20)


def cites(text, published=JUNE_2026):
    return [(c.kind, c.text, c.official_id()) for c in find_citations(text, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H.R. 3838", "hr3838-119"),
        ("HR 3838", "hr3838-119"),
        ("H. R. 3838", "hr3838-119"),
        ("S.2296", "s2296-119"),
        ("S. 2296", "s2296-119"),
        ("H.Res. 24", "hres24-119"),
        ("H.J.Res. 7", "hjres7-119"),
        ("S.Con.Res. 31", "sconres31-119"),
        ("H.Amdt. 123", "hamdt123-119"),
        ("S.Amdt.2345", "samdt2345-119"),
        ("SA 3001", "samdt3001-119"),
        ("H.R. 7900 (117th Congress)", "hr7900-117"),
        ("the 116th Congress's S. 945", "s945-116"),
    ],
)
def test_official_citations(text, expected):
    found = [c for c in find_citations(f"News: {text} moved.", JUNE_2026) if c.kind == "official"]
    assert [c.official_id() for c in found] == [expected]


def test_amendment_to_a_bill_keeps_its_vehicle():
    (amdt, bill) = [c for c in find_citations("S.Amdt.2345 to S.2296 was filed.", JUNE_2026)]
    assert amdt.official_id() == "samdt2345-119" and amdt.vehicle == bill
    assert bill.official_id() == "s2296-119"


@pytest.mark.parametrize(
    "text",
    [
        "U.S. 5 and the U.S. 10-year yield",
        "Section S. 12.3",
        "S. 5,000 tons",
        "as 3 said",
        "In 2026, 300 SAs",
        "HR department",
        "s. 12",
    ],
)
def test_things_that_are_not_citations(text):
    assert [c for c in find_citations(text, JUNE_2026) if c.kind == "official"] == []


def test_ndaa_names_resolve_their_fiscal_year():
    found = {
        c.text: c.fiscal_year
        for c in find_citations(
            "The NDAA, the fiscal 2026 defense bill, the FY2024 NDAA and the National Defense "
            "Authorization Act for Fiscal Year 2023 and the annual defense policy bill.",
            JUNE_2026,
        )
        if c.kind == "ndaa"
    }
    assert found == {
        "The NDAA": 2027,  # in mid-2026 Congress works on the FY2027 bill
        "the fiscal 2026 defense bill": 2026,
        "the FY2024 NDAA": 2024,
        "the National Defense Authorization Act for Fiscal Year 2023": 2023,
        "the annual defense policy bill": 2027,
    }


def test_sponsor_named_measures():
    found = [
        (c.names, c.what)
        for c in find_citations(
            "The Hagerty–Kim amendment and the Huizenga/Kamlager-Dove bill; the House bill.",
            JUNE_2026,
        )
        if c.kind == "sponsors"
    ]
    assert found == [(("Hagerty", "Kim"), "amendment"), (("Huizenga", "Kamlager-Dove"), "bill")]


def test_congress_of_dates():
    assert congress_of(date(2025, 1, 3)) == 119
    assert congress_of(date(2025, 1, 2)) == 118
    assert congress_of(date(2022, 12, 31)) == 117


@given(st.text(max_size=200))
def test_spans_point_at_the_text(text):
    for c in find_citations(text, JUNE_2026):
        assert text[c.start : c.end] in c.text or c.text.endswith(text[c.start : c.end])


@pytest.fixture
def kb(session):
    """Legislators, the s9001 test bill with SA 3001 (Kim) and a bill titled like the CHIPS Act."""
    import_legislators(session, LEG / "legislators.yaml")
    import_billstatus(session, LEG / "BILLSTATUS-119s9001-v3.xml")
    feed = Feed(url="https://news.example.com/feed.xml", name="Example News")
    session.add(feed)
    session.flush()
    return feed


def _article(session, feed, title, text, when=datetime(2026, 6, 20, 12)):
    art = Article(
        feed_id=feed.id,
        identity=title[:60],
        content_hash=title[:60],
        title=title,
        content_text=text,
        published_at=when,
        published_precision="day",
    )
    session.add(art)
    session.flush()
    return art


def _oid(session, mid):
    return session.get(Measure, mid).official_id


def test_articles_link_to_the_measures_they_cite(session, kb):
    cited = _article(
        session,
        kb,
        "Senate passes S. 9001",
        "The Model Weights Security Act of 2026 cleared the Senate; SA 3001 was added.",
    )
    named = _article(
        session,
        kb,
        "Weights bill advances",
        "Backers of the Model Weights Security Act expect a vote soon.",
    )
    other = _article(
        session,
        kb,
        "S. 9001 in the 118th Congress (118th Congress)",
        "An older S. 9001 (118th Congress) was unrelated.",
    )
    assert link_article_measures(session, [cited.id, named.id, other.id]) == 3
    rows = {
        (r.article_id, _oid(session, r.record_id)): r
        for r in session.scalars(select(RecordSuggestion))
    }
    assert set(rows) == {
        (cited.id, "s9001-119"),
        (cited.id, "samdt3001-119"),
        (named.id, "s9001-119"),
    }
    assert rows[(cited.id, "s9001-119")].status == "accepted"
    assert rows[(cited.id, "s9001-119")].reason.startswith("citation: cites S. 9001")
    assert rows[(named.id, "s9001-119")].status == "suggested"
    assert "Model Weights Security Act" in rows[(named.id, "s9001-119")].reason
    # Running again adds nothing; a person's rejection is kept.
    rows[(named.id, "s9001-119")].status = "rejected"
    session.flush()
    assert link_article_measures(session, [cited.id, named.id, other.id]) == 0
    assert rows[(named.id, "s9001-119")].status == "rejected"


def test_sponsor_named_amendment_resolves_with_the_congress_in_context(session, kb):
    hagerty = session.scalars(select(RecordActor).where(RecordActor.role == "sponsor")).first()
    assert hagerty is not None
    art = _article(
        session,
        kb,
        "Senators offer amendment",
        "Andy Kim's amendment, the Kim amendment, drew support.",
    )
    old = _article(
        session, kb, "Old news", "The Kim amendment failed.", when=datetime(2019, 5, 1, 9)
    )
    matches = measure_matches(session, [art.id, old.id])
    assert {(a, _oid(session, m)) for a, m in matches} == {(art.id, "samdt3001-119")}
    match = matches[(art.id, _measure_id(session, "samdt3001-119"))]
    assert match.method == "sponsors" and match.score == 0.8


def _measure_id(session, oid):
    return session.scalars(select(Measure.id).where(Measure.official_id == oid)).one()


def test_ndaa_reference_resolves_by_fiscal_year(session, corpus_dir):
    bills = corpus_dir / "legislation" / "billstatus" / "117"
    for name in (
        "BILLSTATUS-117hr7776.xml",
        "BILLSTATUS-117hr7900.xml",
        "BILLSTATUS-117s4543.xml",
        "BILLSTATUS-117s1605.xml",
        "BILLSTATUS-117hr4346.xml",
    ):
        import_billstatus(session, bills / name)
    feed = Feed(url="https://news.example.com/defense.xml")
    session.add(feed)
    session.flush()
    art = _article(
        session,
        feed,
        "Defense bill signed",
        "The fiscal 2023 defense bill became law. The CHIPS Act money flows.",
        when=datetime(2023, 1, 5, 10),
    )
    found = {
        (_oid(session, m), x.method) for (a, m), x in measure_matches(session, [art.id]).items()
    }
    # The FY2023 NDAA that became law (H.R. 7776), not the House- or Senate-only versions,
    # and the CHIPS Act by its short title.
    assert found == {("hr7776-117", "popular_name"), ("hr4346-117", "popular_name")}


def test_a_measure_timeline_merges_official_actions_and_the_news(engine, db_url, cli):
    import json

    from tracker.db import session_scope

    with session_scope(engine) as s:
        import_billstatus(s, LEG / "BILLSTATUS-119s9001-v3.xml")
        feed = Feed(url="https://news.example.com/t.xml", name="Example News")
        s.add(feed)
        s.flush()
        art = _article(
            s,
            feed,
            "Senate passes S. 9001",
            "S. 9001 cleared the Senate 70-28.",
            when=datetime(2026, 7, 1, 9),
        )
        art.link = "https://news.example.com/s9001"
        assert link_article_measures(s, [art.id]) == 1
    res = cli("timeline", "--record", "s9001-119", "--db", db_url, "--json")
    assert res.code == 0, res.err
    rows = json.loads(res.out)["rows"]
    kinds = [(r["kind"], r["meaning"], r["date"]) for r in rows]
    assert ("measure", "action", "2026-06-30") in kinds
    assert ("article", "published", "2026-07-01") in kinds
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
