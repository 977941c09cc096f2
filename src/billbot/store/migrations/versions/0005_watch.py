"""The watch: budgets, alerts (their lifecycle state), the outbox of alert posts, and runs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 10:12:14.083216
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# The store's column types as plain SQLAlchemy types (see billbot.store.types): a script never changes.
MONEY = sa.Text().with_variant(postgresql.NUMERIC(), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "watch_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("scope_key", sa.String(length=160), nullable=False),
        sa.Column("period_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("opened_at", UTC_DATETIME, nullable=False),
        sa.Column("last_seen_at", UTC_DATETIME, nullable=False),
        sa.Column("recovered_at", UTC_DATETIME, nullable=True),
        sa.Column("fired_rank", sa.Integer(), nullable=False),
        sa.Column("opened_posted", sa.Boolean(), nullable=False),
        sa.Column("recoveries", sa.Integer(), nullable=False),
        sa.Column("reopenings", sa.Integer(), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("acknowledged_at", UTC_DATETIME, nullable=True),
        sa.Column("snoozed_until", UTC_DATETIME, nullable=True),
        sa.Column("feedback", sa.String(length=16), nullable=True),
        sa.Column("feedback_by", sa.String(length=64), nullable=True),
        sa.Column("feedback_at", UTC_DATETIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rendered_version", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_alert")),
        sa.UniqueConstraint(
            "rule", "scope_key", "period_key", name=op.f("uq_watch_alert_rule_scope_key_period_key")
        ),
    )
    with op.batch_alter_table("watch_alert", schema=None) as batch_op:
        batch_op.create_index("ix_watch_alert_status", ["status"], unique=False)

    op.create_table(
        "watch_budget",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope_kind", sa.String(length=16), nullable=False),
        sa.Column("scope_id", sa.String(length=128), nullable=True),
        sa.Column("scope_name", sa.String(length=255), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("thresholds", sa.String(length=64), nullable=False),
        sa.Column("forecast", sa.Boolean(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_budget")),
    )
    op.create_table(
        "watch_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ran_at", UTC_DATETIME, nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_run")),
    )
    with op.batch_alter_table("watch_run", schema=None) as batch_op:
        batch_op.create_index("ix_watch_run_ran_at", ["ran_at"], unique=False)

    op.create_table(
        "watch_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("once_key", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("posted_ts", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["watch_alert.id"],
            name=op.f("fk_watch_post_alert_id_watch_alert"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_post")),
        sa.UniqueConstraint("alert_id", "once_key", name=op.f("uq_watch_post_alert_id_once_key")),
    )
    with op.batch_alter_table("watch_post", schema=None) as batch_op:
        batch_op.create_index("ix_watch_post_unposted", ["posted_ts", "id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("watch_post", schema=None) as batch_op:
        batch_op.drop_index("ix_watch_post_unposted")

    op.drop_table("watch_post")
    with op.batch_alter_table("watch_run", schema=None) as batch_op:
        batch_op.drop_index("ix_watch_run_ran_at")

    op.drop_table("watch_run")
    op.drop_table("watch_budget")
    with op.batch_alter_table("watch_alert", schema=None) as batch_op:
        batch_op.drop_index("ix_watch_alert_status")

    op.drop_table("watch_alert")
