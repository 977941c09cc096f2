"""Drills played in Slack: each run with its scorecard once scored, and the actions taken in it.

A run is claimed by a unique request key before anything is posted (a retried delivery of the same
slash command starts nothing). Each action is claimed by its own request key (the click's or the
reply's), so a retried click is applied once. The scorecard's headline figures are columns (for
`/claude-drill history`); the whole scorecard is kept as its JSON.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlmodel import Field

from billbot.store.tables.base import StoreModel
from billbot.store.types import UtcDateTime


class DrillRun(StoreModel, table=True):
    """One drill: running → finished (scored) | interrupted (the bot stopped) | failed."""

    __tablename__ = "drill_run"
    __table_args__ = (Index("ix_drill_run_status", "status"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    request_key: str = Field(sa_type=String(255), nullable=False, unique=True)
    drill: str = Field(sa_type=String(255), nullable=False)
    seed: int = Field(sa_type=Integer, nullable=False)
    channel: str = Field(sa_type=String(64), nullable=False)
    started_by: str = Field(sa_type=String(64), nullable=False)
    message_ts: str | None = Field(default=None, sa_type=String(64), nullable=True)
    status: str = Field(sa_type=String(16), nullable=False)
    created_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True)
    ended_by: str | None = Field(default=None, sa_type=String(16), nullable=True)
    requests_failed: int | None = Field(default=None, sa_type=Integer, nullable=True)
    dollars_lost_usd: str | None = Field(default=None, sa_type=String(32), nullable=True)
    time_to_detect_s: int | None = Field(default=None, sa_type=Integer, nullable=True)
    time_to_first_action_s: int | None = Field(default=None, sa_type=Integer, nullable=True)
    time_to_recover_s: int | None = Field(default=None, sa_type=Integer, nullable=True)
    scorecard: str | None = Field(default=None, sa_type=Text, nullable=True)


class DrillAction(StoreModel, table=True):
    """An action someone took in a drill's thread, claimed once by its request key."""

    __tablename__ = "drill_action"
    __table_args__ = (Index("ix_drill_action_run", "run_id", "id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    run_id: int = Field(foreign_key="drill_run.id", ondelete="CASCADE", sa_type=Integer, nullable=False)
    request_key: str = Field(sa_type=String(255), nullable=False, unique=True)
    taken_by: str = Field(sa_type=String(64), nullable=False)
    text: str = Field(sa_type=Text, nullable=False)
    created_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
