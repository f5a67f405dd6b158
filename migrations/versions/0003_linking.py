"""entity links, mentions, review judgements, record suggestions

Revision ID: 0003_linking
Revises: 0002_feeds
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_linking"
down_revision = "0002_feeds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_actors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("method IN ('exact', 'alias', 'fuzzy', 'context', 'manual')", name=op.f('ck_article_actors_method_valid')),
    sa.CheckConstraint("status IN ('auto', 'review', 'confirmed', 'rejected')", name=op.f('ck_article_actors_status_valid')),
    sa.CheckConstraint('score >= 0 AND score <= 1', name=op.f('ck_article_actors_score_range')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_article_actors_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_actors_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_actors')),
    sa.UniqueConstraint('article_id', 'actor_id', name=op.f('uq_article_actors_article_id_actor_id'))
    )
    with op.batch_alter_table('article_actors', schema=None) as batch_op:
        batch_op.create_index('ix_article_actors_actor_status', ['actor_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_article_actors_article_id'), ['article_id'], unique=False)

    op.create_table('link_judgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=8), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("decision IN ('accept', 'reject', 'undo')", name=op.f('ck_link_judgements_decision_valid')),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_link_judgements_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_link_judgements_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['link_judgements.id'], name=op.f('fk_link_judgements_superseded_by_id_link_judgements'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_judgements'))
    )
    with op.batch_alter_table('link_judgements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_judgements_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_link_judgements_pair', ['article_id', 'actor_id'], unique=False)

    op.create_table('record_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('suggested', 'accepted', 'rejected')", name=op.f('ck_record_suggestions_status_valid')),
    sa.CheckConstraint('score >= 0 AND score <= 1', name=op.f('ck_record_suggestions_score_range')),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_record_suggestions_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_record_suggestions_record_id_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_suggestions')),
    sa.UniqueConstraint('article_id', 'record_id', name=op.f('uq_record_suggestions_article_id_record_id'))
    )
    with op.batch_alter_table('record_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_suggestions_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_suggestions_record_id'), ['record_id'], unique=False)

    op.create_table('mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.CheckConstraint("method IN ('exact', 'alias', 'fuzzy', 'context', 'manual')", name=op.f('ck_mentions_method_valid')),
    sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f('ck_mentions_span_valid')),
    sa.ForeignKeyConstraint(['link_id'], ['article_actors.id'], name=op.f('fk_mentions_link_id_article_actors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentions')),
    sa.UniqueConstraint('link_id', 'start', name=op.f('uq_mentions_link_id_start'))
    )
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentions_link_id'), ['link_id'], unique=False)

    op.create_table('actor_judgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('left_id', sa.Integer(), nullable=False),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("decision IN ('same', 'different', 'undo')", name=op.f('ck_actor_judgements_decision_valid')),
    sa.CheckConstraint('left_id < right_id', name=op.f('ck_actor_judgements_pair_ordered')),
    sa.ForeignKeyConstraint(['left_id'], ['actors.id'], name=op.f('fk_actor_judgements_left_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['right_id'], ['actors.id'], name=op.f('fk_actor_judgements_right_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['actor_judgements.id'], name=op.f('fk_actor_judgements_superseded_by_id_actor_judgements'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor_judgements'))
    )
    with op.batch_alter_table('actor_judgements', schema=None) as batch_op:
        batch_op.create_index('ix_actor_judgements_pair', ['left_id', 'right_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actor_judgements_right_id'), ['right_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('actor_judgements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actor_judgements_right_id'))
        batch_op.drop_index('ix_actor_judgements_pair')

    op.drop_table('actor_judgements')
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentions_link_id'))

    op.drop_table('mentions')
    with op.batch_alter_table('record_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_suggestions_record_id'))
        batch_op.drop_index(batch_op.f('ix_record_suggestions_article_id'))

    op.drop_table('record_suggestions')
    with op.batch_alter_table('link_judgements', schema=None) as batch_op:
        batch_op.drop_index('ix_link_judgements_pair')
        batch_op.drop_index(batch_op.f('ix_link_judgements_actor_id'))

    op.drop_table('link_judgements')
    with op.batch_alter_table('article_actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_actors_article_id'))
        batch_op.drop_index('ix_article_actors_actor_status')

    op.drop_table('article_actors')
