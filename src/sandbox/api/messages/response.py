"""A served Messages request as the real API's Message object, and any outcome as a WireResponse."""

from __future__ import annotations

from typing import Any

from sandbox.api.errors import WireError
from sandbox.api.messages.wire import (
    CacheCreation,
    Message,
    ServerToolUse,
    Speed,
    TextContent,
    Usage,
    usage_json,
)
from sandbox.api.responses import WireResponse
from sandbox.messages import Outcome
from sandbox.model.reply import Reply
from sandbox.tokens import TokenUsage
from sandbox.world import World

JSON_TYPE = "application/json"


def message_id(request_id: str) -> str:
    """The Message id for a request: its request id's suffix behind `msg_` (unique, deterministic)."""
    return "msg_" + request_id.removeprefix("req_")


def usage_model(
    usage: TokenUsage, inference_geo: str, speed: Speed | None = None, output_tokens: int | None = None
) -> Usage:
    """The wire `usage` for a request's token counts (`output_tokens` overrides the final count)."""
    searches = usage.web_search_requests
    return Usage(
        input_tokens=usage.uncached_input,
        cache_creation_input_tokens=usage.cache_writes,
        cache_read_input_tokens=usage.cache_read,
        cache_creation=CacheCreation(
            ephemeral_5m_input_tokens=usage.cache_write_5m,
            ephemeral_1h_input_tokens=usage.cache_write_1h,
        ),
        output_tokens=usage.output if output_tokens is None else output_tokens,
        server_tool_use=ServerToolUse(web_search_requests=searches) if searches else None,
        service_tier="standard",
        inference_geo=inference_geo,
        speed=speed,
    )


def served_geo_and_speed(outcome: Outcome, speed_asked: bool) -> tuple[str, Speed | None]:
    """The `inference_geo` and `speed` a served request reports.

    `inference_geo` is "not_available" on models older than Claude 4.6 (as in the usage report);
    `speed` is reported only when the request named one (the sandbox's choice: SDK 2.17 types it as
    optional, and the documented `usage` example has none).
    """
    dims = outcome.dims
    if dims is None or not speed_asked:
        return (dims.inference_geo if dims is not None else "global"), None
    return dims.inference_geo, "fast" if dims.speed == "fast" else "standard"


def message_json(
    outcome: Outcome, *, text: str, stop_reason: str | None, speed_asked: bool = False
) -> dict[str, Any]:
    """The Message object for a served request (also the shell of a stream's `message_start`)."""
    assert outcome.usage is not None  # a served outcome always has usage
    inference_geo, speed = served_geo_and_speed(outcome, speed_asked)
    message = Message(
        id=message_id(outcome.request_id),
        type="message",
        role="assistant",
        content=[TextContent(type="text", text=text)] if text else [],
        model=outcome.model,
        stop_reason=stop_reason,
        stop_sequence=None,
        usage=usage_model(outcome.usage, inference_geo, speed),
    )
    body = message.model_dump(exclude={"usage"})
    body["usage"] = usage_json(message.usage)
    return body


def outcome_response(
    world: World, outcome: Outcome, reply: Reply, *, speed_asked: bool = False
) -> WireResponse:
    """A non-streaming response: the Message, or the world's error with its headers."""
    headers = {**world.headers(outcome), "content-type": JSON_TYPE}
    if not outcome.served:
        return rejection(outcome, headers)
    body = message_json(outcome, text=reply.text(), stop_reason=reply.stop_reason, speed_asked=speed_asked)
    return WireResponse(200, body, headers)


def rejection(outcome: Outcome, headers: dict[str, str]) -> WireResponse:
    """The world's refusal as the real API's error body, its id equal to the `request-id` header."""
    assert outcome.error is not None  # every rejected outcome carries its error
    return WireResponse(outcome.status, outcome.error.body(outcome.request_id), headers)


def early_error(world: World, error: WireError) -> WireResponse:
    """A request refused before the world decides it (no key, bad body), with a fresh request id."""
    request_id = world.new_request_id()
    headers = {**error.headers, "request-id": request_id, "content-type": JSON_TYPE}
    return WireResponse(error.status, error.body(request_id), headers)
