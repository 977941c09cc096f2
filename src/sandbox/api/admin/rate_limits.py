"""The Rate Limits API: `GET /v1/organizations/rate_limits` and a workspace's overrides.

The live limits come from the world's limiter, so a tier change shows at once. Anthropic documents
two entry shapes (the guide's `group_type` and SDK 2.12's `group` object) without saying which the live
API returns; each entry carries both. A limiter with no limit (None) is left out of `limits`. The API is
always a single page (`next_page: null`), as documented. The `batch` group (`models: null`, one
`enqueued_batch_requests` limiter) is listed for tiers whose batch queue is published (Start, Build,
Scale); `model=` filters model groups only, so it never matches the batch group.
"""

from __future__ import annotations

from typing import Any

from sandbox.api.errors import invalid_request, not_found
from sandbox.api.params import Params, integer, reject_unknown, single
from sandbox.ratelimit import RateLimits
from sandbox.world import World

GROUP_TYPES = ("model_group", "batch", "token_count", "files", "skills", "web_search")
_LIMITER_TYPES = ("requests_per_minute", "input_tokens_per_minute", "output_tokens_per_minute")


def organization_rate_limits(world: World, params: Params) -> dict[str, Any]:
    """The organisation's limits per model group, filtered by `group_type` and `model`."""
    reject_unknown(params, {"group_type", "model", "limit", "page"})
    group_type = single(params, "group_type")
    if group_type is not None and group_type not in GROUP_TYPES:
        raise invalid_request(f"group_type: must be one of {', '.join(GROUP_TYPES)}, got {group_type!r}")
    integer(params, "limit", default=1000, low=1, high=1000)
    model = single(params, "model")
    classes = _classes(world)
    if model is not None:
        entry = world.prices.models.get(model)
        resolved = entry.rate_limit_class if entry is not None else _alias(world, model)
        if resolved is None or resolved not in classes:
            raise not_found(f"model: {model} matches no rate limit group")
        classes = {resolved: classes[resolved]}
    entries = []
    if group_type in (None, "model_group"):
        for model_class, models in classes.items():
            limits = world.limiter.limits(("org", model_class))
            if limits is not None:
                entries.append(_entry(world, model_class, models, _limits(limits)))
    queue = world.tiers.tier(world.tier).batch_queue
    if group_type in (None, "batch") and model is None and queue is not None:
        entries.append(_batch_entry(world, queue))
    return {"data": entries, "next_page": None}


def workspace_rate_limits(world: World, workspace_id: str, params: Params) -> dict[str, Any]:
    """A workspace's overrides only; a missing group or limiter means it inherits the organisation's."""
    reject_unknown(params, {"limit", "page"})
    if workspace_id not in world.org.workspaces:
        raise not_found(f"workspace {workspace_id!r} not found")
    entries = []
    for model_class, models in _classes(world).items():
        override = world.limiter.limits(("ws", workspace_id, model_class))
        org = world.limiter.limits(("org", model_class))
        if override is None:
            continue
        limits = [
            {"type": name, "value": value, "org_limit": None if org is None else org[index]}
            for index, (name, value) in enumerate(zip(_LIMITER_TYPES, override, strict=True))
            if value is not None
        ]
        entry = _entry(world, model_class, models, limits)
        entry["type"] = "workspace_rate_limit"
        entries.append(entry)
    return {"data": entries, "next_page": None}


def _batch_entry(world: World, queue: int) -> dict[str, Any]:
    return {
        "id": f"rl_{world.org.id.replace('-', '')[:12]}_batch",
        "type": "rate_limit",
        "group_type": "batch",
        "group": {"id": "rlg_batch", "type": "batch", "display_name": None},
        "models": None,
        "limits": [{"type": "enqueued_batch_requests", "value": queue}],
    }


def _classes(world: World) -> dict[str, list[str]]:
    """Model API ids by rate-limit class, for the classes the tier profile limits."""
    known = set(world.tiers.model_classes())
    classes: dict[str, list[str]] = {}
    for model in world.prices.models.values():
        if model.rate_limit_class in known:
            classes.setdefault(model.rate_limit_class, []).append(model.id)
    return classes


def _alias(world: World, model: str) -> str | None:
    for entry in world.prices.models.values():
        if model in entry.aliases:
            return entry.rate_limit_class
    return None


def _limits(limits: RateLimits) -> list[dict[str, Any]]:
    return [
        {"type": name, "value": value}
        for name, value in zip(_LIMITER_TYPES, limits, strict=True)
        if value is not None
    ]


def _entry(world: World, model_class: str, models: list[str], limits: list[dict[str, Any]]) -> dict[str, Any]:
    names = [world.prices.models[model].display_name for model in models]
    shown = names[0] if len(names) == 1 else f"{names[0]} (+{len(names) - 1} more)"
    return {
        "id": f"rl_{world.org.id.replace('-', '')[:12]}_{model_class}",
        "type": "rate_limit",
        "group_type": "model_group",
        "group": {"id": f"rlg_{model_class}", "type": "model_group", "display_name": shown},
        "models": models,
        "limits": limits,
    }
