"""feeds, articles, stories and the ingest log

Revision ID: 0002_feeds
Revises: 0001_core
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_feeds"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('site_url', sa.String(length=2000), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('etag', sa.String(length=500), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('body_hash', sa.String(length=64), nullable=True),
    sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('last_success_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', sa.DateTime(), nullable=True),
    sa.Column('last_problem', sa.Text(), nullable=True),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('interval_seconds', sa.Integer(), nullable=False),
    sa.Column('next_due_at', sa.DateTime(), nullable=True),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('lease_owner', sa.String(length=200), nullable=True),
    sa.Column('lease_expires_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('consecutive_failures >= 0', name=op.f('ck_feeds_failures_non_negative')),
    sa.CheckConstraint('interval_seconds > 0', name=op.f('ck_feeds_interval_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feeds')),
    sa.UniqueConstraint('url', name=op.f('uq_feeds_url'))
    )
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.create_index('ix_feeds_due', ['active', 'next_due_at'], unique=False)

    op.create_table('ingest_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('worker', sa.String(length=200), nullable=True),
    sa.Column('feeds', sa.Integer(), nullable=False),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('running', 'ok', 'partial', 'failed', 'interrupted')", name=op.f('ck_ingest_runs_status_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_runs'))
    )
    op.create_table('stories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('first_published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories'))
    )
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stories_first_published_at'), ['first_published_at'], unique=False)

    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feed_id', sa.Integer(), nullable=False),
    sa.Column('identity', sa.String(length=64), nullable=False),
    sa.Column('guid', sa.String(length=2000), nullable=True),
    sa.Column('link', sa.String(length=2000), nullable=True),
    sa.Column('canonical_url', sa.String(length=2000), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('author', sa.String(length=500), nullable=True),
    sa.Column('summary_html', sa.Text(), nullable=True),
    sa.Column('summary_text', sa.Text(), nullable=True),
    sa.Column('content_html', sa.Text(), nullable=True),
    sa.Column('content_text', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_precision', sa.String(length=5), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(), nullable=True),
    sa.Column('linked_at', sa.DateTime(), nullable=True),
    sa.Column('story_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(published_at IS NULL AND published_precision IS NULL) OR (published_at IS NOT NULL AND published_precision IN ('day', 'month', 'year', 'time'))", name=op.f('ck_articles_published_precision_valid')),
    sa.ForeignKeyConstraint(['feed_id'], ['feeds.id'], name=op.f('fk_articles_feed_id_feeds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_articles_story_id_stories'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('feed_id', 'identity', name=op.f('uq_articles_feed_id_identity'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_canonical_url', ['canonical_url'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_feed_id'), ['feed_id'], unique=False)
        batch_op.create_index('ix_articles_published', ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_story_id'), ['story_id'], unique=False)

    op.create_table('feed_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feed_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['feed_id'], ['feeds.id'], name=op.f('fk_feed_tags_feed_id_feeds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tags')),
    sa.UniqueConstraint('feed_id', 'tag', name=op.f('uq_feed_tags_feed_id_tag'))
    )
    with op.batch_alter_table('feed_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_tags_tag'), ['tag'], unique=False)

    op.create_table('ingest_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('feed_id', sa.Integer(), nullable=True),
    sa.Column('feed_url', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('ok', 'not_modified', 'error', 'skipped')", name=op.f('ck_ingest_reports_status_valid')),
    sa.ForeignKeyConstraint(['feed_id'], ['feeds.id'], name=op.f('fk_ingest_reports_feed_id_feeds'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['ingest_runs.id'], name=op.f('fk_ingest_reports_run_id_ingest_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_reports'))
    )
    with op.batch_alter_table('ingest_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ingest_reports_feed_id'), ['feed_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ingest_reports_run_id'), ['run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ingest_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ingest_reports_run_id'))
        batch_op.drop_index(batch_op.f('ix_ingest_reports_feed_id'))

    op.drop_table('ingest_reports')
    with op.batch_alter_table('feed_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_tags_tag'))

    op.drop_table('feed_tags')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_story_id'))
        batch_op.drop_index('ix_articles_published')
        batch_op.drop_index(batch_op.f('ix_articles_feed_id'))
        batch_op.drop_index('ix_articles_canonical_url')

    op.drop_table('articles')
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stories_first_published_at'))

    op.drop_table('stories')
    op.drop_table('ingest_runs')
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.drop_index('ix_feeds_due')

    op.drop_table('feeds')
