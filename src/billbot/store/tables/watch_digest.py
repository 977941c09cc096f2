"""The daily digests the alert channel was sent (or is owed): one row per UTC day, so once a day.

The row is saved before the post, with what it says (`text`, Block Kit `blocks` as JSON), and the
post's ts recorded after; the day is the primary key, so several processes, restarts and retries
never owe (or post) a day's digest twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlmodel import Field

from billbot.store.tables.base import StoreModel
from billbot.store.types import UtcDateTime


class WatchDigestRow(StoreModel, table=True):
    """One day's digest: owed until `posted_ts` is set."""

    __tablename__ = "watch_digest"

    day: str = Field(sa_type=String(10), primary_key=True)  # "2026-12-05": the UTC day it was sent on
    channel_id: str = Field(sa_type=String(32), nullable=False)
    text: str = Field(sa_type=Text, nullable=False)
    blocks: str = Field(sa_type=Text, nullable=False)  # JSON
    created_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    posted_ts: str | None = Field(default=None, sa_type=String(32), nullable=True)
