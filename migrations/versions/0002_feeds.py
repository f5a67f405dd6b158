"""feeds, articles and ingest log (issue: feed ingestion)

Revision ID: 0002_feeds
Revises: 0001_core
Create Date: 2026-11-23

A placeholder in the fixed migration chain; the owning work fills it in.
"""

from __future__ import annotations

revision = "0002_feeds"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
