"""official legislative data (issue: legislation importers)

Revision ID: 0005_legislation
Revises: 0004_query
Create Date: 2026-11-23

Measure titles, committee referrals, recorded votes, related measures, laws, import
provenance, field overrides (a person's edits that re-imports keep) and import reviews.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_legislation"
down_revision = "0004_query"
branch_labels = None
depends_on = None


def _measure_fk(table: str, column: str = "measure_id", ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["measures.id"], name=op.f(f"fk_{table}_{column}_measures"), ondelete=ondelete
    )


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "field_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=120), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("field <> ''", name=op.f("ck_field_overrides_field_not_empty")),
        sa.CheckConstraint("(record_id IS NULL) <> (actor_id IS NULL)", name=op.f("ck_field_overrides_one_target")),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], name=op.f("fk_field_overrides_actor_id_actors"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name=op.f("fk_field_overrides_record_id_records"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_overrides")),
        sa.UniqueConstraint("actor_id", "field", name=op.f("uq_field_overrides_actor_id_field")),
        sa.UniqueConstraint("record_id", "field", name=op.f("uq_field_overrides_record_id_field")),
    )
    op.create_table(
        "import_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name=op.f("ck_import_reviews_status_valid")),
        sa.CheckConstraint("score >= 0 AND score <= 1", name=op.f("ck_import_reviews_score_range")),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], name=op.f("fk_import_reviews_actor_id_actors"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["candidate_id"], ["actors.id"], name=op.f("fk_import_reviews_candidate_id_actors"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_reviews")),
        sa.UniqueConstraint("dataset", "actor_id", "candidate_id", name=op.f("uq_import_reviews_dataset_actor_id_candidate_id")),
    )
    _indexes("import_reviews", "actor_id", "candidate_id")
    op.create_table(
        "measure_committees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("chamber", sa.String(length=6), nullable=True),
        sa.Column("activity", sa.String(length=60), nullable=False),
        sa.Column("acted_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["committee_id"], ["actors.id"], name=op.f("fk_measure_committees_committee_id_actors"), ondelete="SET NULL"),
        _measure_fk("measure_committees"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_committees")),
        sa.UniqueConstraint("measure_id", "code", "activity", "acted_on", name=op.f("uq_measure_committees_measure_id_code_activity_acted_on")),
    )
    _indexes("measure_committees", "committee_id", "measure_id")
    op.create_table(
        "measure_laws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("law_type", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        _measure_fk("measure_laws"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_laws")),
        sa.UniqueConstraint("measure_id", "law_type", "number", name=op.f("uq_measure_laws_measure_id_law_type_number")),
    )
    _indexes("measure_laws", "measure_id", "number")
    op.create_table(
        "measure_titles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=False),
        sa.Column("title_type", sa.String(length=200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('display', 'official', 'short', 'popular', 'other')", name=op.f("ck_measure_titles_kind_valid")),
        _measure_fk("measure_titles"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_titles")),
        sa.UniqueConstraint("measure_id", "kind", "title", name=op.f("uq_measure_titles_measure_id_kind_title")),
    )
    _indexes("measure_titles", "measure_id")
    with op.batch_alter_table("measure_titles", schema=None) as batch_op:
        batch_op.create_index("ix_measure_titles_title", ["title"], unique=False)
    op.create_table(
        "official_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("source_updated_at", sa.DateTime(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("dataset IN ('billstatus', 'congress-json', 'designations')", name=op.f("ck_official_imports_dataset_valid")),
        _measure_fk("official_imports"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_official_imports_source_id_sources"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_imports")),
        sa.UniqueConstraint("measure_id", "dataset", name=op.f("uq_official_imports_measure_id_dataset")),
    )
    _indexes("official_imports", "measure_id")
    op.create_table(
        "recorded_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("chamber", sa.String(length=6), nullable=False),
        sa.Column("congress", sa.Integer(), nullable=False),
        sa.Column("session", sa.Integer(), nullable=False),
        sa.Column("roll_number", sa.Integer(), nullable=False),
        sa.Column("voted_on", sa.Date(), nullable=True),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("result", sa.String(length=40), nullable=True),
        sa.Column("yeas", sa.Integer(), nullable=True),
        sa.Column("nays", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.CheckConstraint("nays IS NULL OR nays >= 0", name=op.f("ck_recorded_votes_nays_non_negative")),
        sa.CheckConstraint("roll_number > 0", name=op.f("ck_recorded_votes_roll_positive")),
        sa.CheckConstraint("yeas IS NULL OR yeas >= 0", name=op.f("ck_recorded_votes_yeas_non_negative")),
        _measure_fk("recorded_votes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recorded_votes")),
        sa.UniqueConstraint("measure_id", "chamber", "congress", "session", "roll_number", name=op.f("uq_recorded_votes_measure_id_chamber_congress_session_roll_number")),
    )
    _indexes("recorded_votes", "measure_id")
    op.create_table(
        "related_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("related_ref", sa.String(length=40), nullable=False),
        sa.Column("related_id", sa.Integer(), nullable=True),
        sa.Column("relation", sa.String(length=120), nullable=False),
        sa.Column("identified_by", sa.String(length=120), nullable=True),
        _measure_fk("related_measures"),
        _measure_fk("related_measures", "related_id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_related_measures")),
        sa.UniqueConstraint("measure_id", "related_ref", "relation", name=op.f("uq_related_measures_measure_id_related_ref_relation")),
    )
    _indexes("related_measures", "measure_id", "related_id", "related_ref")


def downgrade() -> None:
    for table in (
        "related_measures", "recorded_votes", "official_imports", "measure_titles",
        "measure_laws", "measure_committees", "import_reviews", "field_overrides",
    ):
        op.drop_table(table)
