"""The answers' cost and usage entries read from the Usage and Cost Analytics API (addendum §1).

The API answers at most 31 days a request (24 hours with 1-minute buckets), from 2026-01-01 and within
the last 365 days; a longer span is read in chunks. Its rows become the same entries the legacy reports
give, so answers cannot tell the generations apart except by what the amounts mean:
- costs: daily rows grouped by workspace, and for a breakdown by description by model, cost type and
  token type; the description is rebuilt as the legacy report words it ("Claude Opus 5 Usage - Input
  Tokens", "Web Search Usage"), from the price list's display names;
- the Default workspace: the analytics API names it by its real ID, the legacy reports by null; the
  answers keep null for it, so the ID is mapped back (`default_workspace_id`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from billbot.admin_api.analytics_models import AnalyticsCostRow, AnalyticsUsageRow
from billbot.admin_api.client import AdminClient, BucketWidth
from billbot.core.entries import CostEntry, UsageEntry
from sandbox.pricing import PriceList, UnknownModelError, UnknownTokenTypeError

FLOOR = datetime(2026, 1, 1, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
WIDTHS = {"1d": timedelta(days=1), "1h": timedelta(hours=1), "1m": timedelta(minutes=1)}
LOOKBACK = timedelta(days=365)
CHUNK = {"1d": timedelta(days=31), "1h": timedelta(days=31), "1m": timedelta(days=1)}
MAX_GROUPS = 5  # the analytics API groups by at most five dimensions a request
USAGE_DIMENSIONS = ("api_key_id", "workspace_id", "model", "service_tier", "context_window", "inference_geo")


def reachable(start: datetime, now: datetime) -> bool:
    """Whether the analytics API holds data from `start` (not before 2026-01-01, within 365 days)."""
    return start >= max(FLOOR, now - LOOKBACK)


def groups_fit(group_by: Sequence[str]) -> bool:
    """Whether one analytics request can group by all of `group_by` (the legacy reports take more)."""
    return len(group_by) <= MAX_GROUPS


def chunks(start: datetime, end: datetime, width: str) -> list[tuple[datetime, datetime]]:
    """`[start, end)` in spans the API accepts for `width`, on bucket boundaries.

    The API snaps each request's bounds to its buckets, so a chunk boundary inside a bucket would
    count that bucket twice: the span is widened to whole buckets first, as the legacy reports do.
    """
    size = WIDTHS[width]
    start = start - (start - EPOCH) % size
    end = end + (-(end - EPOCH)) % size
    spans, step = [], CHUNK[width]
    while start < end:
        spans.append((start, min(end, start + step)))
        start += step
    return spans


DefaultWorkspace = Callable[[], str | None]


def cost_entries(
    client: AdminClient, start: datetime, end: datetime, group_by: Sequence[str], default: DefaultWorkspace
) -> list[CostEntry]:
    """Daily cost entries within `[start, end)`, grouped as the legacy cost report would be.

    `default()` gives the Default workspace's ID; it is asked only when rows name workspaces.
    """
    dimensions = ["workspace_id"] if "workspace_id" in group_by else []
    if "description" in group_by:
        dimensions += ["model", "cost_type", "token_type"]
    rows: list[AnalyticsCostRow] = []
    for first, last in chunks(start, end, "1d"):
        rows += client.analytics_cost(first, last, "1d", dimensions)
    prices = PriceList.default()
    default_workspace = default() if "workspace_id" in dimensions and rows else None
    entries = []
    for row in rows:
        group = row.group
        described = "description" in group_by
        entries.append(
            CostEntry(
                row.starting_at,
                row.cost.dollars,
                _workspace(group.workspace_id, default_workspace),
                _description(prices, group.model, group.cost_type, group.token_type) if described else None,
                group.model if described else None,
                group.token_type if described else None,
                group.cost_type if described else None,
            )
        )
    return entries


def usage_entries(
    client: AdminClient,
    start: datetime,
    end: datetime,
    width: BucketWidth,
    group_by: Sequence[str],
    default: DefaultWorkspace,
) -> list[UsageEntry]:
    """Usage entries of `width` buckets within `[start, end)`, grouped as asked."""
    dimensions = [name for name in group_by if name in USAGE_DIMENSIONS]
    rows: list[AnalyticsUsageRow] = []
    for first, last in chunks(start, end, width):
        rows += client.analytics_usage(first, last, width, dimensions)
    default_workspace = default() if "workspace_id" in dimensions and rows else None
    return [
        UsageEntry(
            row.starting_at,
            row.ending_at,
            row.usage.uncached_input_tokens,
            row.usage.cache_creation.ephemeral_5m_input_tokens,
            row.usage.cache_creation.ephemeral_1h_input_tokens,
            row.usage.cache_read_input_tokens,
            row.usage.output_tokens,
            row.usage.web_search_requests,
            row.group.api_key_id,
            _workspace(row.group.workspace_id, default_workspace),
            row.group.model,
            row.group.service_tier,
            row.group.context_window,
            row.group.inference_geo,
        )
        for row in rows
    ]


def _workspace(workspace_id: str | None, default_workspace: str | None) -> str | None:
    return None if workspace_id is not None and workspace_id == default_workspace else workspace_id


def _description(
    prices: PriceList, model: str | None, cost_type: str | None, token_type: str | None
) -> str | None:
    if cost_type == "web_search":
        return "Web Search Usage"
    if cost_type != "tokens" or model is None or token_type is None:
        return None if cost_type is None else cost_type.replace("_", " ").capitalize() + " Usage"
    try:
        return prices.resolve(model).description(token_type)
    except (UnknownModelError, UnknownTokenTypeError):
        return f"{model} Usage - {token_type}"
