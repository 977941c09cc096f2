"""What-if runs asked for in Slack: what was asked, where it is posted, and its reply once computed.

A row is written before any work (so a restart finds what was asked and not finished), claimed by a
unique request key (a retried or repeated click finds the row and runs nothing twice), and carries the
reply as JSON once computed (so a restart re-posts it without computing it again).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlmodel import Field

from billbot.store.tables.base import StoreModel
from billbot.store.types import UtcDateTime


class WhatIfRun(StoreModel, table=True):
    """One what-if: queued → running → done (reply kept) → posted."""

    __tablename__ = "whatif_run"
    __table_args__ = (Index("ix_whatif_run_status", "status"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    request_key: str = Field(sa_type=String(255), nullable=False, unique=True)
    command: str = Field(sa_type=Text, nullable=False)  # "/claude-whatif traffic x2 seed 3"
    requested_by: str = Field(sa_type=String(64), nullable=False)
    channel: str = Field(sa_type=String(64), nullable=False)
    thread_ts: str | None = Field(default=None, sa_type=String(64), nullable=True)
    message_ts: str | None = Field(default=None, sa_type=String(64), nullable=True)
    status: str = Field(sa_type=String(16), nullable=False)
    reply: str | None = Field(default=None, sa_type=Text, nullable=True)
    created_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True)
