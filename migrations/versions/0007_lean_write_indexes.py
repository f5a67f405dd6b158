"""drop indexes that newer ones make redundant (issue: ingest, speed)

Revision ID: 0007_lean_write_indexes
Revises: 0006_query_indexes
Create Date: 2026-11-23

Every index is paid for on every insert, and ingest inserts articles and links by the
thousand. Three indexes only repeat the leading columns of another:

- articles (published_at): the leading column of (published_at, id) from 0006;
- article_actors (actor_id, status): the leading columns of (actor_id, status, article_id)
  from 0006;
- article_actors (article_id): the leading column of the UNIQUE (article_id, actor_id)
  constraint's own index.

Each query that used one uses the longer index the same way (same order, same prefix).
"""

from __future__ import annotations

from alembic import op

revision = "0007_lean_write_indexes"
down_revision = "0006_query_indexes"
branch_labels = None
depends_on = None

REDUNDANT = (
    ("ix_articles_published", "articles", ["published_at"]),
    ("ix_article_actors_actor_status", "article_actors", ["actor_id", "status"]),
    ("ix_article_actors_article_id", "article_actors", ["article_id"]),
)


def upgrade() -> None:
    for name, table, _ in REDUNDANT:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in reversed(REDUNDANT):
        op.create_index(name, table, columns, unique=False)
