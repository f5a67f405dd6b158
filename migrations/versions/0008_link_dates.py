"""an actor link carries its article's publication date (issue: querying, speed)

Revision ID: 0008_link_dates
Revises: 0007_lean_write_indexes
Create Date: 2026-11-23

`timeline --actor` wants an actor's newest N linked articles. With the date only on the
article, every plan has to touch far more links or articles than N for a busy actor. With
the date on the link too, the index (actor_id, published_at, article_id, status) hands
them over newest first: N index entries.

The copy is kept right by the database itself, whatever writes the rows:
- a link inserted without a date takes its article's (linking supplies it; the trigger
  covers every other writer);
- an article whose publication date changes passes it on to its links.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_link_dates"
down_revision = "0007_lean_write_indexes"
branch_labels = None
depends_on = None

SQLITE_UP = [
    """CREATE TRIGGER link_date_ai AFTER INSERT ON article_actors
    WHEN NEW.published_at IS NULL BEGIN
        UPDATE article_actors SET published_at =
            (SELECT published_at FROM articles WHERE id = NEW.article_id)
        WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER link_date_au AFTER UPDATE OF published_at ON articles
    WHEN OLD.published_at IS NOT NEW.published_at BEGIN
        UPDATE article_actors SET published_at = NEW.published_at WHERE article_id = NEW.id;
    END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS link_date_au", "DROP TRIGGER IF EXISTS link_date_ai"]

PG_UP = [
    """CREATE FUNCTION link_date_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.published_at := (SELECT published_at FROM articles WHERE id = NEW.article_id);
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER link_date_fill BEFORE INSERT ON article_actors FOR EACH ROW
    WHEN (NEW.published_at IS NULL) EXECUTE FUNCTION link_date_fill()""",
    """CREATE FUNCTION link_date_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE article_actors SET published_at = NEW.published_at WHERE article_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER link_date_sync AFTER UPDATE OF published_at ON articles FOR EACH ROW
    WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION link_date_sync()""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS link_date_sync ON articles",
    "DROP FUNCTION IF EXISTS link_date_sync()",
    "DROP TRIGGER IF EXISTS link_date_fill ON article_actors",
    "DROP FUNCTION IF EXISTS link_date_fill()",
]


def upgrade() -> None:
    op.add_column("article_actors", sa.Column("published_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE article_actors SET published_at = "
        "(SELECT a.published_at FROM articles a WHERE a.id = article_actors.article_id)"
    )
    op.create_index(
        "ix_article_actors_actor_date",
        "article_actors",
        ["actor_id", "published_at", "article_id", "status"],
        unique=False,
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in PG_UP if postgres else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in PG_DOWN if postgres else SQLITE_DOWN:
        op.execute(statement)
    op.drop_index("ix_article_actors_actor_date", table_name="article_actors")
    with op.batch_alter_table("article_actors") as batch:
        batch.drop_column("published_at")
