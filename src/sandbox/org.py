"""The simulated organisation: workspaces, members, API keys and admin keys.

IDs look like Anthropic's (`wrkspc_…`, `apikey_…`, `user_…`) and are drawn from a seeded generator, so
the same scenario and seed always build the same organisation.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghijkmnopqrstuvwxyz"


class UnknownWorkspaceError(KeyError):
    """A workspace id or name that the organisation does not have."""

    def __init__(self, ref: str) -> None:
        super().__init__(ref)
        self.ref = ref

    def __str__(self) -> str:
        return f"unknown workspace {self.ref!r}"


class IdFactory:
    """Deterministic Anthropic-style identifiers from a seed."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def make(self, prefix: str) -> str:
        """A new id such as `wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ`."""
        body = "".join(self._rng.choice(_ID_ALPHABET) for _ in range(22))
        return f"{prefix}_01{body}"

    def secret(self, prefix: str) -> str:
        """A new secret key such as `sk-ant-api03-…`."""
        body = "".join(self._rng.choice(_ID_ALPHABET) for _ in range(40))
        return f"{prefix}{body}AA"

    def uuid(self) -> str:
        """A deterministic UUID4-shaped string (organisation ids are UUIDs)."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


@dataclass(slots=True)
class Workspace:
    """A workspace; the Default workspace is represented by id None and never stored here."""

    id: str
    name: str
    created_at_ns: int
    display_color: str = "#6C5BB9"
    archived_at_ns: int | None = None
    spend_limit: Decimal | None = None


@dataclass(slots=True)
class User:
    """A member of the organisation."""

    id: str
    email: str
    name: str
    role: str
    added_at_ns: int


@dataclass(slots=True)
class ApiKey:
    """A Messages API key, scoped to a workspace (None = the Default workspace)."""

    id: str
    name: str
    secret: str
    workspace_id: str | None
    created_at_ns: int
    created_by: str
    status: str = "active"

    @property
    def partial_hint(self) -> str:
        """The console's partial key hint, e.g. `sk-ant-api03-R2D...igAA`."""
        return f"{self.secret[:16]}...{self.secret[-4:]}"


@dataclass(slots=True)
class Organization:
    """One organisation and everything that authenticates against it."""

    id: str
    name: str
    workspaces: dict[str, Workspace] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    api_keys: dict[str, ApiKey] = field(default_factory=dict)  # by id
    admin_keys: set[str] = field(default_factory=set)
    _by_secret: dict[str, ApiKey] = field(default_factory=dict)

    def add_key(self, key: ApiKey) -> None:
        """Register an API key so requests carrying its secret authenticate."""
        if key.workspace_id is not None and key.workspace_id not in self.workspaces:
            raise UnknownWorkspaceError(key.workspace_id)
        self.api_keys[key.id] = key
        self._by_secret[key.secret] = key

    def key_for_secret(self, secret: str) -> ApiKey | None:
        """The active key with this secret, if any."""
        key = self._by_secret.get(secret)
        return key if key is not None and key.status == "active" else None

    def is_admin_key(self, secret: str) -> bool:
        """Whether the secret is one of the organisation's Admin API keys."""
        return secret in self.admin_keys

    def workspace_by_name(self, name: str) -> Workspace:
        """Find a workspace by its display name."""
        for workspace in self.workspaces.values():
            if workspace.name == name:
                return workspace
        raise UnknownWorkspaceError(name)
