"""entity links, judgements, stories (issue: entity linking)

Revision ID: 0003_linking
Revises: 0002_feeds
Create Date: 2026-11-23

A placeholder in the fixed migration chain; the owning work fills it in.
"""

from __future__ import annotations

revision = "0003_linking"
down_revision = "0002_feeds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
