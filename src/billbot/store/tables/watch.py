"""The watch's tables: budgets, alerts with their lifecycle state, the outbox of alert posts, and runs.

- `watch_budget`: what `/claude-budget set` saved (the scope by kind, id and name).
- `watch_alert`: one row per alert key (rule, scope, period), unique, holding the state machine's
  state (`billbot.watch.alerts.Alert`) and the latest finding as JSON. `version` grows with every change
  the message shows; `rendered_version` is what Slack shows, so the relay edits the message until they
  agree (an edit is idempotent: a crash between editing and recording only edits it once more).
- `watch_post`: a post an alert owes — its top-level message (`open`) or a thread reply — saved in
  the same transaction as the change that owes it (a transactional outbox); `(alert, once_key)` is
  unique, so a level, a recovery or a reopening is owed once, whatever retries and races happen.
- `watch_run`: each completed run (when, what it found), for "is a run due" across processes.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field

from billbot.store.tables.base import StoreModel
from billbot.store.types import Money, UtcDateTime


class WatchBudgetRow(StoreModel, table=True):
    """One budget."""

    __tablename__ = "watch_budget"

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    scope_kind: str = Field(sa_type=String(16), nullable=False)
    scope_id: str | None = Field(default=None, sa_type=String(128), nullable=True)
    scope_name: str = Field(default="", sa_type=String(255), nullable=False)
    amount: Decimal = Field(sa_type=Money, nullable=False)
    period: str = Field(sa_type=String(8), nullable=False)
    thresholds: str = Field(sa_type=String(64), nullable=False)  # "50,80,100"
    forecast: bool = Field(default=True, sa_type=Boolean, nullable=False)
    channel_id: str | None = Field(default=None, sa_type=String(32), nullable=True)
    created_by: str = Field(default="", sa_type=String(64), nullable=False)
    created_at: datetime = Field(sa_type=UtcDateTime, nullable=False)


class WatchAlertRow(StoreModel, table=True):
    """One alert and where it stands."""

    __tablename__ = "watch_alert"
    __table_args__ = (
        UniqueConstraint("rule", "scope_key", "period_key"),
        Index("ix_watch_alert_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    rule: str = Field(sa_type=String(32), nullable=False)
    scope_key: str = Field(sa_type=String(160), nullable=False)
    period_key: str = Field(sa_type=String(64), nullable=False)
    status: str = Field(sa_type=String(16), nullable=False)
    severity: str = Field(sa_type=String(16), nullable=False)
    finding: str = Field(sa_type=Text, nullable=False)  # JSON of the latest finding
    opened_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    last_seen_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    recovered_at: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True)
    fired_rank: int = Field(sa_type=Integer, nullable=False)
    opened_posted: bool = Field(sa_type=Boolean, nullable=False)
    recoveries: int = Field(default=0, sa_type=Integer, nullable=False)
    reopenings: int = Field(default=0, sa_type=Integer, nullable=False)
    acknowledged_by: str | None = Field(default=None, sa_type=String(64), nullable=True)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True)
    snoozed_until: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True)
    feedback: str | None = Field(default=None, sa_type=String(16), nullable=True)
    feedback_by: str | None = Field(default=None, sa_type=String(64), nullable=True)
    feedback_at: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True)
    version: int = Field(default=1, sa_type=Integer, nullable=False)
    rendered_version: int = Field(default=0, sa_type=Integer, nullable=False)
    channel_id: str = Field(default="", sa_type=String(32), nullable=False)
    message_ts: str | None = Field(default=None, sa_type=String(32), nullable=True)
    updated_at: datetime = Field(sa_type=UtcDateTime, nullable=False)


class WatchPostRow(StoreModel, table=True):
    """A post an alert owes Slack, until `posted_ts` is set."""

    __tablename__ = "watch_post"
    __table_args__ = (
        UniqueConstraint("alert_id", "once_key"),
        Index("ix_watch_post_unposted", "posted_ts", "id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    alert_id: int = Field(foreign_key="watch_alert.id", ondelete="CASCADE", sa_type=Integer, nullable=False)
    kind: str = Field(sa_type=String(16), nullable=False)  # "open" or "thread"
    once_key: str = Field(sa_type=String(64), nullable=False)
    text: str = Field(sa_type=Text, nullable=False)
    created_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    posted_ts: str | None = Field(default=None, sa_type=String(32), nullable=True)


class WatchRunRow(StoreModel, table=True):
    """One completed watch run."""

    __tablename__ = "watch_run"
    __table_args__ = (Index("ix_watch_run_ran_at", "ran_at"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    ran_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    findings: int = Field(sa_type=Integer, nullable=False)
    changes: int = Field(sa_type=Integer, nullable=False)
    posts: int = Field(sa_type=Integer, nullable=False)
