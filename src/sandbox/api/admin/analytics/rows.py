"""The analytics reports' rows before ordering: usage from the minute records, cost from the request log.

Usage sums the world's per-minute usage rows into (bucket, group) rows: exact, whatever the width. Cost
prices each served request again from the request log exactly as it was billed (the rates of its day,
its tier, region and speed, times the times it was charged), so `1m` buckets are exact and the daily sums
equal the legacy cost report's. `amount` is what was charged, after discounts and before credits; the
sandbox has no negotiated discounts, so `list_amount` differs only on the Batch API, whose 50% the
pricing page calls a discount (the sandbox's reading: `list_amount` is the standard-tier price).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox.api.admin.analytics.dimensions import group_key, matches, values_of
from sandbox.api.admin.analytics.query import AnalyticsQuery
from sandbox.clock import NS_PER_DAY
from sandbox.records import CACHE_READ, CW_1H, CW_5M, OUTPUT, REQUESTS, UNCACHED, WEB_SEARCH, UsageDims
from sandbox.tokens import TOKEN_TYPES
from sandbox.world import World

RowKey = tuple[int, tuple[Any, ...]]  # (bucket start, grouped values)
# Cost of one base row: requests, then (cost_type, token_type) -> [amount, list amount] in dollars.
CostSums = tuple[list[int], dict[tuple[str, str | None], list[Decimal]]]
_SLOTS = (UNCACHED, CW_5M, CW_1H, CACHE_READ, OUTPUT, WEB_SEARCH, REQUESTS)


def usage_rows(world: World, query: AnalyticsQuery, until_ns: int) -> dict[RowKey, list[int]]:
    """(bucket, group) → [uncached, 5m writes, 1h writes, cache reads, output, web searches, requests].

    The data runs through `until_ns` inclusive (a request at that very instant counts; usage is kept per
    minute, so the minute holding it counts).
    """
    end = min(query.end_ns, until_ns + 1)
    with world.lock:
        minutes = list(world.records.usage_rows(query.start_ns, end))
    seen: dict[UsageDims, tuple[dict[str, Any], bool]] = {}
    sums: dict[RowKey, list[int]] = {}
    for minute, dims, row in minutes:
        found = seen.get(dims)
        if found is None:
            values = values_of(dims, world.org.id)
            found = seen[dims] = (values, matches(values, query.filters))
        values, kept = found
        if not kept:
            continue
        key = (query.bucket_of(minute), group_key(values, query.group_by))
        total = sums.get(key)
        if total is None:
            total = sums[key] = [0] * len(_SLOTS)
        for index, slot in enumerate(_SLOTS):
            total[index] += row[slot]
    return sums


def cost_rows(world: World, query: AnalyticsQuery, until_ns: int) -> dict[RowKey, CostSums]:
    """(bucket, group) → its request count and amounts per (cost_type, token_type), through `until_ns`."""
    end = min(query.end_ns, until_ns + 1)
    with world.lock:
        served = [o for o in world.records.requests if o.dims is not None and query.start_ns <= o.at_ns < end]
    seen: dict[UsageDims, tuple[dict[str, Any], bool]] = {}
    sums: dict[RowKey, CostSums] = {}
    for outcome in served:
        dims = outcome.dims
        assert dims is not None and outcome.usage is not None  # served outcomes carry both
        found = seen.get(dims)
        if found is None:
            values = values_of(dims, world.org.id)
            found = seen[dims] = (values, matches(values, query.filters))
        values, kept = found
        if not kept:
            continue
        key = (query.bucket_of(outcome.at_ns), group_key(values, query.group_by))
        entry = sums.get(key)
        if entry is None:
            entry = sums[key] = ([0], {})
        entry[0][0] += 1
        _add_request(
            world, outcome.model, outcome.at_ns, dims, outcome.usage, outcome.times_charged, entry[1]
        )
    return sums


def _add_request(
    world: World,
    model: str,
    at_ns: int,
    dims: UsageDims,
    usage: Any,
    times: int,
    into: dict[tuple[str, str | None], list[Decimal]],
) -> None:
    priced = world.prices.dated(model, at_ns // NS_PER_DAY)
    geo = "global" if dims.inference_geo == "not_available" else dims.inference_geo
    amounts, _, _ = priced.amounts(usage, dims.service_tier, geo, dims.speed)
    batch = priced.model.batch_multiplier if dims.service_tier == "batch" else None
    for index, amount in enumerate(amounts):
        if not amount:
            continue
        charged = amount * times
        listed = charged / batch if batch else charged
        split = ("tokens", TOKEN_TYPES[index]) if index < len(TOKEN_TYPES) else ("web_search", None)
        if split[0] == "web_search":
            listed = charged  # web search has no batch discount
        slot = into.get(split)
        if slot is None:
            into[split] = [charged, listed]
        else:
            slot[0] += charged
            slot[1] += listed
