"""indexes for timeline and search at a million articles (issue: querying, speed)

Revision ID: 0006_query_indexes
Revises: 0005_legislation
Create Date: 2026-11-23

Indexes only, the same on both backends:

- article_actors (actor_id, status, article_id): an actor's linked article ids straight from
  the index (the older (actor_id, status) index needs a table read per link for article_id).
- articles (id, published_at): the publication date of an article by id without reading its
  row (rows carry summaries and texts; a busy actor's timeline sorts thousands of dates).
- articles (published_at, id): the newest articles' ids without reading rows (PostgreSQL;
  SQLite's published_at index holds the rowid already): a busy actor's timeline reads a
  window of the newest articles and keeps the actor's.
- record_actors (actor_id, record_id): the records an actor takes part in, from the index.
- designations (authority_id), designation_challenges (challenger_id): an actor's
  designations and challenges without a table scan (timeline scope, search filters).
"""

from __future__ import annotations

from alembic import op

revision = "0006_query_indexes"
down_revision = "0005_legislation"
branch_labels = None
depends_on = None

INDEXES = (
    (
        "ix_article_actors_actor_status_article",
        "article_actors",
        ["actor_id", "status", "article_id"],
    ),
    ("ix_articles_id_published", "articles", ["id", "published_at"]),
    ("ix_articles_published_id", "articles", ["published_at", "id"]),
    ("ix_record_actors_actor_record", "record_actors", ["actor_id", "record_id"]),
    ("ix_designations_authority_id", "designations", ["authority_id"]),
    ("ix_designation_challenges_challenger_id", "designation_challenges", ["challenger_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
