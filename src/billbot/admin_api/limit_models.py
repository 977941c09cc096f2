"""Rate limits as the Rate Limits API describes them, in both documented shapes (reference §1.7).

The guide's entries say `group_type: "model_group"`; the SDK's say `group: {id, type, display_name}`.
Either (or both) is accepted; `kind` reads whichever is there. Workspace entries are overrides only,
each limiter carrying the organisation's `org_limit` beside its own `value`.
"""

from __future__ import annotations

from pydantic import model_validator

from billbot.admin_api.wire import WireModel


class RateLimitGroup(WireModel):
    """The SDK shape's group: `rlg_…` id, type, and a display name for model groups."""

    id: str | None = None
    type: str
    display_name: str | None = None


class Limiter(WireModel):
    """One limit, e.g. `input_tokens_per_minute` = 10,000,000; `org_limit` only on workspace overrides."""

    type: str
    value: int
    org_limit: int | None = None


class RateLimitEntry(WireModel):
    """A group of models (or batch, files, …) and its limits."""

    id: str | None = None
    type: str
    group_type: str | None = None
    group: RateLimitGroup | None = None
    models: list[str] | None = None
    limits: list[Limiter]

    @model_validator(mode="after")
    def _names_its_group(self) -> RateLimitEntry:
        if self.group_type is None and self.group is None:
            raise ValueError("a rate limit entry needs group_type or group")
        return self

    @property
    def kind(self) -> str:
        """The group type (`model_group`, `batch`, `token_count`, …) from whichever shape was sent."""
        if self.group_type is not None:
            return self.group_type
        assert self.group is not None  # the validator guarantees one of the two
        return self.group.type

    @property
    def display_name(self) -> str:
        """A readable name: the group's display name, else its models, else its kind."""
        if self.group is not None and self.group.display_name:
            return self.group.display_name
        return ", ".join(self.models or ()) or self.kind

    def limit(self, limiter_type: str) -> int | None:
        """The value of one limiter type, or None when this entry has no such limit."""
        return next((item.value for item in self.limits if item.type == limiter_type), None)
