"""A validated Messages prompt read into the pieces the sandbox's token rule counts.

The rule and its numbers live in `sandbox.model.token_count`; this module knows the wire's block
types and walks them in the API's cache order (tools, system, messages). A block's `cache_control`
marks the end of its piece as a breakpoint; misused breakpoints are the API's 400.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from sandbox.api.errors import invalid_request
from sandbox.api.messages.options import CacheControl
from sandbox.api.messages.request import ImageBlock, PromptBody, TextBlock, ThinkingBlock, ToolResultBlock
from sandbox.model.token_count import (
    IMAGE_TOKENS,
    MESSAGE_OVERHEAD,
    REQUEST_OVERHEAD,
    SYSTEM_OVERHEAD,
    TOOL_RESULT_OVERHEAD,
    TOOLS_OVERHEAD,
    CacheControlError,
    PromptPiece,
    PromptTokens,
    chars_to_tokens,
    measure,
)


def measure_prompt(body: PromptBody) -> PromptTokens:
    """Total tokens and breakpoints of a validated prompt; 400 for misused `cache_control`."""
    try:
        return measure(_pieces(body))
    except CacheControlError as exc:
        raise invalid_request(str(exc)) from None


def _pieces(body: PromptBody) -> Iterator[PromptPiece]:
    yield PromptPiece(REQUEST_OVERHEAD, b"request")
    if body.tools:
        yield PromptPiece(TOOLS_OVERHEAD, b"tools")
        for tool in body.tools:
            data = _json(tool)
            yield PromptPiece(chars_to_tokens(len(data)), data.encode("utf-8"), _ttl(tool.cache_control))
    if body.system:
        yield PromptPiece(SYSTEM_OVERHEAD, b"system")
        for text in body.system:
            yield from _block_pieces(text)
    for message in body.messages:
        yield PromptPiece(MESSAGE_OVERHEAD, message.role.encode("ascii"))
        for block in message.content:
            yield from _block_pieces(block)
    if body.cache_control is not None:
        yield PromptPiece(0, b"", body.cache_control.ttl)


def _block_pieces(block: BaseModel) -> Iterator[PromptPiece]:
    ttl = _ttl(getattr(block, "cache_control", None))
    if isinstance(block, TextBlock):
        yield PromptPiece(chars_to_tokens(len(block.text)), b"text:" + block.text.encode("utf-8"), ttl)
    elif isinstance(block, ThinkingBlock):
        yield PromptPiece(chars_to_tokens(len(block.thinking)), _json(block).encode("utf-8"))
    elif isinstance(block, ImageBlock):
        yield PromptPiece(IMAGE_TOKENS, _json(block).encode("utf-8"), ttl)
    elif isinstance(block, ToolResultBlock):
        yield PromptPiece(TOOL_RESULT_OVERHEAD, b"tool_result:" + block.tool_use_id.encode("utf-8"))
        for part in block.content:
            yield from _block_pieces(part)
        yield PromptPiece(0, b"end", ttl)
    else:
        data = _json(block)
        yield PromptPiece(chars_to_tokens(len(data)), data.encode("utf-8"), ttl)


def _ttl(cache: CacheControl | None) -> str | None:
    return None if cache is None else cache.ttl


def _json(model: BaseModel) -> str:
    content: dict[str, Any] = model.model_dump(mode="json", exclude={"cache_control"}, exclude_none=True)
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
