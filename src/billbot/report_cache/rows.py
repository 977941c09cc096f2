"""Between the wire, the store and the answers: report buckets to cache rows, cache rows to entries.

The store keeps the API's null as "" (see `billbot.store.tables.reports`); entries use None again.
Reading regroups the feed's fine rows into what was asked: a coarser grouping is a sum, and daily
usage is the sum of the day's 24 hours (the API's daily buckets are UTC days, as the hours are).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from billbot.admin_api import report_models as wire
from billbot.core.entries import CostEntry, UsageEntry
from billbot.report_cache.feeds import COST, HOUR, USAGE, floor
from billbot.store.tables import CostBucket, UsageBucket

COUNTS = tuple(f.name for f in fields(UsageEntry) if f.type in ("int", int))
USAGE_DIMENSIONS = ("api_key_id", "workspace_id", "model", "service_tier", "context_window", "inference_geo")
ZERO = Decimal(0)
CostAmount = tuple[datetime, str, str, str, str, str, Decimal]


def cost_rows(source: str, buckets: Sequence[wire.CostBucket], fetched_at: datetime) -> list[CostBucket]:
    """Cache rows of cost buckets fetched with the cost feed's grouping."""
    return [
        CostBucket(
            source=source,
            bucket_width="1d",
            starting_at=bucket.starting_at,
            ending_at=bucket.ending_at,
            group_by=COST.signature,
            workspace_id=row.workspace_id or "",
            description=row.description or "",
            cost_type=row.cost_type or "",
            model=row.model or "",
            token_type=row.token_type or "",
            service_tier=row.service_tier or "",
            context_window=row.context_window or "",
            inference_geo=row.inference_geo or "",
            amount=row.dollars,
            currency=row.currency,
            fetched_at=fetched_at,
        )
        for bucket in buckets
        for row in bucket.results
    ]


def usage_rows(source: str, buckets: Sequence[wire.UsageBucket], fetched_at: datetime) -> list[UsageBucket]:
    """Cache rows of usage buckets fetched with the usage feed's grouping."""
    return [
        UsageBucket(
            source=source,
            bucket_width=USAGE.width,
            starting_at=bucket.starting_at,
            ending_at=bucket.ending_at,
            group_by=USAGE.signature,
            api_key_id=row.api_key_id or "",
            workspace_id=row.workspace_id or "",
            model=row.model or "",
            service_tier=row.service_tier or "",
            uncached_input_tokens=row.uncached_input_tokens,
            cache_creation_5m_tokens=row.cache_creation.ephemeral_5m_input_tokens,
            cache_creation_1h_tokens=row.cache_creation.ephemeral_1h_input_tokens,
            cache_read_input_tokens=row.cache_read_input_tokens,
            output_tokens=row.output_tokens,
            web_search_requests=row.web_search_requests,
            fetched_at=fetched_at,
        )
        for bucket in buckets
        for row in bucket.results
    ]


def cost_entries(rows: Iterable[CostAmount], group_by: Sequence[str]) -> list[CostEntry]:
    """Cached cost rows summed into the entries a request grouped by `group_by` gets."""
    by_workspace, described = "workspace_id" in group_by, "description" in group_by
    totals: dict[tuple[datetime, str, str, str, str, str], Decimal] = {}
    for day, workspace, description, model, token_type, cost_type, amount in rows:
        key = (
            day,
            workspace if by_workspace else "",
            *((description, model, token_type, cost_type) if described else ("", "", "", "")),
        )
        totals[key] = totals.get(key, ZERO) + amount
    return [
        CostEntry(day, amount, *(_none(value) for value in dimensions))
        for (day, *dimensions), amount in totals.items()
    ]


def usage_entries(sums: Iterable[tuple[Any, ...]], dimensions: Sequence[str]) -> list[UsageEntry]:
    """Hourly sums of `usage_sums` (start, dimension values, counts) as entries carrying `dimensions`."""
    width = len(dimensions)
    entries = []
    for row in sums:
        start, values, counts = row[0], row[1 : 1 + width], row[1 + width :]
        named = {name: _none(value) for name, value in zip(dimensions, values, strict=True)}
        entries.append(UsageEntry(start, start + HOUR, *(int(count) for count in counts), **named))  # type: ignore[arg-type]
    return entries


def regroup_usage(
    entries: Iterable[UsageEntry], group_by: Sequence[str], step: timedelta
) -> list[UsageEntry]:
    """Usage summed into buckets of `step` and only the dimensions of `group_by`."""
    kept = [name for name in USAGE_DIMENSIONS if name in group_by]
    sums: dict[tuple[datetime, tuple[str | None, ...]], list[int]] = {}
    for entry in entries:
        key = (floor(entry.start, step), tuple(getattr(entry, name) for name in kept))
        counts = sums.setdefault(key, [0] * len(COUNTS))
        for index, name in enumerate(COUNTS):
            counts[index] += getattr(entry, name)
    return [
        UsageEntry(
            start,
            start + step,
            **dict(zip(COUNTS, counts, strict=True)),  # type: ignore[arg-type]
            **dict(zip(kept, dims, strict=True)),  # type: ignore[arg-type]
        )
        for (start, dims), counts in sums.items()
    ]


def _none(value: str | None) -> str | None:
    return value or None
