"""full-text search and watchlists (issue: querying)

Revision ID: 0004_query
Revises: 0003_linking
Create Date: 2026-11-23

Full-text search is hand-written per backend and kept in sync by triggers, so every
writer (ingestion, record loading, imports) updates it without knowing it exists:

- SQLite: FTS5 external-content tables `search_fts_articles` (title, summary_text,
  content_text of `articles`) and `search_fts_records` (title, summary of `records`),
  porter stemming, with insert/update/delete triggers `fts_*`.
- PostgreSQL: tables `search_fts_articles(article_id, tsv)` / `search_fts_records(record_id,
  tsv)` holding weighted English tsvectors (title A, body B) with GIN indexes `ix_fts_*`,
  filled by trigger functions `fts_*_sync()`; rows go with their article/record (FK cascade).

The tsvector expressions here must stay identical to tracker/query/search.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_query"
down_revision = "0003_linking"
branch_labels = None
depends_on = None

# Long bodies are cut before indexing: tsvector positions stop at 16383 anyway, and a
# tsvector over 1 MB would make the article's INSERT fail.
PG_ARTICLE_TSV = (
    "setweight(to_tsvector('english'::regconfig, coalesce({p}title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, left(coalesce({p}summary_text, '') || ' ' || "
    "coalesce({p}content_text, ''), 200000)), 'B')"
)
PG_RECORD_TSV = (
    "setweight(to_tsvector('english'::regconfig, coalesce({p}title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, left(coalesce({p}summary, ''), 200000)), 'B')"
)

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts_articles USING fts5(
        title, summary_text, content_text,
        content='articles', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER fts_articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO search_fts_articles(rowid, title, summary_text, content_text)
        VALUES (new.id, new.title, new.summary_text, new.content_text);
    END""",
    """CREATE TRIGGER fts_articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO search_fts_articles(search_fts_articles, rowid, title, summary_text, content_text)
        VALUES ('delete', old.id, old.title, old.summary_text, old.content_text);
    END""",
    """CREATE TRIGGER fts_articles_au AFTER UPDATE OF title, summary_text, content_text ON articles
    BEGIN
        INSERT INTO search_fts_articles(search_fts_articles, rowid, title, summary_text, content_text)
        VALUES ('delete', old.id, old.title, old.summary_text, old.content_text);
        INSERT INTO search_fts_articles(rowid, title, summary_text, content_text)
        VALUES (new.id, new.title, new.summary_text, new.content_text);
    END""",
    "INSERT INTO search_fts_articles(search_fts_articles) VALUES ('rebuild')",
    """CREATE VIRTUAL TABLE search_fts_records USING fts5(
        title, summary,
        content='records', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER fts_records_ai AFTER INSERT ON records BEGIN
        INSERT INTO search_fts_records(rowid, title, summary) VALUES (new.id, new.title, new.summary);
    END""",
    """CREATE TRIGGER fts_records_ad AFTER DELETE ON records BEGIN
        INSERT INTO search_fts_records(search_fts_records, rowid, title, summary)
        VALUES ('delete', old.id, old.title, old.summary);
    END""",
    """CREATE TRIGGER fts_records_au AFTER UPDATE OF title, summary ON records BEGIN
        INSERT INTO search_fts_records(search_fts_records, rowid, title, summary)
        VALUES ('delete', old.id, old.title, old.summary);
        INSERT INTO search_fts_records(rowid, title, summary) VALUES (new.id, new.title, new.summary);
    END""",
    "INSERT INTO search_fts_records(search_fts_records) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS fts_records_au",
    "DROP TRIGGER IF EXISTS fts_records_ad",
    "DROP TRIGGER IF EXISTS fts_records_ai",
    "DROP TABLE IF EXISTS search_fts_records",
    "DROP TRIGGER IF EXISTS fts_articles_au",
    "DROP TRIGGER IF EXISTS fts_articles_ad",
    "DROP TRIGGER IF EXISTS fts_articles_ai",
    "DROP TABLE IF EXISTS search_fts_articles",
]


def _pg_up() -> list[str]:
    out = []
    for table, key, cols, expr in (
        ("articles", "article_id", "title, summary_text, content_text", PG_ARTICLE_TSV),
        ("records", "record_id", "title, summary", PG_RECORD_TSV),
    ):
        fts = f"search_fts_{table}"
        out += [
            f"""CREATE TABLE {fts} (
                {key} INTEGER PRIMARY KEY REFERENCES {table}(id) ON DELETE CASCADE,
                tsv tsvector NOT NULL)""",
            f"CREATE INDEX ix_fts_{table}_tsv ON {fts} USING gin (tsv)",
            f"""CREATE FUNCTION fts_{table}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {fts} ({key}, tsv) VALUES (NEW.id, {expr.format(p="NEW.")})
                ON CONFLICT ({key}) DO UPDATE SET tsv = EXCLUDED.tsv;
                RETURN NULL;
            END $$""",
            f"""CREATE TRIGGER fts_{table}_sync AFTER INSERT OR UPDATE OF {cols} ON {table}
                FOR EACH ROW EXECUTE FUNCTION fts_{table}_sync()""",
            f"INSERT INTO {fts} ({key}, tsv) SELECT id, {expr.format(p='')} FROM {table}",
        ]
    return out


def _pg_down() -> list[str]:
    out = []
    for table in ("records", "articles"):
        out += [
            f"DROP TRIGGER IF EXISTS fts_{table}_sync ON {table}",
            f"DROP FUNCTION IF EXISTS fts_{table}_sync()",
            f"DROP TABLE IF EXISTS search_fts_{table}",
        ]
    return out


def upgrade() -> None:
    op.create_table('digest_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('watchlist', sa.String(length=60), nullable=False),
    sa.Column('last_digest_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_states')),
    sa.UniqueConstraint('watchlist', name=op.f('uq_digest_states_watchlist'))
    )
    op.create_table('watches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('watchlist', sa.String(length=60), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('target_key', sa.String(length=40), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_status', sa.String(length=20), nullable=True),
    sa.CheckConstraint("watchlist <> ''", name=op.f('ck_watches_watchlist_not_empty')),
    sa.CheckConstraint('(actor_id IS NULL) <> (record_id IS NULL)', name=op.f('ck_watches_one_target')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_watches_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_watches_record_id_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watches')),
    sa.UniqueConstraint('watchlist', 'target_key', name=op.f('uq_watches_watchlist_target_key'))
    )
    with op.batch_alter_table('watches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watches_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_watches_record_id'), ['record_id'], unique=False)

    statements = SQLITE_UP if op.get_bind().dialect.name == "sqlite" else _pg_up()
    for sql in statements:
        op.execute(sql)


def downgrade() -> None:
    statements = SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else _pg_down()
    for sql in statements:
        op.execute(sql)

    with op.batch_alter_table('watches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watches_record_id'))
        batch_op.drop_index(batch_op.f('ix_watches_actor_id'))

    op.drop_table('watches')
    op.drop_table('digest_states')
