"""official legislative data (issue: legislation importers)

Revision ID: 0005_legislation
Revises: 0004_query
Create Date: 2026-11-23

A placeholder in the fixed migration chain; the owning work fills it in.
"""

from __future__ import annotations

revision = "0005_legislation"
down_revision = "0004_query"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
