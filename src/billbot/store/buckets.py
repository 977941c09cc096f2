"""Persistence of the report cache: synced usage and cost buckets, and how far each report is synced.

Saving is an upsert on the bucket's key, so syncing the same interval twice (an overlap, a retry, a
refreshed partial bucket) updates rows and never duplicates them. The group-by signature of a row must
name only dimensions the report can group by, and such a dimension outside it must be "" (see
`tables.reports`): otherwise two results would share a key and one would overwrite the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlmodel import Session, SQLModel, col, delete, select

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


USAGE_COUNTS = (
    "uncached_input_tokens",
    "cache_creation_5m_tokens",
    "cache_creation_1h_tokens",
    "cache_read_input_tokens",
    "output_tokens",
    "web_search_requests",
)


def usage_sums(
    session: Session,
    *,
    source: str,
    bucket_width: str,
    group_by: str,
    start: datetime,
    end: datetime,
    dimensions: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Cached usage summed per bucket and `dimensions`: `(starting_at, *dimension values, *USAGE_COUNTS)`.

    The database does the sum (token counts are exact integers), so an answer over weeks of hourly
    rows grouped finer than it asks reads only the rows it shows.
    """
    table = UsageBucket.__table__  # type: ignore[attr-defined]
    keys = [table.c.starting_at, *(table.c[name] for name in dimensions)]
    query = (
        select_columns(*keys, *(func.sum(table.c[name]) for name in USAGE_COUNTS))
        .where(table.c.source == source, table.c.bucket_width == bucket_width)
        .where(table.c.group_by == group_by)
        .where(table.c.starting_at >= start, table.c.starting_at < end)
        .group_by(*keys)
        .order_by(table.c.starting_at)
    )
    return [tuple(row) for row in session.execute(query).all()]


def cost_amounts(
    session: Session, *, source: str, group_by: str, start: datetime, end: datetime
) -> list[tuple[datetime, str, str, str, str, str, Decimal]]:
    """Cached cost rows as `(starting_at, workspace_id, description, model, token_type, cost_type,
    amount)`, in time order; summed by the caller, since SQLite would sum the exact amounts as floats."""
    table = CostBucket.__table__  # type: ignore[attr-defined]
    columns = ("starting_at", "workspace_id", "description", "model", "token_type", "cost_type", "amount")
    query = (
        select_columns(*(table.c[name] for name in columns))
        .where(table.c.source == source, table.c.bucket_width == "1d")
        .where(table.c.group_by == group_by)
        .where(table.c.starting_at >= start, table.c.starting_at < end)
        .order_by(table.c.starting_at)
    )
    return [tuple(row) for row in session.execute(query).all()]


def delete_buckets(
    session: Session,
    model: type[UsageBucket] | type[CostBucket],
    *,
    source: str,
    bucket_width: str,
    group_by: str,
    start: datetime,
    end: datetime,
) -> None:
    """Remove cached buckets starting within `[start, end)`, before saving a fresh fetch of that span.

    An upsert alone would keep a result the API no longer reports (a re-fetched bucket may hold fewer
    rows); deleting first, in the same transaction, makes the span exactly what was fetched.
    """
    session.execute(
        delete(model)
        .where(col(model.source) == source, col(model.bucket_width) == bucket_width)
        .where(col(model.group_by) == group_by)
        .where(col(model.starting_at) >= start, col(model.starting_at) < end)
    )


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
