"""The Rate Limits API: the organisation's limits per group, a workspace's overrides, and setting them.

Shapes follow the GA API (`client.organization.rate_limits` in SDK 2.17; reference addendum §3):
- an entry is `{id, type: "rate_limit", group: {id: "rlg_…", type, display_name}, limits: [{type,
  value}], models}`; under `anthropic-version: 2023-06-01` it also carries the deprecated `group_type`
  copy of `group.type` (removed with 2026-10-21);
- without `limit` every entry comes in one page with `next_page: null`; with `limit` (1–1000) the
  entries are paged and `next_page` is a cursor bound to the query (reused with another query: 400);
- `model=` keeps the model group holding that model (404 when none does, a retired model included);
  `group_type=` keeps one kind of group. The `batch` group (`models: null`, one
  `enqueued_batch_requests` limiter) is listed for tiers whose batch queue is published;
- model groups are the tier profile's classes with at least one model served today; a group whose
  models offer fast mode today adds `fast_itpmca` and `fast_otpm` (the tier's fast-mode limit);
- the live limits come from the world's limiter, so a tier change shows at once.
Workspace overrides (`…/workspaces/{id}/rate_limits`): by default only the overridden limiters
(`source: {type: "workspace"}`, each with its `org_limit`); with `include_inherited=true` every group
and limiter, inherited ones with `source: {type: "organization"}`. `POST …/rate_limits/{rate_limit_id}`
with `{"limits": [{"type", "value": int | null}]}` sets or clears overrides of RPM, ITPM and OTPM. The
docs say changes take effect "within about an hour"; the sandbox applies them at once (the lower of
the workspace and organisation values binds, since a request must pass both). The Default workspace
has no overrides.
"""

from __future__ import annotations

import json
from typing import Any

from sandbox.api.admin.report_window import page_cursor, page_position
from sandbox.api.admin.resources import DEFAULT_WORKSPACE_ID
from sandbox.api.errors import invalid_request, not_found
from sandbox.api.params import Params, boolean, integer, reject_unknown, single
from sandbox.api.versions import is_current
from sandbox.clock import NS_PER_DAY
from sandbox.pricing import UnknownModelError
from sandbox.ratelimit import RateLimits
from sandbox.world import World

GROUP_TYPES = ("model_group", "batch", "token_count", "files", "skills", "web_search")
_LIMITER_TYPES = ("requests_per_minute", "input_tokens_per_minute", "output_tokens_per_minute")
_FAST_TYPES = ("fast_itpmca", "fast_otpm")


def organization_rate_limits(world: World, params: Params, version: str) -> dict[str, Any]:
    """The organisation's limits per group, filtered by `group_type` and `model`, paged by `limit`."""
    reject_unknown(params, {"group_type", "model", "limit", "page"})
    group_type = _group_type(params)
    model = single(params, "model")
    with world.lock:
        classes = _classes(world)
        if model is not None:
            found = _class_of(world, model)
            if found is None or found not in classes:
                raise not_found(f"model: {model} matches no rate limit group")
            classes = {found: classes[found]}
        entries = []
        if group_type in (None, "model_group"):
            entries += [_org_entry(world, cls, models, version) for cls, models in classes.items()]
        queue = world.tiers.tier(world.tier).batch_queue
        if group_type in (None, "batch") and model is None and queue is not None:
            entries.append(_batch_entry(world, queue, version))
    return _page(entries, params)


def workspace_rate_limits(world: World, workspace_id: str, params: Params, version: str) -> dict[str, Any]:
    """A workspace's overrides (with `include_inherited=true`, every limit and where it comes from)."""
    reject_unknown(params, {"include_inherited", "group_type", "limit", "page"})
    inherited = boolean(params, "include_inherited", default=False)
    group_type = _group_type(params)
    _check_workspace(world, workspace_id)
    entries = []
    if group_type in (None, "model_group"):
        with world.lock:
            for model_class, models in _classes(world).items():
                entry = _workspace_entry(world, workspace_id, model_class, models, inherited, version)
                if entry is not None:
                    entries.append(entry)
    return _page(entries, params)


def set_workspace_rate_limits(
    world: World, workspace_id: str, rate_limit_id: str, body: bytes, version: str
) -> dict[str, Any]:
    """Set (a value) or clear (`null`) a workspace's overrides of one model group's limiters."""
    _check_workspace(world, workspace_id)
    if workspace_id == DEFAULT_WORKSPACE_ID:
        raise invalid_request("The Default workspace cannot have rate limit overrides")
    changes = _limit_changes(body)
    with world.lock:
        classes = _classes(world)
        model_class = next((cls for cls in classes if _entry_id(world, cls) == rate_limit_id), None)
        if model_class is None:
            raise not_found(f"rate limit {rate_limit_id!r} not found")
        scope = ("ws", workspace_id, model_class)
        current = list(world.limiter.limits(scope) or RateLimits(None, None, None))
        for limiter_type, value in changes:
            current[_LIMITER_TYPES.index(limiter_type)] = value
        world.limiter.configure(scope, RateLimits(*current))
        entry = _workspace_entry(world, workspace_id, model_class, classes[model_class], True, version)
    assert entry is not None  # include_inherited always renders the group
    return entry


def _group_type(params: Params) -> str | None:
    group_type = single(params, "group_type")
    if group_type is not None and group_type not in GROUP_TYPES:
        raise invalid_request(f"group_type: must be one of {', '.join(GROUP_TYPES)}, got {group_type!r}")
    return group_type


def _check_workspace(world: World, workspace_id: str) -> None:
    if workspace_id not in world.org.workspaces and workspace_id != DEFAULT_WORKSPACE_ID:
        raise not_found(f"workspace {workspace_id!r} not found")


def _limit_changes(body: bytes) -> list[tuple[str, int | None]]:
    try:
        raw = json.loads(body or b"{}")
    except ValueError:
        raise invalid_request("The request body is not valid JSON") from None
    limits = raw.get("limits") if isinstance(raw, dict) else None
    if not isinstance(limits, list) or not limits or set(raw) != {"limits"}:
        raise invalid_request('limits: expected {"limits": [{"type": …, "value": int or null}, …]}')
    changes: list[tuple[str, int | None]] = []
    for index, item in enumerate(limits):
        kind = item.get("type") if isinstance(item, dict) else None
        value = item.get("value") if isinstance(item, dict) else None
        if kind not in _LIMITER_TYPES or set(item) != {"type", "value"}:
            raise invalid_request(f"limits.{index}: type must be one of {', '.join(_LIMITER_TYPES)}")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            raise invalid_request(f"limits.{index}.value: must be a positive integer or null")
        changes.append((kind, value))
    return changes


def _page(entries: list[dict[str, Any]], params: Params) -> dict[str, Any]:
    if single(params, "limit") is None:
        if single(params, "page") is not None:
            raise invalid_request("page: only with limit")
        return {"data": entries, "next_page": None}
    limit = integer(params, "limit", default=1000, low=1, high=1000)
    cursor = single(params, "page")
    start = 0 if cursor is None else page_position(cursor, params, 0, max(len(entries), 1))
    end = start + limit
    following = page_cursor(end, params) if end < len(entries) else None
    return {"data": entries[start:end], "next_page": following}


def _classes(world: World) -> dict[str, list[str]]:
    """Model API ids (served today) by rate-limit class, for the classes the tier profile limits."""
    known = world.tiers.model_classes()
    day = world.clock.now_ns() // NS_PER_DAY
    classes: dict[str, list[str]] = {cls: [] for cls in known}
    for model in world.prices.models.values():
        if model.rate_limit_class in classes and not model.retired_on(day):
            classes[model.rate_limit_class].append(model.id)
    return {cls: models for cls, models in classes.items() if models}


def _class_of(world: World, model: str) -> str | None:
    """The group of a model served today; None for an unknown or retired one."""
    try:
        found = world.prices.resolve(model)
    except UnknownModelError:
        return None
    return None if found.retired_on(world.clock.now_ns() // NS_PER_DAY) else found.rate_limit_class


def _entry_id(world: World, model_class: str) -> str:
    return f"rl_{world.org.id.replace('-', '')[:12]}_{model_class}"


def _group(world: World, model_class: str, models: list[str]) -> dict[str, Any]:
    if len(models) == 1:
        shown = world.prices.models[models[0]].display_name
    else:
        family, major = model_class.split("-")[:2]
        shown = f"Claude {family.title()} {major}.x"
    return {"id": f"rlg_{model_class}", "type": "model_group", "display_name": shown}


def _org_limits(world: World, model_class: str, models: list[str]) -> list[tuple[str, int]]:
    limits = world.limiter.limits(("org", model_class)) or RateLimits(None, None, None)
    pairs = [(name, value) for name, value in zip(_LIMITER_TYPES, limits, strict=True) if value is not None]
    fast = world.tiers.tier(world.tier).fast_limits
    day = world.clock.now_ns() // NS_PER_DAY
    if fast is not None and any(world.prices.models[m].fast_on(day) for m in models):
        pairs += [
            (name, value) for name, value in zip(_FAST_TYPES, fast[1:], strict=True) if value is not None
        ]
    return pairs


def _org_entry(world: World, model_class: str, models: list[str], version: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": _entry_id(world, model_class), "type": "rate_limit"}
    if not is_current(version):
        entry["group_type"] = "model_group"
    entry["group"] = _group(world, model_class, models)
    entry["models"] = models
    entry["limits"] = [
        {"type": name, "value": value} for name, value in _org_limits(world, model_class, models)
    ]
    return entry


def _batch_entry(world: World, queue: int, version: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": _entry_id(world, "batch"), "type": "rate_limit"}
    if not is_current(version):
        entry["group_type"] = "batch"
    entry["group"] = {"id": "rlg_batch", "type": "batch", "display_name": None}
    entry["models"] = None
    entry["limits"] = [{"type": "enqueued_batch_requests", "value": queue}]
    return entry


def _workspace_entry(
    world: World, workspace_id: str, model_class: str, models: list[str], inherited: bool, version: str
) -> dict[str, Any] | None:
    override = world.limiter.limits(("ws", workspace_id, model_class)) or RateLimits(None, None, None)
    org = dict(_org_limits(world, model_class, models))
    limits = []
    for index, name in enumerate(_LIMITER_TYPES):
        own = override[index]
        if own is not None:
            limits.append(
                {"type": name, "value": own, "org_limit": org.get(name), "source": {"type": "workspace"}}
            )
        elif inherited and name in org:
            limits.append(
                {"type": name, "value": org[name], "org_limit": org[name], "source": {"type": "organization"}}
            )
    if not limits and not inherited:
        return None
    entry: dict[str, Any] = {"type": "workspace_rate_limit", "workspace_id": workspace_id}
    entry["rate_limit_id"] = _entry_id(world, model_class)
    if not is_current(version):
        entry["group_type"] = "model_group"
    entry["group"] = _group(world, model_class, models)
    entry["models"] = models
    entry["limits"] = limits
    return entry
