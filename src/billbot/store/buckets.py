"""Persistence of the report cache: synced usage and cost buckets, and how far each report is synced.

Saving is an upsert on the bucket's key, so syncing the same interval twice (an overlap, a retry, a
refreshed partial bucket) updates rows and never duplicates them. The group-by signature of a row must
name only dimensions the report can group by, and such a dimension outside it must be "" (see
`tables.reports`): otherwise two results would share a key and one would overwrite the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, SQLModel, col, select

from billbot.store.tables import COST_GROUP_BY, USAGE_DIMENSIONS, CostBucket, SyncState, UsageBucket
from billbot.store.upsert import upsert


def group_by_signature(group_by: Iterable[str]) -> str:
    """The canonical group-by key: sorted, de-duplicated, comma-joined (`""` for no grouping)."""
    return ",".join(sorted(set(group_by)))


def save_usage_buckets(session: Session, buckets: Sequence[UsageBucket]) -> int:
    """Insert or update usage buckets; returns how many were saved."""
    return _save(session, UsageBucket, USAGE_DIMENSIONS, buckets)


def save_cost_buckets(session: Session, buckets: Sequence[CostBucket]) -> int:
    """Insert or update cost buckets; returns how many were saved."""
    return _save(session, CostBucket, COST_GROUP_BY, buckets)


def usage_buckets(
    session: Session, *, source: str, bucket_width: str, group_by: str, start: datetime, end: datetime
) -> list[UsageBucket]:
    """Cached usage buckets starting within `[start, end)`, in time order."""
    query = (
        select(UsageBucket)
        .where(UsageBucket.source == source, UsageBucket.bucket_width == bucket_width)
        .where(UsageBucket.group_by == group_by)
        .where(col(UsageBucket.starting_at) >= start, col(UsageBucket.starting_at) < end)
        .order_by(col(UsageBucket.starting_at))
    )
    return list(session.exec(query))


def cost_buckets(
    session: Session, *, source: str, group_by: str, start: datetime, end: datetime
) -> list[CostBucket]:
    """Cached daily cost buckets starting within `[start, end)`, in time order."""
    query = (
        select(CostBucket)
        .where(CostBucket.source == source, CostBucket.bucket_width == "1d")
        .where(CostBucket.group_by == group_by)
        .where(col(CostBucket.starting_at) >= start, col(CostBucket.starting_at) < end)
        .order_by(col(CostBucket.starting_at))
    )
    return list(session.exec(query))


def sync_state(
    session: Session, *, source: str, report: str, bucket_width: str, group_by: str
) -> SyncState | None:
    """How far this report is synced (None: never)."""
    return session.get(SyncState, (source, report, bucket_width, group_by))


def mark_synced(
    session: Session,
    *,
    source: str,
    report: str,
    bucket_width: str,
    group_by: str,
    synced_through: datetime,
    synced_at: datetime,
) -> None:
    """Record that complete buckets up to `synced_through` (exclusive) were fetched at `synced_at`."""
    row = SyncState(
        source=source,
        report=report,
        bucket_width=bucket_width,
        group_by=group_by,
        synced_through=synced_through,
        last_synced_at=synced_at,
    )
    upsert(session, SyncState, [row.model_dump()])


def _save(
    session: Session, model: type[SQLModel], groupable: Sequence[str], buckets: Sequence[SQLModel]
) -> int:
    rows = [bucket.model_dump() for bucket in buckets]
    for row in rows:
        grouped = set(filter(None, row["group_by"].split(",")))
        if row["group_by"] != group_by_signature(grouped) or not grouped <= set(groupable):
            raise ValueError(f"group-by signature {row['group_by']!r} is not a sorted subset of {groupable}")
        stray = [name for name in groupable if name not in grouped and row[name]]
        if stray:
            raise ValueError(
                f"dimensions {stray} have values but are not in the group-by {row['group_by']!r}"
            )
    return upsert(session, model, rows)
