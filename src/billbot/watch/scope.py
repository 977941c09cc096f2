"""What a budget, a finding or an alert is about: the organisation, a workspace, an API key or a model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

ScopeKind = Literal["organization", "workspace", "api_key", "model"]
SCOPE_KINDS: tuple[ScopeKind, ...] = get_args(ScopeKind)
DEFAULT_WORKSPACE_ID = "default"  # the key of the Default workspace (its id is null on the wire)


@dataclass(frozen=True, slots=True)
class Scope:
    """A scope: its kind and id (None for the organisation; the Default workspace is `default`).

    Two scopes are equal when kind and id are; the name is only for display.
    """

    kind: ScopeKind
    id: str | None = None
    name: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """A stable text key: `organization`, `workspace:<id>`, `api_key:<id>`, `model:<id>`."""
        return self.kind if self.id is None else f"{self.kind}:{self.id}"

    @property
    def label(self) -> str:
        """How a message names it: "the organisation", "workspace Research", "key Production key 2"."""
        if self.kind == "organization":
            return "the organisation"
        word = {"workspace": "workspace", "api_key": "key", "model": "model"}[self.kind]
        return f"{word} {self.name or self.id}"

    @property
    def title(self) -> str:
        """A capitalised short name for the start of a sentence: "Research", "Organisation"."""
        return "Organisation" if self.kind == "organization" else (self.name or str(self.id))

    @classmethod
    def parse(cls, key: str, name: str = "") -> Scope:
        """The scope a `key` names (the inverse of `Scope.key`)."""
        kind, _, ident = key.partition(":")
        if kind not in SCOPE_KINDS:
            raise ValueError(f"unknown scope kind in {key!r}")
        if kind == "organization":
            return ORGANIZATION
        if not ident:
            raise ValueError(f"scope {key!r} needs an id after the colon")
        return cls(kind, ident, name)


ORGANIZATION = Scope("organization", None, "Organisation")


def workspace_scope(workspace_id: str | None, names: dict[str, str]) -> Scope:
    """The scope of a workspace id from a report (None: the Default workspace)."""
    if workspace_id is None:
        return Scope("workspace", DEFAULT_WORKSPACE_ID, "Default workspace")
    return Scope("workspace", workspace_id, names.get(workspace_id, workspace_id))
