"""The daily digests of the watch: one row per UTC day, saved before its post (once a day).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 12:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

UTC_DATETIME = sa.DateTime(timezone=True)

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "watch_digest",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("blocks", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("posted_ts", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_watch_digest")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("watch_digest")
