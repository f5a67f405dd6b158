"""sqlbulk: the bulk forms used on hot paths behave like the plain ones on both backends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tracker.models.feeds import Article, Feed
from tracker.sqlbulk import among, chunks, insert_rows

T0 = datetime(2026, 6, 10, 9, 0, 0)


def _row(feed_id: int, n: int, title: str | None = "t") -> dict[str, object]:
    return {"feed_id": feed_id, "identity": f"id-{n}", "title": title, "content_hash": f"h{n}",
            "first_seen_at": T0, "published_at": None}  # fmt: skip


def test_insert_rows_returns_what_it_inserted_and_skips_conflicts(session):
    feed = Feed(url="file:///f.xml", name="f")
    session.add(feed)
    session.flush()
    conn = session.connection()
    table = Article.__table__
    first = insert_rows(conn, table, [_row(feed.id, 1), _row(feed.id, 2, None)],
                        returning=("id", "identity"), skip_conflicts_on=("feed_id", "identity"))  # fmt: skip
    assert sorted(r.identity for r in first) == ["id-1", "id-2"]
    # id-2 again (and twice in one batch) is skipped, id-3 goes in; quotes and NULLs survive
    again = insert_rows(
        conn, table, [_row(feed.id, 2), _row(feed.id, 3, 'a "quoted" \\ title'), _row(feed.id, 3)],
        returning=("id",), skip_conflicts_on=("feed_id", "identity"),
    )  # fmt: skip
    assert len(again) == 1
    titles = dict(session.execute(select(Article.identity, Article.title)).all())
    assert titles == {"id-1": "t", "id-2": None, "id-3": 'a "quoted" \\ title'}
    assert insert_rows(conn, table, []) == []


def test_among_matches_in_for_long_and_empty_lists(session):
    feed = Feed(url="file:///g.xml", name="g")
    session.add(feed)
    session.flush()
    insert_rows(session.connection(), Article.__table__, [_row(feed.id, n) for n in range(1200)])
    dialect = session.get_bind().dialect.name
    wanted = [f"id-{n}" for n in range(0, 2400, 2)]  # half of them exist
    found: set[str] = set()
    for part in chunks(wanted, dialect):
        found.update(
            session.scalars(select(Article.identity).where(among(Article.identity, part, dialect)))
        )
    assert found == {f"id-{n}" for n in range(0, 1200, 2)}
    assert session.scalars(select(Article.id).where(among(Article.id, [], dialect))).all() == []
    assert list(chunks([], dialect)) == []
