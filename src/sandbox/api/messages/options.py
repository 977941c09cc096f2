"""The options of a Messages request besides its content: tools, tool choice, thinking, metadata, caching.

`StrictModel` parts refuse unknown fields (the real API's behaviour), `OpenModel`
parts accept them (shapes that change often, such as server tools' options).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag


class StrictModel(BaseModel):
    """A request part that refuses unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class OpenModel(BaseModel):
    """A request part that accepts fields it does not define (counted in the token estimate)."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)


class CacheControl(StrictModel):
    """A prompt-cache breakpoint: the prefix up to and including the block that carries it."""

    type: Literal["ephemeral"]
    ttl: Literal["5m", "1h"] = "5m"


class CustomTool(OpenModel):
    """A client tool: a name and a JSON schema for its input."""

    type: Literal["custom"] | None = None
    name: str
    input_schema: dict[str, Any]
    description: str | None = None
    cache_control: CacheControl | None = None


class ServerTool(OpenModel):
    """A server tool (`web_search_…`, `code_execution_…`, …) with whatever options its type takes."""

    type: str
    name: str
    max_uses: int | None = Field(default=None, ge=1)
    cache_control: CacheControl | None = None


def _tool_kind(value: object) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return "custom" if kind in (None, "custom") else "server"


Tool = Annotated[
    Annotated[CustomTool, Tag("custom")] | Annotated[ServerTool, Tag("server")], Discriminator(_tool_kind)
]


class _ChoiceBase(StrictModel):
    disable_parallel_tool_use: bool | None = None


class ChoiceAuto(_ChoiceBase):
    """The model decides whether to use a tool."""

    type: Literal["auto"]


class ChoiceAny(_ChoiceBase):
    """The model must use one of the tools."""

    type: Literal["any"]


class ChoiceTool(_ChoiceBase):
    """The model must use the named tool."""

    type: Literal["tool"]
    name: str


class ChoiceNone(StrictModel):
    """The model may not use tools."""

    type: Literal["none"]


ToolChoice = Annotated[ChoiceAuto | ChoiceAny | ChoiceTool | ChoiceNone, Field(discriminator="type")]


class ThinkingEnabled(OpenModel):
    """Extended thinking with a token budget."""

    type: Literal["enabled"]
    budget_tokens: int = Field(ge=1024)


class ThinkingOther(OpenModel):
    """Thinking disabled, or adaptive (the model decides the budget)."""

    type: Literal["disabled", "adaptive"]


Thinking = Annotated[ThinkingEnabled | ThinkingOther, Field(discriminator="type")]


class Metadata(StrictModel):
    """Request metadata: an opaque end-user id."""

    user_id: str | None = None
