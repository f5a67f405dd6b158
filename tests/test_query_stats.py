"""tracker stats: counts, feed health, the review queue."""

from __future__ import annotations

from datetime import datetime, timedelta

from query_kb import build_kb
from sqlalchemy.orm import Session

from tracker.dates import utcnow
from tracker.models.feeds import Feed
from tracker.query.stats import build_stats


def test_stats(engine):
    with Session(engine, expire_on_commit=False) as s:
        kb = build_kb(s)
        ok, failing = kb["feeds"]
        ok.last_attempt_at = ok.last_success_at = utcnow()
        failing.last_attempt_at = utcnow()
        failing.last_success_at = datetime(2026, 1, 1)
        failing.consecutive_failures = 4
        failing.last_error = "HTTP 503"
        s.add(Feed(url="https://x.example/feed", active=False))
        s.add(Feed(url="https://y.example/feed", last_attempt_at=utcnow() - timedelta(days=5),
                   last_success_at=utcnow() - timedelta(days=5)))  # fmt: skip
        s.commit()
        st = build_stats(s)
    assert st.counts["actors"] == 6 and st.counts["articles"] == 3 and st.counts["stories"] == 1
    assert st.records == {"designation": 1, "event": 2, "incident": 1, "letter": 1, "measure": 1}
    assert st.links == {"auto": 2, "confirmed": 1, "review": 1}
    assert st.review_links == 1 and st.review_suggestions == 0
    assert st.conflicting_fields == 1
    f = st.feeds
    assert (f.total, f.active, f.ok, f.failing, f.stale, f.never_fetched) == (4, 3, 2, 1, 2, 0)
    assert [(p.feed, p.failures, p.last_error) for p in f.problems] == [
        ("Bloomberg", 4, "HTTP 503")
    ]
    data = st.to_dict()
    assert sorted(data) == [
        "conflicting_fields",
        "counts",
        "feeds",
        "last_run",
        "links",
        "records",
        "review",
    ]
