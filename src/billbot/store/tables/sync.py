"""How far each report has been synced into the cache, for incremental `billbot sync` and freshness labels.

One row per (source, report, bucket width, group-by signature): `synced_through` is the exclusive end of
the complete buckets fetched so far (the next sync starts there), `last_synced_at` when a sync last
succeeded (what "usage through 12:05 UTC" is computed from).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field

from billbot.store.tables.base import StoreModel
from billbot.store.types import UtcDateTime


class SyncState(StoreModel, table=True):
    """Where the cache of one report stands."""

    __tablename__ = "sync_state"

    source: str = Field(primary_key=True, sa_type=String(200))
    report: str = Field(primary_key=True, sa_type=String(32))
    bucket_width: str = Field(primary_key=True, sa_type=String(4))
    group_by: str = Field(primary_key=True, sa_type=String(200))
    synced_through: datetime = Field(sa_type=UtcDateTime, nullable=False)
    last_synced_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
