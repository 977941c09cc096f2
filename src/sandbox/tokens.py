"""Token counts of one request, by the token types Anthropic prices and reports separately."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# The cost report's `token_type` values, in the order reports list them.
UNCACHED_INPUT: Final = "uncached_input_tokens"
CACHE_WRITE_5M: Final = "cache_creation.ephemeral_5m_input_tokens"
CACHE_WRITE_1H: Final = "cache_creation.ephemeral_1h_input_tokens"
CACHE_READ: Final = "cache_read_input_tokens"
OUTPUT: Final = "output_tokens"
TOKEN_TYPES: Final = (UNCACHED_INPUT, CACHE_WRITE_5M, CACHE_WRITE_1H, CACHE_READ, OUTPUT)


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """What one request consumed: tokens by type plus server-tool calls."""

    uncached_input: int = 0
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    cache_read: int = 0
    output: int = 0
    web_search_requests: int = 0

    def __post_init__(self) -> None:
        # The common case first: this runs once per simulated request.
        smallest = min(
            self.uncached_input,
            self.cache_write_5m,
            self.cache_write_1h,
            self.cache_read,
            self.output,
            self.web_search_requests,
        )
        if smallest >= 0:
            return
        for name in self.__dataclass_fields__:
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")

    @property
    def cache_writes(self) -> int:
        """Tokens written to the prompt cache (both durations)."""
        return self.cache_write_5m + self.cache_write_1h

    @property
    def total_input(self) -> int:
        """All prompt tokens: uncached, cache writes and cache reads (what context-size rules measure)."""
        return self.uncached_input + self.cache_write_5m + self.cache_write_1h + self.cache_read

    def by_type(self) -> dict[str, int]:
        """Token counts keyed by the cost report's `token_type` names."""
        return {
            UNCACHED_INPUT: self.uncached_input,
            CACHE_WRITE_5M: self.cache_write_5m,
            CACHE_WRITE_1H: self.cache_write_1h,
            CACHE_READ: self.cache_read,
            OUTPUT: self.output,
        }
