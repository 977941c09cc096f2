"""The analytics reports' dimensions: what a group may hold, what filters take, and a usage row's values.

Every dimension of the SDK 2.17 schema is in every row's `group`, null unless grouped by it. The
sandbox knows API-key traffic only, so its values are (reference addendum §1.3 and the SDK docstrings):
`actor` `{type: "api_actor", api_key_id}`, `actor_type` `api_actor`, `api_key_id`, `workspace_id` (a
real ID even for the Default workspace: `wrkspc_default`), `model`, `service_tier`, `context_window`,
`inference_geo` (`global`, `us`, or null for models that take none: the rows `not_available` matches),
`speed`, `organization_id` (the organisation's UUID) and `product` (`messages_api`, or
`message_batches_api` for batch requests). The Managed Agents, Claude Tag, RBAC, Slack and profile
dimensions are null for all of it.
"""

from __future__ import annotations

from typing import Any, Final

from sandbox.records import UsageDims

DEFAULT_WORKSPACE_ID: Final = "wrkspc_default"
GROUP_DIMENSIONS: Final = (
    "actor",
    "actor_type",
    "agent_id",
    "api_key_id",
    "claude_tag_category",
    "claude_tag_user_id",
    "context_window",
    "deployment_id",
    "environment_id",
    "inference_geo",
    "model",
    "organization_id",
    "product",
    "rbac_group_id",
    "service_tier",
    "session_id",
    "slack_channel_id",
    "speed",
    "user_profile_id",
    "workspace_id",
)
COST_ONLY: Final = ("cost_type", "token_type")  # cost endpoint only; not counted toward the 5
MAX_GROUPS: Final = 5
# filter parameter (without "[]") -> (dimension, allowed values or None for any id)
FILTERS: Final[dict[str, tuple[str, tuple[str, ...] | None]]] = {
    "actor_ids": ("actor_id", None),
    "actor_types": ("actor_type", ("user_actor", "service_account_actor", "federated_actor", "api_actor")),
    "agent_ids": ("agent_id", None),
    "api_key_ids": ("api_key_id", None),
    "claude_tag_categories": (
        "claude_tag_category",
        ("engaged", "proactive", "scheduled", "monitoring", "dm"),
    ),
    "claude_tag_user_ids": ("claude_tag_user_id", None),
    "context_windows": ("context_window", ("0-200k", "200k-1M")),
    "deployment_ids": ("deployment_id", None),
    "environment_ids": ("environment_id", None),
    "inference_geos": ("inference_geo", ("global", "us", "not_available")),
    "models": ("model", None),
    "organization_ids": ("organization_id", None),
    "rbac_group_ids": ("rbac_group_id", None),
    "service_tiers": (
        "service_tier",
        ("standard", "batch", "priority", "priority_on_demand", "flex", "flex_discount"),
    ),
    "session_ids": ("session_id", None),
    "slack_channel_ids": ("slack_channel_id", None),
    "speeds": ("speed", ("standard", "fast")),
    "user_profile_ids": ("user_profile_id", None),
    "workspace_ids": ("workspace_id", None),
    "products": (
        "product",
        (
            "chat",
            "chat_cowork_unified",
            "claude_code",
            "claude_console",
            "claude_design",
            "claude_in_chrome",
            "claude_tag",
            "cowork",
            "managed_agents_api",
            "message_batches_api",
            "messages_api",
            "office_agent",
        ),
    ),
}


def values_of(dims: UsageDims, org_id: str) -> dict[str, Any]:
    """Every dimension's value for a usage row (`actor_id` too, for the `actor_ids[]` filter)."""
    geo = None if dims.inference_geo == "not_available" else dims.inference_geo
    return {
        "actor": {"type": "api_actor", "api_key_id": dims.api_key_id},
        "actor_id": dims.api_key_id,
        "actor_type": "api_actor",
        "api_key_id": dims.api_key_id,
        "context_window": dims.context_window,
        "inference_geo": geo,
        "model": dims.model,
        "organization_id": org_id,
        "product": "message_batches_api" if dims.service_tier == "batch" else "messages_api",
        "service_tier": dims.service_tier,
        "speed": dims.speed,
        "workspace_id": dims.workspace_id or DEFAULT_WORKSPACE_ID,
    }


def matches(values: dict[str, Any], filters: dict[str, frozenset[str | None]]) -> bool:
    """Whether a row's values pass every filter (`not_available` and an empty id match null)."""
    return all(values.get(dimension) in allowed for dimension, allowed in filters.items())


def group_key(values: dict[str, Any], group_by: tuple[str, ...]) -> tuple[Any, ...]:
    """The row's values of the grouped dimensions, hashable (the actor object as its key id)."""
    return tuple(_hashable(values.get(name)) for name in group_by)


def group_json(
    key: tuple[Any, ...], group_by: tuple[str, ...], extra: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The `group` object: every dimension, null unless grouped (`extra`: the cost-only ones)."""
    grouped = dict(zip(group_by, key, strict=True))
    group: dict[str, Any] = {}
    for name in (*GROUP_DIMENSIONS, *extra):
        value = grouped.get(name)
        if name == "actor" and value is not None:
            value = {"type": "api_actor", "api_key_id": value}
        group[name] = value
    return group


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("api_key_id")
    return value
