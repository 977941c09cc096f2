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

This module holds the rule's numbers and the arithmetic over pieces; `sandbox.api.messages.prompt`
reads a request body into those pieces.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

REQUEST_OVERHEAD: Final = 4
MESSAGE_OVERHEAD: Final = 3
SYSTEM_OVERHEAD: Final = 3
TOOL_RESULT_OVERHEAD: Final = 3
TOOLS_OVERHEAD: Final = 300
IMAGE_TOKENS: Final = 1_600
MAX_BREAKPOINTS: Final = 4


class CacheControlError(ValueError):
    """Breakpoints the API refuses: more than four, or a 1-hour one after a 5-minute one."""


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
class PromptPiece:
    """One counted part of a prompt: its tokens, the bytes it adds to the prefix hash, its cache TTL."""

    tokens: int
    data: bytes
    cache_ttl: str | None = None


def chars_to_tokens(chars: int) -> int:
    """The estimate for `chars` characters of text: one token per four, rounded up."""
    return -(-chars // 4)


def measure(pieces: Iterable[PromptPiece]) -> PromptTokens:
    """Total tokens and breakpoints of a prompt's pieces; `CacheControlError` for misused breakpoints."""
    digest = hashlib.sha256()
    total = 0
    breakpoints: list[Breakpoint] = []
    for piece in pieces:
        total += piece.tokens
        digest.update(len(piece.data).to_bytes(8, "big") + piece.data)
        if piece.cache_ttl is not None:
            breakpoints.append(Breakpoint(total, digest.copy().digest(), piece.cache_ttl))
    _check_breakpoints(breakpoints)
    return PromptTokens(total, tuple(breakpoints))


def _check_breakpoints(breakpoints: list[Breakpoint]) -> None:
    if len(breakpoints) > MAX_BREAKPOINTS:
        raise CacheControlError(
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. "
            f"Found {len(breakpoints)}."
        )
    ttls = [point.ttl for point in breakpoints]
    if "5m" in ttls and "1h" in ttls[ttls.index("5m") :]:
        raise CacheControlError(
            "cache_control: a ttl='1h' cache_control block must not come after a ttl='5m' one"
        )
