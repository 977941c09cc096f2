"""The sandbox's input-token estimate, and the prompt-cache breakpoints along the prompt.

The real tokenizer is not public, so the sandbox counts with a fixed, documented rule. The prompt is
read in the API's cache order — tools, then system, then messages — as a sequence of pieces:

- every request: 4 tokens; every message: 3 tokens (role markers); a non-empty system: 3 tokens;
- tools: 300 tokens for the tool-use system prompt when any tool is given, plus, per tool,
  ceil(len(its compact JSON, without cache_control) / 4);
- text and thinking blocks: ceil(len(text) / 4) (a character count, so non-Latin text counts alike);
- images: 1,600 tokens each (the documented size of a ~1.15-megapixel image), whatever the source;
- tool results: 3 tokens plus their parts by these rules;
- any other block (tool_use, document, server-tool blocks): ceil(len(compact JSON, without
  cache_control) / 4).

`count_tokens` answers the total; `POST /v1/messages` splits the same total into uncached input,
cache writes and cache reads. A block with `cache_control` ends a cacheable prefix: the breakpoint
records the tokens up to and including that block and a hash of the prefix (its content, not its
cache_control). A top-level `cache_control` puts a breakpoint after the last block.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel

from sandbox.api.errors import invalid_request
from sandbox.api.messages_options import CacheControl
from sandbox.api.messages_request import (
    ImageBlock,
    PromptBody,
    TextBlock,
    ThinkingBlock,
    ToolResultBlock,
)

REQUEST_OVERHEAD: Final = 4
MESSAGE_OVERHEAD: Final = 3
SYSTEM_OVERHEAD: Final = 3
TOOL_RESULT_OVERHEAD: Final = 3
TOOLS_OVERHEAD: Final = 300
IMAGE_TOKENS: Final = 1_600
MAX_BREAKPOINTS: Final = 4


@dataclass(frozen=True, slots=True)
class Breakpoint:
    """The end of a cacheable prefix: its length in tokens, its content hash and its TTL."""

    tokens: int
    digest: bytes
    ttl: str


@dataclass(frozen=True, slots=True)
class PromptTokens:
    """A prompt's estimated size and its cache breakpoints, shortest prefix first."""

    total: int
    breakpoints: tuple[Breakpoint, ...]


@dataclass(frozen=True, slots=True)
class _Piece:
    tokens: int
    data: bytes
    cache: CacheControl | None = None


def chars_to_tokens(chars: int) -> int:
    """The estimate for `chars` characters of text: one token per four, rounded up."""
    return -(-chars // 4)


def measure(body: PromptBody) -> PromptTokens:
    """Total tokens and breakpoints of a validated prompt; 400 for misused `cache_control`."""
    digest = hashlib.sha256()
    total = 0
    breakpoints: list[Breakpoint] = []
    for piece in _pieces(body):
        total += piece.tokens
        digest.update(len(piece.data).to_bytes(8, "big") + piece.data)
        if piece.cache is not None:
            breakpoints.append(Breakpoint(total, digest.copy().digest(), piece.cache.ttl))
    _check_breakpoints(breakpoints)
    return PromptTokens(total, tuple(breakpoints))


def _check_breakpoints(breakpoints: list[Breakpoint]) -> None:
    if len(breakpoints) > MAX_BREAKPOINTS:
        raise invalid_request(
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. "
            f"Found {len(breakpoints)}."
        )
    ttls = [point.ttl for point in breakpoints]
    if "5m" in ttls and "1h" in ttls[ttls.index("5m") :]:
        raise invalid_request(
            "cache_control: a ttl='1h' cache_control block must not come after a ttl='5m' one"
        )


def _pieces(body: PromptBody) -> Iterator[_Piece]:
    yield _Piece(REQUEST_OVERHEAD, b"request")
    if body.tools:
        yield _Piece(TOOLS_OVERHEAD, b"tools")
        for tool in body.tools:
            data = _json(tool)
            yield _Piece(chars_to_tokens(len(data)), data.encode("utf-8"), tool.cache_control)
    if body.system:
        yield _Piece(SYSTEM_OVERHEAD, b"system")
        for text in body.system:
            yield from _block_pieces(text)
    for message in body.messages:
        yield _Piece(MESSAGE_OVERHEAD, message.role.encode("ascii"))
        for block in message.content:
            yield from _block_pieces(block)
    if body.cache_control is not None:
        yield _Piece(0, b"", body.cache_control)


def _block_pieces(block: BaseModel) -> Iterator[_Piece]:
    cache: CacheControl | None = getattr(block, "cache_control", None)
    if isinstance(block, TextBlock):
        yield _Piece(chars_to_tokens(len(block.text)), b"text:" + block.text.encode("utf-8"), cache)
    elif isinstance(block, ThinkingBlock):
        yield _Piece(chars_to_tokens(len(block.thinking)), _json(block).encode("utf-8"))
    elif isinstance(block, ImageBlock):
        yield _Piece(IMAGE_TOKENS, _json(block).encode("utf-8"), cache)
    elif isinstance(block, ToolResultBlock):
        yield _Piece(TOOL_RESULT_OVERHEAD, b"tool_result:" + block.tool_use_id.encode("utf-8"))
        for part in block.content:
            yield from _block_pieces(part)
        yield _Piece(0, b"end", cache)
    else:
        data = _json(block)
        yield _Piece(chars_to_tokens(len(data)), data.encode("utf-8"), cache)


def _json(model: BaseModel) -> str:
    content: dict[str, Any] = model.model_dump(mode="json", exclude={"cache_control"}, exclude_none=True)
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
