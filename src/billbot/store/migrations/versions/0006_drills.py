"""Drills played in Slack: the runs with their scorecards, and the actions taken in them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 12:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

UTC_DATETIME = sa.DateTime(timezone=True)

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "drill_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(length=255), nullable=False),
        sa.Column("drill", sa.String(length=255), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("message_ts", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("finished_at", UTC_DATETIME, nullable=True),
        sa.Column("ended_by", sa.String(length=16), nullable=True),
        sa.Column("requests_failed", sa.Integer(), nullable=True),
        sa.Column("dollars_lost_usd", sa.String(length=32), nullable=True),
        sa.Column("time_to_detect_s", sa.Integer(), nullable=True),
        sa.Column("time_to_first_action_s", sa.Integer(), nullable=True),
        sa.Column("time_to_recover_s", sa.Integer(), nullable=True),
        sa.Column("scorecard", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drill_run")),
        sa.UniqueConstraint("request_key", name=op.f("uq_drill_run_request_key")),
    )
    op.create_index("ix_drill_run_status", "drill_run", ["status"], unique=False)
    op.create_table(
        "drill_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(length=255), nullable=False),
        sa.Column("taken_by", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["drill_run.id"], name=op.f("fk_drill_action_run_id_drill_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drill_action")),
        sa.UniqueConstraint("request_key", name=op.f("uq_drill_action_request_key")),
    )
    op.create_index("ix_drill_action_run", "drill_action", ["run_id", "id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_drill_action_run", table_name="drill_action")
    op.drop_table("drill_action")
    op.drop_index("ix_drill_run_status", table_name="drill_run")
    op.drop_table("drill_run")
