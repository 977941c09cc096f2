"""Slack deliveries handled, shared by every web process (the delivery dedupe table).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 19:22:33.636199
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

UTC_DATETIME = sa.DateTime(timezone=True)

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "slack_delivery",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_slack_delivery")),
    )
    with op.batch_alter_table("slack_delivery", schema=None) as batch_op:
        batch_op.create_index("ix_slack_delivery_expires_at", ["expires_at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("slack_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_slack_delivery_expires_at")

    op.drop_table("slack_delivery")
