"""The simulated prompt cache: which prompt prefixes are cached, per organisation, workspace and model.

Rules:
- An entry is a prefix (by content hash) in one scope: organisation, workspace and model. Caches are
  isolated per workspace, as the real API's have been since 2026, and per model.
- A request reads the longest of its breakpoints whose prefix is cached and unexpired; every later
  breakpoint writes the tokens between the previous breakpoint (or the hit) and itself, at its own
  TTL (5m: ephemeral_5m, 1h: ephemeral_1h). Tokens after the last breakpoint are uncached input.
- Prefixes shorter than 1,024 tokens are not cached (the real minimum is 1,024–4,096 by model; the
  sandbox uses the smallest for every model): their breakpoints are ignored.
- An entry lives for its TTL after its last write or read, measured on the world's clock; a read
  refreshes it. The cache changes only when the request is served (`commit`), never on a rejection.
- `plan` and `commit` for one request must run under `lock`, with the world's decision in between,
  so concurrent requests see one another's writes in order.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Final

from sandbox.clock import NS_PER_HOUR, NS_PER_MINUTE
from sandbox.model.token_count import Breakpoint, PromptTokens
from sandbox.world import World

MIN_CACHEABLE_TOKENS: Final = 1_024
TTL_NS: Final = {"5m": 5 * NS_PER_MINUTE, "1h": NS_PER_HOUR}

Scope = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class CachePlan:
    """How one request's input splits: uncached, written (5m, 1h) and read; what to store if served."""

    uncached: int
    write_5m: int
    write_1h: int
    read: int
    scope: Scope | None = None
    touched: tuple[Breakpoint, ...] = ()


class PromptCache:
    """Cached prefixes of one world, with their expiry times."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._expiry: dict[tuple[Scope, bytes], int] = {}
        self._sweep_at = 1_024

    def __len__(self) -> int:
        return len(self._expiry)

    def plan(self, scope: Scope | None, prompt: PromptTokens, now_ns: int) -> CachePlan:
        """Split a prompt's tokens by what the cache holds at `now_ns` (changes nothing)."""
        points = [p for p in prompt.breakpoints if p.tokens >= MIN_CACHEABLE_TOKENS]
        if scope is None or not points:
            return CachePlan(prompt.total, 0, 0, 0)
        hit = 0
        for index, point in enumerate(points):
            if self._expiry.get((scope, point.digest), 0) > now_ns:
                hit = index + 1
        read = points[hit - 1].tokens if hit else 0
        writes = {"5m": 0, "1h": 0}
        done = read
        for point in points[hit:]:
            writes[point.ttl] += point.tokens - done
            done = point.tokens
        uncached = prompt.total - done
        # The hit is touched too: a read refreshes its entry.
        touched = tuple(points[max(hit - 1, 0) :])
        return CachePlan(uncached, writes["5m"], writes["1h"], read, scope, touched)

    def commit(self, plan: CachePlan, now_ns: int) -> None:
        """Store the plan's writes and refresh its read, as of `now_ns` (call only when served)."""
        if plan.scope is None:
            return
        for point in plan.touched:
            self._expiry[(plan.scope, point.digest)] = now_ns + TTL_NS[point.ttl]
        if len(self._expiry) >= self._sweep_at:
            self._sweep(now_ns)

    def _sweep(self, now_ns: int) -> None:
        # Expired entries are dead weight; sweeping when the size doubles keeps the cost amortised.
        self._expiry = {key: until for key, until in self._expiry.items() if until > now_ns}
        self._sweep_at = max(1_024, 2 * len(self._expiry))


_CACHES: weakref.WeakKeyDictionary[World, PromptCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def prompt_cache_for(world: World) -> PromptCache:
    """The prompt cache kept beside `world` (created on first use, dropped with the world)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(world)
        if cache is None:
            cache = _CACHES[world] = PromptCache()
        return cache
