"""The organisation and its members as the Admin API describes them: me, API keys, workspaces, users.

Shapes from reference §1.2 and §1.10. Older API keys lack `principal`, `scope` and `expires_at`, so
those are optional; `workspace_id` null means the Default workspace.
"""

from __future__ import annotations

from typing import Literal

from billbot.admin_api.wire import UtcDatetime, WireModel


class Organization(WireModel):
    """`GET /v1/organizations/me`."""

    id: str
    type: str = "organization"
    name: str


class Actor(WireModel):
    """Who created something: `{id, type}`."""

    id: str
    type: str


class Principal(WireModel):
    """Whom an API key acts for: a user or a service account."""

    type: str
    user_id: str | None = None
    service_account_id: str | None = None


class KeyScope(WireModel):
    """Where an API key may act: a workspace (null id: Default) or the organisation."""

    type: str
    workspace_id: str | None = None


class ApiKey(WireModel):
    """An API key (its secret is never on the wire, only a hint)."""

    id: str
    type: str = "api_key"
    name: str
    created_at: UtcDatetime
    created_by: Actor | None = None
    expires_at: UtcDatetime | None = None
    partial_key_hint: str | None = None
    status: str
    principal: Principal | None = None
    scope: KeyScope | None = None
    workspace_id: str | None = None

    @property
    def workspace(self) -> str | None:
        """The key's workspace id (None: Default), from `scope` before the deprecated field."""
        if self.scope is not None and self.scope.type == "workspace":
            return self.scope.workspace_id
        return self.workspace_id


class DataResidency(WireModel):
    """Where a workspace's data lives and which inference geographies it allows."""

    workspace_geo: str | None = None
    allowed_inference_geos: list[str] | Literal["unrestricted"] | None = None
    default_inference_geo: str | None = None


class Workspace(WireModel):
    """A workspace; the Default workspace is named "Default"."""

    id: str
    type: str = "workspace"
    name: str
    display_color: str | None = None
    created_at: UtcDatetime
    archived_at: UtcDatetime | None = None
    data_residency: DataResidency | None = None


class User(WireModel):
    """A member of the organisation."""

    id: str
    type: str = "user"
    email: str
    name: str
    role: str
    added_at: UtcDatetime
