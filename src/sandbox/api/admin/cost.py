"""`GET /v1/organizations/cost_report`: what was charged, per UTC day, in cents as decimal strings.

Rules (Anthropic's Usage and Cost API, https://platform.claude.com/docs/en/manage-claude/usage-cost-api):
`1d` buckets only; `group_by[]` takes `workspace_id` and `description`; `amount` is cents as an exact
decimal string ("123.45" is $1.2345); `cost_type`, `token_type`, `model`, `service_tier`,
`context_window`, `inference_geo` and `description` are null unless grouped by description (and the token
fields stay null for a non-token cost such as web search); every day of the window is a bucket, a day with
no cost has `results: []`. The amounts are what the ledger charged, so a duplicate-charge bug shows here
twice and in the usage report once. With `anthropic-beta: fast-mode-2026-02-01` each result also has
`speed` (`standard` or `fast`, null unless grouped by description, like the other token fields).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox.api.admin.report_window import bucket_times, window
from sandbox.api.admin.usage import FAST_MODE_BETA
from sandbox.api.errors import invalid_request
from sandbox.api.params import Params, many, reject_unknown
from sandbox.records import CostDims
from sandbox.world import World

GROUPS = ("workspace_id", "description")
KNOWN = {"starting_at", "ending_at", "bucket_width", "limit", "page", "group_by[]"}
_HUNDRED = Decimal(100)


def cost_report(
    world: World, params: Params, now_ns: int, *, betas: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """One page of the cost report."""
    reject_unknown(params, KNOWN)
    group_by = set()
    for name in many(params, "group_by"):
        if name not in GROUPS:
            raise invalid_request(f"group_by: must be among {', '.join(GROUPS)}, got {name!r}")
        group_by.add(name)
    page = window(params, now_ns, widths=("1d",))
    sums: dict[int, dict[tuple[Any, ...], Decimal]] = {}
    with world.lock:
        lines = list(world.records.cost_lines(page.page_start, page.page_end))
    for day, line, amount in lines:
        key = _key(line, group_by)
        day_sums = sums.setdefault(day, {})
        day_sums[key] = day_sums.get(key, Decimal(0)) + amount
    data = []
    for start in page.buckets():
        day_sums = sums.get(start, {})
        results = [
            _result(key, day_sums[key], FAST_MODE_BETA in betas) for key in sorted(day_sums, key=_order)
        ]
        data.append({**bucket_times(start, page.width_ns), "results": results})
    return {"data": data, **page.paging()}


def cents(dollars: Decimal) -> str:
    """Dollars as the wire's cents string: exact, plain notation, no trailing zeros ("123.45")."""
    text = format((dollars * _HUNDRED).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _key(line: CostDims, group_by: set[str]) -> tuple[Any, ...]:
    workspace = line.workspace_id if "workspace_id" in group_by else None
    if "description" not in group_by:
        return (workspace, None, None, None, None, None, None, None, None)
    return (
        workspace,
        line.description,
        line.cost_type,
        line.model,
        line.token_type,
        line.service_tier,
        line.context_window,
        line.inference_geo,
        line.speed,
    )


def _order(key: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple("" if value is None else str(value) for value in key)


def _result(key: tuple[Any, ...], amount: Decimal, with_speed: bool) -> dict[str, Any]:
    workspace, description, cost_type, model, token_type, tier, window_, geo, speed = key
    result = {
        "amount": cents(amount),
        "currency": "USD",
        "cost_type": cost_type,
        "description": description,
        "model": model,
        "token_type": token_type,
        "service_tier": tier,
        "context_window": window_,
        "inference_geo": geo,
        "workspace_id": workspace,
    }
    if with_speed:
        result["speed"] = speed
    return result
