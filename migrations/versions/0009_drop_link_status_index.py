"""drop the (actor_id, status, article_id) link index: 0008's covers its uses

Revision ID: 0009_drop_link_status_index
Revises: 0008_link_dates
Create Date: 2026-11-23

`article_actors(actor_id, published_at, article_id, status)` from 0008 starts with the
actor and holds the status and the article id, so the reads that used the 0006 index (an
actor's links as a set, a capped count of them) are index-only scans of it as well. One
index fewer to maintain on every link ingest writes.
"""

from __future__ import annotations

from alembic import op

revision = "0009_drop_link_status_index"
down_revision = "0008_link_dates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_article_actors_actor_status_article", table_name="article_actors")


def downgrade() -> None:
    op.create_index(
        "ix_article_actors_actor_status_article",
        "article_actors",
        ["actor_id", "status", "article_id"],
        unique=False,
    )
