"""The newest articles linked to an actor, chosen from indexes alone (timeline --actor).

One actor: its links carry the article's publication date (migration 0008, kept equal by
triggers), so the (actor_id, published_at, article_id, status) index yields its newest
links first and the scan stops after N.

Several actor ids at once (an actor and those merged into it) need the newest N of their
union; three plans, chosen by how many links the actor has (counted from the index, up to
a cap) against how many articles there are:

- join: every link, dated through the (id, published_at) index, the newest N kept. Costs
  one index probe per link: best for most actors.
- window: the newest W articles are read from the (published_at, id) index, with W sized
  so that about MARGIN × N of them should be the actor's, and kept when their id is among
  the actor's links (read once from the (actor_id, status, article_id) index into a set or
  hash). Costs links + W cheap sequential reads; widened until N rows are found, so the
  answer is exact whatever the dates look like. Best for busy actors.
- walk: the newest articles one by one, each probed for a link. Costs about
  N × articles / links probes: best for the few actors in a large share of all articles.

Each returns the same rows: (id, published_at), newest first, ties by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, bindparam, func, select, text
from sqlalchemy.orm import Session

from tracker.models.feeds import Article
from tracker.query.common import ARTICLE_LINK_STATUSES

JOIN, WINDOW, WALK = "join", "window", "walk"
# A window holds about MARGIN × limit of the actor's articles: with dates spread like the
# actor's average, fewer than limit (and a wider second window) is rarer than 1 in 500.
MARGIN = 1.25
# Plan boundaries, as multiples of limit × articles (measured on a million articles: a
# join probe costs ~3x a sequential read, a walk probe ~8x).
JOIN_BELOW = 0.5  # links < sqrt(0.5 × limit × articles): join (~10k of a million for 200)
WALK_FROM = 10.0  # links >= sqrt(10 × limit × articles): walk (~45k of a million for 200)
# PostgreSQL probes cost more against a hash join of the window (and a walk may be planned
# in parallel): walk from ~90k of a million.
WALK_FROM_PG = 40.0


@dataclass(frozen=True)
class Choice:
    plan: str  # JOIN, WINDOW or WALK
    links: int  # the actor's links, counted up to walk_from
    total: int  # articles (the highest id: an estimate that costs one index read)


def walk_from(limit: int | None, total: int, sqlite: bool = True) -> int | None:
    """The link count from which the walk is cheapest (None: never, e.g. without a limit)."""
    if limit is None:
        return None
    return max(int(((WALK_FROM if sqlite else WALK_FROM_PG) * limit * total) ** 0.5), 1000)


def total_articles(session: Session) -> int:
    return session.connection().execute(select(func.max(Article.id))).scalar() or 0


def choose(links: int, limit: int | None, total: int, sqlite: bool = True) -> Choice:
    """The cheapest plan for an actor with `links` links (counted up to walk_from)."""
    cap = walk_from(limit, total, sqlite)
    if limit is None or cap is None or links < (JOIN_BELOW * limit * total) ** 0.5:
        return Choice(JOIN, links, total)
    return Choice(WALK if links >= cap else WINDOW, links, total)


class _Sql:
    """The SQL of the three plans for one actor, date range and limit."""

    def __init__(
        self,
        sqlite: bool,
        actor_ids: list[int],
        limit: int | None,
        since: datetime | None,
        until: datetime | None,
    ) -> None:
        self.sqlite = sqlite
        self.params: dict[str, Any] = {"st0": ARTICLE_LINK_STATUSES[0]}
        self.params["st1"] = ARTICLE_LINK_STATUSES[1]
        names = []
        for i, actor_id in enumerate(actor_ids):
            self.params[f"a{i}"] = actor_id
            names.append(f":a{i}")
        self.actors = "(" + ", ".join(names) + ")"
        self.bounds = " AND d.published_at IS NOT NULL"
        self.types: list[Any] = []
        if since is not None:
            self.bounds += " AND d.published_at >= :since"
            self.params["since"] = since
            self.types.append(bindparam("since", type_=DateTime))
        if until is not None:
            self.bounds += " AND d.published_at <= :until"
            self.params["until"] = until
            self.types.append(bindparam("until", type_=DateTime))
        self.tail = " ORDER BY d.published_at DESC, d.id DESC"
        self.window_types = list(self.types)  # without the limit
        if limit is not None:
            self.tail += " LIMIT :lim"
            self.params["lim"] = limit
            self.types.append(bindparam("lim", type_=Integer))
        self.distinct = "DISTINCT " if len(actor_ids) > 1 else ""  # links of merged actors

    def links(self, alias: str = "aa") -> str:
        return f"{alias}.actor_id IN {self.actors} AND {alias}.status IN (:st0, :st1)"

    def run(self, session: Session, sql: str, **extra: Any) -> list[tuple[int, datetime]]:
        stmt = text(sql).bindparams(*self.types, *(bindparam(k, type_=DateTime) for k in extra))
        stmt = stmt.columns(id=Integer, published_at=DateTime)
        rows = session.connection().execute(stmt, {**self.params, **extra})
        return [(r[0], r[1]) for r in rows]

    def join(self, session: Session) -> list[tuple[int, datetime]]:
        # SQLite would look `id = ?` up in the table (rows hold whole texts), not the index.
        hint = " INDEXED BY ix_articles_id_published" if self.sqlite else ""
        return self.run(session, (
            f"SELECT {self.distinct}d.id, d.published_at FROM article_actors aa"
            f" JOIN articles AS d{hint} ON d.id = aa.article_id"
            f" WHERE {self.links()}{self.bounds}{self.tail}"
        ))  # fmt: skip

    def by_link_date(self, session: Session) -> list[tuple[int, datetime]]:
        """One actor: its links carry the article's date (migration 0008), so the index
        (actor_id, published_at, article_id, status) yields the newest first and the scan
        stops after the limit."""
        bounds = self.bounds.replace("d.published_at", "aa.published_at")
        tail = self.tail.replace("d.published_at", "aa.published_at").replace(
            "d.id", "aa.article_id"
        )
        return self.run(session, (
            f"SELECT aa.article_id AS id, aa.published_at AS published_at FROM article_actors aa"
            f" WHERE {self.links()}{bounds}{tail}"
        ))  # fmt: skip

    def walk(self, session: Session) -> list[tuple[int, datetime]]:
        return self.run(session, (
            f"SELECT d.id, d.published_at FROM articles AS d WHERE EXISTS (SELECT 1 FROM"
            f" article_actors aa WHERE aa.article_id = d.id AND {self.links()}){self.bounds}"
            f"{self.tail}"
        ))  # fmt: skip

    def window_start(self, session: Session, width: int) -> datetime | None:
        """The date of the width-th newest article in range (None: fewer than that)."""
        stmt = text(
            f"SELECT d.published_at FROM articles AS d WHERE 1 = 1{self.bounds}"
            " ORDER BY d.published_at DESC LIMIT 1 OFFSET :w"
        ).bindparams(*self.window_types, bindparam("w", type_=Integer))
        stmt = stmt.columns(published_at=DateTime)
        params = {k: v for k, v in self.params.items() if k != "lim"}
        return session.connection().execute(stmt, {**params, "w": width}).scalar()

    def window(self, session: Session, start: datetime) -> list[tuple[int, datetime]]:
        # `+d.id`: SQLite must scan the window by date and test each id against the set of
        # the actor's links, not look every link up (that is the join).
        member = "+d.id" if self.sqlite else "d.id"
        return self.run(session, (
            f"SELECT d.id, d.published_at FROM articles AS d WHERE d.published_at >= :start"
            f"{self.bounds} AND {member} IN (SELECT aa.article_id FROM article_actors aa"
            f" WHERE {self.links()}){self.tail}"
        ), start=start)  # fmt: skip


def newest(
    session: Session,
    actor_ids: list[int],
    limit: int | None,
    choice: Choice,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[tuple[int, datetime]]:
    """(id, published_at) of the actor's newest `limit` linked articles (auto or confirmed
    links) published within [since, until], newest first."""
    sql = _Sql(session.get_bind().dialect.name == "sqlite", actor_ids, limit, since, until)
    if len(actor_ids) == 1:  # no merged actors to combine: straight from the link index
        return sql.by_link_date(session)
    if choice.plan == WALK:
        return sql.walk(session)
    if choice.plan == JOIN or limit is None or choice.links == 0:
        return sql.join(session)
    width = int(choice.total * MARGIN * limit / choice.links) + limit
    while width < choice.total:
        start = sql.window_start(session, width)
        if start is None:  # the window would hold every article in range
            break
        rows = sql.window(session, start)
        if len(rows) >= limit:  # everything left out is older than all of these
            return rows
        width *= 4  # the actor was quieter lately than on average
    return sql.join(session)
