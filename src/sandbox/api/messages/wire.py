"""The Messages API's response shapes, as the sandbox emits them: Message, Usage and the error body.

Every model forbids unknown fields, so a contract test that loads the documented examples (the error
body, billing and limit errors, the `usage` object of Anthropic's API docs) into them proves the
sandbox uses the same keys.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Speed = Literal["standard", "fast"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CacheCreation(_Wire):
    """Cache-write tokens by TTL."""

    ephemeral_5m_input_tokens: int
    ephemeral_1h_input_tokens: int


class ServerToolUse(_Wire):
    """Server-tool calls billed with the request."""

    web_search_requests: int
    web_fetch_requests: int | None = None


class Usage(_Wire):
    """A Message's `usage`: `input_tokens` is the uncached part only."""

    input_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    cache_creation: CacheCreation
    output_tokens: int
    server_tool_use: ServerToolUse | None = None
    service_tier: Literal["standard", "priority", "batch"]
    inference_geo: str
    speed: Speed | None = None


class TextContent(_Wire):
    """A text block of the answer."""

    type: Literal["text"]
    text: str


class Message(_Wire):
    """The response of a non-streaming `POST /v1/messages`."""

    id: str
    type: Literal["message"]
    role: Literal["assistant"]
    content: list[TextContent]
    model: str
    stop_reason: str | None
    stop_sequence: str | None
    usage: Usage


class ErrorDetail(_Wire):
    """The `error` object of an error body."""

    type: str
    message: str
    details: dict[str, Any] | None = None


class ErrorBody(_Wire):
    """Every error response's body; `request_id` equals the `request-id` header."""

    type: Literal["error"]
    error: ErrorDetail
    request_id: str


def usage_json(usage: Usage) -> dict[str, Any]:
    """`usage` as sent: optional parts (`server_tool_use`, `web_fetch_requests`) only when present."""
    return usage.model_dump(exclude_none=True)
