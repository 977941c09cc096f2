"""Initial schema: balance ledger, recorded limits, report bucket cache, sync state.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 05:15:26.461846
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# The store's column types as plain SQLAlchemy types (see billbot.store.types): a script never changes.
MONEY = sa.Text().with_variant(postgresql.NUMERIC(), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "balance_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount", MONEY, nullable=True),
        sa.Column("reload_threshold", MONEY, nullable=True),
        sa.Column("reload_target", MONEY, nullable=True),
        sa.Column("effective_at", UTC_DATETIME, nullable=False),
        sa.Column("recorded_at", UTC_DATETIME, nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "(kind = 'autoreload_setting' AND amount IS NULL)"
            " OR (kind <> 'autoreload_setting' AND amount IS NOT NULL)",
            name=op.f("ck_balance_entry_amount_for_money_kinds"),
        ),
        sa.CheckConstraint(
            "(reload_threshold IS NULL AND reload_target IS NULL)"
            " OR (kind = 'autoreload_setting'"
            " AND reload_threshold IS NOT NULL AND reload_target IS NOT NULL)",
            name=op.f("ck_balance_entry_reload_pair"),
        ),
        sa.CheckConstraint(
            "kind IN ('anchor', 'topup', 'adjustment', 'autoreload_setting')",
            name=op.f("ck_balance_entry_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balance_entry")),
    )
    op.create_index(
        "ix_balance_entry_org_effective", "balance_entry", ["org_id", "effective_at"], unique=False
    )

    op.create_table(
        "cost_bucket",
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("bucket_width", sa.String(length=4), nullable=False),
        sa.Column("starting_at", UTC_DATETIME, nullable=False),
        sa.Column("group_by", sa.String(length=200), nullable=False),
        sa.Column("workspace_id", sa.String(length=128), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("cost_type", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("token_type", sa.String(length=64), nullable=False),
        sa.Column("service_tier", sa.String(length=32), nullable=False),
        sa.Column("context_window", sa.String(length=32), nullable=False),
        sa.Column("inference_geo", sa.String(length=32), nullable=False),
        sa.Column("ending_at", UTC_DATETIME, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("fetched_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint(
            "source",
            "bucket_width",
            "starting_at",
            "group_by",
            "workspace_id",
            "description",
            "cost_type",
            "model",
            "token_type",
            "service_tier",
            "context_window",
            "inference_geo",
            name=op.f("pk_cost_bucket"),
        ),
    )
    op.create_table(
        "recorded_limit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=128), nullable=False),
        sa.Column("tier", sa.String(length=64), nullable=False),
        sa.Column("amount", MONEY, nullable=True),
        sa.Column("effective_at", UTC_DATETIME, nullable=False),
        sa.Column("recorded_at", UTC_DATETIME, nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "(kind = 'workspace_spend_limit') = (workspace_id <> '')",
            name=op.f("ck_recorded_limit_workspace_only_for_workspace_limits"),
        ),
        sa.CheckConstraint(
            "kind IN ('tier_cap', 'org_spend_limit', 'workspace_spend_limit')",
            name=op.f("ck_recorded_limit_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recorded_limit")),
    )
    op.create_index(
        "ix_recorded_limit_org_effective", "recorded_limit", ["org_id", "effective_at"], unique=False
    )

    op.create_table(
        "sync_state",
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("report", sa.String(length=32), nullable=False),
        sa.Column("bucket_width", sa.String(length=4), nullable=False),
        sa.Column("group_by", sa.String(length=200), nullable=False),
        sa.Column("synced_through", UTC_DATETIME, nullable=False),
        sa.Column("last_synced_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("source", "report", "bucket_width", "group_by", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "usage_bucket",
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("bucket_width", sa.String(length=4), nullable=False),
        sa.Column("starting_at", UTC_DATETIME, nullable=False),
        sa.Column("group_by", sa.String(length=200), nullable=False),
        sa.Column("api_key_id", sa.String(length=128), nullable=False),
        sa.Column("workspace_id", sa.String(length=128), nullable=False),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("service_tier", sa.String(length=32), nullable=False),
        sa.Column("context_window", sa.String(length=32), nullable=False),
        sa.Column("inference_geo", sa.String(length=32), nullable=False),
        sa.Column("ending_at", UTC_DATETIME, nullable=False),
        sa.Column("uncached_input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cache_creation_5m_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cache_creation_1h_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cache_read_input_tokens", sa.BigInteger(), nullable=False),
        sa.Column("output_tokens", sa.BigInteger(), nullable=False),
        sa.Column("web_search_requests", sa.BigInteger(), nullable=False),
        sa.Column("fetched_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint(
            "source",
            "bucket_width",
            "starting_at",
            "group_by",
            "api_key_id",
            "workspace_id",
            "model",
            "service_tier",
            "context_window",
            "inference_geo",
            name=op.f("pk_usage_bucket"),
        ),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("usage_bucket")
    op.drop_table("sync_state")
    op.drop_index("ix_recorded_limit_org_effective", table_name="recorded_limit")

    op.drop_table("recorded_limit")
    op.drop_table("cost_bucket")
    op.drop_index("ix_balance_entry_org_effective", table_name="balance_entry")

    op.drop_table("balance_entry")
