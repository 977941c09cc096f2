"""`GET /v1/organizations/usage_report/messages`: token usage in 1m / 1h / 1d buckets.

Rules (Anthropic's Usage and Cost API, https://platform.claude.com/docs/en/manage-claude/usage-cost-api):
every dimension field is null unless grouped by it; `workspace_id: null` is the Default workspace; `speed`
needs the `fast-mode-2026-02-01` beta. The docs leave one point open, decided here: a bucket with no usage
holds one all-zero row when nothing is grouped (the shape a total has), and `results: []` when grouped
(there is no group to name).
"""

from __future__ import annotations

from typing import Any

from sandbox.api.admin.report_window import bucket_times, window
from sandbox.api.errors import invalid_request
from sandbox.api.params import Params, many, reject_unknown
from sandbox.pricing import UnknownModelError
from sandbox.records import CACHE_READ, CW_1H, CW_5M, OUTPUT, UNCACHED, WEB_SEARCH, UsageDims
from sandbox.world import World

DIMENSIONS = UsageDims._fields
FAST_MODE_BETA = "fast-mode-2026-02-01"
FILTERS = {
    "api_key_ids": "api_key_id",
    "workspace_ids": "workspace_id",
    "models": "model",
    "account_ids": "account_id",
    "service_account_ids": "service_account_id",
    "service_tiers": "service_tier",
    "context_window": "context_window",
    "inference_geos": "inference_geo",
    "speeds": "speed",
}
KNOWN = {"starting_at", "ending_at", "bucket_width", "limit", "page", "group_by[]"} | {
    f"{f}[]" for f in FILTERS
}


def usage_report(
    world: World, params: Params, now_ns: int, *, betas: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """One page of the usage report."""
    reject_unknown(params, KNOWN)
    group_by = _group_by(params, betas)
    filters = {FILTERS[name]: set(values) for name in FILTERS if (values := many(params, name))}
    if ("speed" in filters) and FAST_MODE_BETA not in betas:
        raise invalid_request(f"speeds: requires the anthropic-beta header {FAST_MODE_BETA}")
    if "model" in filters:  # an alias filters for the model it names, as it bills
        filters["model"] = {_canonical(world, name) for name in filters["model"]}
    page = window(params, now_ns)
    index = {name: DIMENSIONS.index(name) for name in DIMENSIONS}
    sums: dict[int, dict[tuple[Any, ...], list[int]]] = {}
    with world.lock:
        rows = list(world.records.usage_rows(page.page_start, page.page_end))
    for minute, dims, row in rows:
        if any(dims[index[name]] not in allowed for name, allowed in filters.items()):
            continue
        bucket = minute - (minute - page.page_start) % page.width_ns
        group = tuple(dims[index[name]] for name in group_by)
        total = sums.setdefault(bucket, {}).setdefault(group, [0] * 6)
        for slot, source in enumerate((UNCACHED, CW_5M, CW_1H, CACHE_READ, OUTPUT, WEB_SEARCH)):
            total[slot] += row[source]
    data = []
    for start in page.buckets():
        groups = sums.get(start, {})
        results = [_result(group_by, group, groups[group]) for group in sorted(groups, key=_order)]
        if not results and not group_by:
            results = [_result((), (), [0] * 6)]
        data.append({**bucket_times(start, page.width_ns), "results": results})
    return {"data": data, **page.paging()}


def _canonical(world: World, model: str) -> str:
    try:
        return world.prices.resolve(model).id
    except UnknownModelError:
        return model


def _group_by(params: Params, betas: frozenset[str]) -> tuple[str, ...]:
    chosen: list[str] = []
    for name in many(params, "group_by"):
        if name not in DIMENSIONS:
            raise invalid_request(f"group_by: must be among {', '.join(DIMENSIONS)}, got {name!r}")
        if name == "speed" and FAST_MODE_BETA not in betas:
            raise invalid_request(f"group_by: speed requires the anthropic-beta header {FAST_MODE_BETA}")
        if name not in chosen:
            chosen.append(name)
    return tuple(chosen)


def _order(values: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple("" if value is None else str(value) for value in values)


def _result(group_by: tuple[str, ...], values: tuple[Any, ...], counts: list[int]) -> dict[str, Any]:
    uncached, write_5m, write_1h, read, output, searches = counts
    result: dict[str, Any] = {
        "uncached_input_tokens": uncached,
        "cache_creation": {"ephemeral_1h_input_tokens": write_1h, "ephemeral_5m_input_tokens": write_5m},
        "cache_read_input_tokens": read,
        "output_tokens": output,
        "server_tool_use": {"web_search_requests": searches},
    }
    grouped = dict(zip(group_by, values, strict=True))
    for name in DIMENSIONS:
        if name != "speed" or "speed" in grouped:
            result[name] = grouped.get(name)
    return result
