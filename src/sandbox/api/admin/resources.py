"""Admin API resources of the simulated organisation: `me`, API keys, workspaces and users.

Shapes follow Anthropic's Admin API reference (https://platform.claude.com/docs/en/api/admin) and the
`anthropic` SDK's types. Decisions where they are silent: a key in
the Default workspace has `workspace_id: null` and `scope: {"type": "workspace", "workspace_id": null}`;
with `include_default=true` the Default workspace is listed first as `wrkspc_default` named "Default".
Under `anthropic-version: 2026-10-21` an API key has no `workspace_id` (removed; `scope` carries it).
"""

from __future__ import annotations

from typing import Any

from sandbox.api.admin.id_pages import id_page
from sandbox.api.errors import invalid_request, not_found
from sandbox.api.params import Params, boolean, many, reject_unknown, single
from sandbox.api.versions import LEGACY, is_current
from sandbox.clock import rfc3339
from sandbox.org import ApiKey, Organization, User, Workspace

DEFAULT_WORKSPACE_ID = "wrkspc_default"
KEY_STATUSES = ("active", "inactive", "archived", "expired")
_PAGING = {"limit", "before_id", "after_id"}


def me(org: Organization) -> dict[str, Any]:
    """`GET /v1/organizations/me`."""
    return {"id": org.id, "type": "organization", "name": org.name}


def list_api_keys(org: Organization, params: Params, version: str = LEGACY) -> dict[str, Any]:
    """`GET /v1/organizations/api_keys` with the `status`, `workspace_id` and creator filters."""
    reject_unknown(params, _PAGING | {"status", "workspace_id", "created_by_user_id"})
    status, workspace, creator = (single(params, n) for n in ("status", "workspace_id", "created_by_user_id"))
    if status is not None and status not in KEY_STATUSES:
        raise invalid_request(f"status: must be one of {', '.join(KEY_STATUSES)}, got {status!r}")
    keys = [
        key
        for key in org.api_keys.values()
        if (status is None or key.status == status)
        and (workspace is None or key.workspace_id == workspace)
        and (creator is None or key.created_by == creator)
    ]
    return id_page(keys, params, lambda key: key.id, lambda key: _render_key(key, version))


def get_api_key(org: Organization, key_id: str, version: str = LEGACY) -> dict[str, Any]:
    """`GET /v1/organizations/api_keys/{id}`."""
    key = org.api_keys.get(key_id)
    if key is None:
        raise not_found(f"API key {key_id!r} not found")
    return _render_key(key, version)


def list_workspaces(org: Organization, params: Params) -> dict[str, Any]:
    """`GET /v1/organizations/workspaces` with `include_archived`, `include_default` and `ids[]`."""
    reject_unknown(params, _PAGING | {"include_archived", "include_default", "ids[]"})
    include_archived = boolean(params, "include_archived", default=False)
    include_default = boolean(params, "include_default", default=False)
    wanted = set(many(params, "ids"))
    rendered = [_render_default(org)] if include_default else []
    rendered += [
        _render_workspace(workspace)
        for workspace in org.workspaces.values()
        if include_archived or workspace.archived_at_ns is None
    ]
    if wanted:
        rendered = [item for item in rendered if item["id"] in wanted]
    return id_page(rendered, params, lambda item: str(item["id"]), lambda item: item)


def get_workspace(org: Organization, workspace_id: str) -> dict[str, Any]:
    """`GET /v1/organizations/workspaces/{id}`."""
    if workspace_id == DEFAULT_WORKSPACE_ID:
        return _render_default(org)
    workspace = org.workspaces.get(workspace_id)
    if workspace is None:
        raise not_found(f"workspace {workspace_id!r} not found")
    return _render_workspace(workspace)


def list_users(org: Organization, params: Params) -> dict[str, Any]:
    """`GET /v1/organizations/users` with the `email` and `roles[]` filters."""
    reject_unknown(params, _PAGING | {"email", "roles[]"})
    email, roles = single(params, "email"), set(many(params, "roles"))
    users = [
        user
        for user in org.users.values()
        if (email is None or user.email == email) and (not roles or user.role in roles)
    ]
    return id_page(users, params, lambda user: user.id, _render_user)


def get_user(org: Organization, user_id: str) -> dict[str, Any]:
    """`GET /v1/organizations/users/{id}`."""
    user = org.users.get(user_id)
    if user is None:
        raise not_found(f"user {user_id!r} not found")
    return _render_user(user)


def _render_key(key: ApiKey, version: str) -> dict[str, Any]:
    rendered = {
        "id": key.id,
        "type": "api_key",
        "name": key.name,
        "created_at": rfc3339(key.created_at_ns),
        "created_by": {"id": key.created_by, "type": "user"},
        "expires_at": None,
        "partial_key_hint": key.partial_hint,
        "status": key.status,
        "principal": {"type": "user_actor", "user_id": key.created_by},
        "scope": {"type": "workspace", "workspace_id": key.workspace_id},
    }
    if not is_current(version):
        rendered["workspace_id"] = key.workspace_id  # deprecated, gone under 2026-10-21
    return rendered


def _render_workspace(workspace: Workspace) -> dict[str, Any]:
    archived = workspace.archived_at_ns
    return {
        "id": workspace.id,
        "type": "workspace",
        "name": workspace.name,
        "display_color": workspace.display_color,
        "created_at": rfc3339(workspace.created_at_ns),
        "archived_at": None if archived is None else rfc3339(archived),
        "data_residency": {
            "workspace_geo": "us",
            "allowed_inference_geos": "unrestricted",
            "default_inference_geo": "global",
        },
    }


def _render_default(org: Organization) -> dict[str, Any]:
    oldest = min((w.created_at_ns for w in org.workspaces.values()), default=0)
    default = Workspace(DEFAULT_WORKSPACE_ID, "Default", oldest)
    return _render_workspace(default)


def _render_user(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "type": "user",
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "added_at": rfc3339(user.added_at_ns),
    }
