"""A served Messages request as Server-Sent Events, in the real API's order.

`message_start` (the Message shell: no content, stop_reason null, input usage, output_tokens 1),
`content_block_start` (an empty text block), `ping`, `content_block_delta` × n (text_delta),
`content_block_stop`, `message_delta` (stop_reason and the cumulative usage), `message_stop`.
Each event is `event: NAME\\ndata: JSON\\n\\n`.

An interrupted stream (the world's fault plan) sends the deltas produced before the break, then
`event: error` with the 529 body `overloaded_error` / "Overloaded", and ends: an error after a 200, as
the real API sends it. The world billed exactly the output those deltas carry.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Final

from sandbox.api.messages.response import message_json, rejection, served_geo_and_speed, usage_model
from sandbox.api.messages.wire import usage_json
from sandbox.api.responses import WireResponse
from sandbox.messages import Outcome
from sandbox.model.reply import Reply
from sandbox.world import OVERLOADED, World

EVENT_STREAM = "text/event-stream; charset=utf-8"
DELTA_CHARS: Final = 48  # about 12 tokens a delta: "several" for a typical simulated answer


def sse(event: str, data: dict[str, Any]) -> bytes:
    """One encoded Server-Sent Event."""
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def stream_response(
    world: World, outcome: Outcome, reply: Reply, *, speed_asked: bool = False
) -> WireResponse:
    """A streaming response; a request refused before it started is a plain JSON error."""
    headers = world.headers(outcome)
    if not outcome.served:
        return rejection(outcome, {**headers, "content-type": "application/json"})
    headers |= {"content-type": EVENT_STREAM, "cache-control": "no-cache"}
    return WireResponse(200, None, headers, _events(outcome, reply, speed_asked))


def _events(outcome: Outcome, reply: Reply, speed_asked: bool) -> Iterator[bytes]:
    assert outcome.usage is not None  # a served outcome always has usage
    produced = outcome.usage.output
    shell = message_json(outcome, text="", stop_reason=None, speed_asked=speed_asked)
    shell["usage"]["output_tokens"] = min(1, produced)
    yield sse("message_start", {"type": "message_start", "message": shell})
    block = {"type": "text", "text": ""}
    yield sse("content_block_start", {"type": "content_block_start", "index": 0, "content_block": block})
    yield sse("ping", {"type": "ping"})
    text = reply.text(produced)
    for start in range(0, len(text), DELTA_CHARS):
        delta = {"type": "text_delta", "text": text[start : start + DELTA_CHARS]}
        yield sse("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta})
    if outcome.interrupted:
        yield sse("error", OVERLOADED_EVENT)
        return
    yield sse("content_block_stop", {"type": "content_block_stop", "index": 0})
    final = usage_json(usage_model(outcome.usage, *served_geo_and_speed(outcome, speed_asked)))
    usage = {name: final[name] for name in _DELTA_USAGE if name in final}
    stop: dict[str, Any] = {"stop_reason": reply.stop_reason, "stop_sequence": None}
    yield sse("message_delta", {"type": "message_delta", "delta": stop, "usage": usage})
    yield sse("message_stop", {"type": "message_stop"})


# The cumulative counts `message_delta.usage` carries (SDK 2.12 `MessageDeltaUsage`).
_DELTA_USAGE: Final = (
    "input_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
    "output_tokens",
    "server_tool_use",
)
OVERLOADED_EVENT: Final = {
    "type": "error",
    "error": {"type": OVERLOADED.type, "message": OVERLOADED.message},
}
