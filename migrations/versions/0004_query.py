"""full-text search and watchlists (issue: querying)

Revision ID: 0004_query
Revises: 0003_linking
Create Date: 2026-11-23

A placeholder in the fixed migration chain; the owning work fills it in.
"""

from __future__ import annotations

revision = "0004_query"
down_revision = "0003_linking"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
