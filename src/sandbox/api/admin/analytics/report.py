"""From rows to a page: ranking, the groups-per-day and page-size limits, paging and the row JSON.

Rules (SDK 2.17 docstrings; addendum §1.2–1.5):
- Rows are ranked by `order_by` in `order` (ties: older bucket first, then the grouped values); `time`
  orders by bucket in `order` and, within a bucket, by the default metric, highest first.
- `limit` counts base rows; a cost row grouped by `cost_type`/`token_type` fans out into one row per
  component, which do not count, so `data` may hold more. A page whose `data` would exceed
  `max_page_rows` is a 400 with `error_code: report_page_too_large` ("send a lower limit").
- A UTC day with more than `max_groups_per_day` groups is a 400 `too_many_report_groups`, naming the
  endpoint to use instead (the legacy report, which is paged by bucket).
- `next_page` is an opaque cursor bound to the query (another query with it: 400); `has_more` says
  whether it is set; `data_refreshed_at` is how far the data goes (now, less the configured lag).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox.api.admin.analytics.dimensions import COST_ONLY, group_json
from sandbox.api.admin.analytics.query import AnalyticsQuery
from sandbox.api.admin.analytics.rows import CostSums, RowKey
from sandbox.api.admin.cost import cents
from sandbox.api.admin.report_window import page_cursor, page_position
from sandbox.api.errors import WireError
from sandbox.api.params import Params
from sandbox.clock import NS_PER_DAY, rfc3339

_USAGE_METRIC = {"total_tokens": -1, "uncached_input_tokens": 0, "output_tokens": 4, "requests": 6}
LEGACY_ENDPOINT = {
    "usage": "GET /v1/organizations/usage_report/messages",
    "cost": "GET /v1/organizations/cost_report",
}


def usage_page(
    query: AnalyticsQuery,
    rows: dict[RowKey, list[int]],
    params: Params,
    refreshed_ns: int,
    limits: tuple[int, int],
) -> dict[str, Any]:
    """One page of the usage report."""
    _check_groups(query, rows, limits[1])
    ranked = _rank(query, {key: _usage_metric(query.order_by, counts) for key, counts in rows.items()})
    start, end, following = _slice(query, ranked, params)
    data = [_usage_row(query, key, rows[key]) for key in ranked[start:end]]
    return _page(data, following, refreshed_ns, limits[0])


def cost_page(
    query: AnalyticsQuery,
    rows: dict[RowKey, CostSums],
    params: Params,
    refreshed_ns: int,
    limits: tuple[int, int],
) -> dict[str, Any]:
    """One page of the cost report (rows fanned out by `cost_type` / `token_type` when grouped so)."""
    _check_groups(query, rows, limits[1])
    slot = 1 if query.order_by == "list_amount" else 0
    ranked = _rank(
        query, {key: sum((v[slot] for v in sums[1].values()), Decimal(0)) for key, sums in rows.items()}
    )
    start, end, following = _slice(query, ranked, params)
    data = [row for key in ranked[start:end] for row in _cost_rows(query, key, rows[key])]
    return _page(data, following, refreshed_ns, limits[0])


def _usage_metric(order_by: str, counts: list[int]) -> int:
    slot = _USAGE_METRIC.get(order_by, -1)
    return sum(counts[:5]) if slot < 0 else counts[slot]


def _rank(query: AnalyticsQuery, metrics: dict[RowKey, Any]) -> list[RowKey]:
    keys = sorted(metrics, key=lambda key: (key[0], _text(key[1])))
    if query.order_by == "time":
        keys.sort(key=lambda key: metrics[key], reverse=True)
        keys.sort(key=lambda key: key[0], reverse=query.descending)
    else:
        keys.sort(key=lambda key: metrics[key], reverse=query.descending)
    return keys


def _text(values: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple("" if value is None else str(value) for value in values)


def _slice(query: AnalyticsQuery, ranked: list[RowKey], params: Params) -> tuple[int, int, str | None]:
    start = 0 if query.page is None else page_position(query.page, params, 0, max(len(ranked), 1))
    end = start + query.limit
    return start, end, page_cursor(end, params) if end < len(ranked) else None


def _check_groups(query: AnalyticsQuery, rows: dict[RowKey, Any], most: int) -> None:
    per_day: dict[int, set[tuple[Any, ...]]] = {}
    for bucket, group in rows:
        day = bucket - bucket % NS_PER_DAY
        groups = per_day.setdefault(day, set())
        groups.add(group)
        if len(groups) > most:
            raise WireError(
                400,
                "invalid_request_error",
                f"A day in this report has usage in more than {most:,} groups, more than this report can "
                f"return. Group by fewer dimensions, or use {LEGACY_ENDPOINT[query.kind]} instead.",
                details={"error_code": "too_many_report_groups"},
            )


def _page(data: list[dict[str, Any]], following: str | None, refreshed_ns: int, most: int) -> dict[str, Any]:
    if len(data) > most:
        raise WireError(
            400,
            "invalid_request_error",
            "The requested page of the report has more usage than one page can hold. Send a lower limit "
            "and page through the rest.",
            details={"error_code": "report_page_too_large"},
        )
    return {
        "data": data,
        "has_more": following is not None,
        "next_page": following,
        "data_refreshed_at": rfc3339(refreshed_ns),
    }


def _bounds(query: AnalyticsQuery, bucket: int) -> dict[str, str]:
    return {"starting_at": rfc3339(bucket), "ending_at": rfc3339(query.bucket_end(bucket))}


def _usage_row(query: AnalyticsQuery, key: RowKey, counts: list[int]) -> dict[str, Any]:
    uncached, write_5m, write_1h, read, output, searches, requests = counts
    return {
        **_bounds(query, key[0]),
        "group": group_json(key[1], query.group_by),
        "usage": {
            "uncached_input_tokens": uncached,
            "cache_creation": {"ephemeral_1h_input_tokens": write_1h, "ephemeral_5m_input_tokens": write_5m},
            "cache_read_input_tokens": read,
            "output_tokens": output,
            "server_tool_use": {"web_search_requests": searches},
            "total_tokens": uncached + write_5m + write_1h + read + output,
            "requests": requests,
        },
    }


def _cost_rows(query: AnalyticsQuery, key: RowKey, sums: CostSums) -> list[dict[str, Any]]:
    requests, parts = sums
    split = query.cost_split
    if not split:
        amount = sum((v[0] for v in parts.values()), Decimal(0))
        listed = sum((v[1] for v in parts.values()), Decimal(0))
        return [_cost_row(query, key, (None, None), amount, listed, requests[0])]
    combined: dict[tuple[str | None, str | None], list[Decimal]] = {}
    for (cost_type, token_type), (amount, listed) in parts.items():
        if split == ("cost_type",):
            component: tuple[str | None, str | None] = (cost_type, None)
        elif split == ("token_type",):
            if cost_type != "tokens":
                continue  # token_type alone returns the token rows, each with cost_type "tokens"
            component = (cost_type, token_type)
        else:
            component = (cost_type, token_type)
        slot = combined.setdefault(component, [Decimal(0), Decimal(0)])
        slot[0] += amount
        slot[1] += listed
    ordered = sorted(combined.items(), key=lambda item: item[1][0], reverse=True)
    return [_cost_row(query, key, component, amount, listed, None) for component, (amount, listed) in ordered]


def _cost_row(
    query: AnalyticsQuery,
    key: RowKey,
    component: tuple[str | None, str | None],
    amount: Decimal,
    listed: Decimal,
    requests: int | None,
) -> dict[str, Any]:
    group = group_json(key[1], query.group_by, COST_ONLY)
    group["cost_type"], group["token_type"] = component
    return {
        **_bounds(query, key[0]),
        "group": group,
        "cost": {
            "amount": cents(amount),
            "list_amount": cents(listed),
            "currency": "USD",
            "requests": requests,
        },
    }
