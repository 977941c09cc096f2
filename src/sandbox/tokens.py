"""Token counts of one request, by the token types Anthropic prices and reports separately."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Final, NamedTuple, cast

# The cost report's `token_type` values, in the order reports list them.
UNCACHED_INPUT: Final = "uncached_input_tokens"
CACHE_WRITE_5M: Final = "cache_creation.ephemeral_5m_input_tokens"
CACHE_WRITE_1H: Final = "cache_creation.ephemeral_1h_input_tokens"
CACHE_READ: Final = "cache_read_input_tokens"
OUTPUT: Final = "output_tokens"
TOKEN_TYPES: Final = (UNCACHED_INPUT, CACHE_WRITE_5M, CACHE_WRITE_1H, CACHE_READ, OUTPUT)


class _Counts(NamedTuple):
    uncached_input: int
    cache_write_5m: int
    cache_write_1h: int
    cache_read: int
    output: int
    web_search_requests: int


class TokenUsage(_Counts):
    """What one request consumed: tokens by type plus server-tool calls (immutable; counts >= 0).

    A named tuple rather than a frozen dataclass: one is built per simulated request, and a frozen
    dataclass costs about 1.3 µs to build against 0.2 µs for the tuple. `trusted_usage` skips the check
    for counts validated on the way in (a `MessageRequest`'s).
    """

    __slots__ = ()

    def __new__(
        cls,
        uncached_input: int = 0,
        cache_write_5m: int = 0,
        cache_write_1h: int = 0,
        cache_read: int = 0,
        output: int = 0,
        web_search_requests: int = 0,
    ) -> TokenUsage:
        counts = (uncached_input, cache_write_5m, cache_write_1h, cache_read, output, web_search_requests)
        check_counts(counts, _Counts._fields)
        return tuple.__new__(cls, counts)

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


def check_counts(counts: Sequence[int], names: Sequence[str]) -> None:
    """Raise ValueError naming the first negative count."""
    if min(counts) >= 0:  # the common case, in one call
        return
    for name, count in zip(names, counts, strict=True):
        if count < 0:
            raise ValueError(f"{name} must be >= 0, got {count}")


Counts = tuple[int, int, int, int, int, int]
# A usage from counts already known to be non-negative integers, without `__new__`'s check or even a
# Python-level call (a partial of the C constructor): this runs once per simulated request.
trusted_usage = cast(Callable[[Counts], TokenUsage], functools.partial(tuple.__new__, TokenUsage))
