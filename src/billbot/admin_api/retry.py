"""When to try an Admin API request again, and how long to wait: the retry policy and the deadline.

Capped exponential backoff with full jitter (AWS "Exponential Backoff and Jitter"): before retry n
(0-based) wait a uniform random time in `[0, min(cap, base · 2ⁿ)]`. A server's `retry-after-ms` or
`retry-after` wins over the backoff, capped at 60 s (billbot answers people: a longer wait is left to
the deadline, which gives up rather than sleep past it). Which responses are retried follows the
official SDK (2.17, `_should_retry`): `x-should-retry: true` retries and `false` never does, whatever
the status; otherwise 408, 409, 429 and every 5xx (529 included) are retried, any other 4xx is final.
Transport failures (refused, reset, timed out) are retried. One `Deadline` spans a whole call: every
attempt, every wait and every page.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import httpx

RETRYABLE_STATUSES = frozenset({408, 409, 429})  # and every status >= 500
RETRY_AFTER_CAP = 60.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times to retry and the backoff's shape, in seconds."""

    max_retries: int = 4
    base: float = 0.5
    cap: float = 8.0
    retry_after_cap: float = RETRY_AFTER_CAP

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        if not (0 < self.base <= self.cap) or self.retry_after_cap < 0:
            raise ValueError(f"need 0 < base <= cap and retry_after_cap >= 0, got {self}")

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The full-jitter wait before retry number `retry` (0 for the first retry)."""
        ceiling = min(self.cap, self.base * 2.0 ** min(retry, 62))
        return rng.uniform(0.0, ceiling)

    def wait(self, retry: int, retry_after: float | None, rng: random.Random) -> float:
        """The wait before a retry: the server's `retry-after` (capped) if it gave one, else backoff."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        return self.backoff(retry, rng)


def is_retryable_status(status: int) -> bool:
    """Whether an HTTP status is worth another try when the server says nothing about it."""
    return status in RETRYABLE_STATUSES or status >= 500


def should_retry(status: int, headers: httpx.Headers) -> bool:
    """Whether to try again after this response: the server's `x-should-retry` first, then the status."""
    verdict = headers.get("x-should-retry")
    if verdict == "true":
        return True
    if verdict == "false":
        return False
    return is_retryable_status(status)


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """The `retry-after-ms` or `retry-after` header in seconds; None when absent or not a number."""
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            value = float(raw.strip()) / scale
        except ValueError:
            continue  # an HTTP-date: reading it would need the wall clock; fall back to backoff
        if math.isfinite(value) and value >= 0:
            return value
    return None


class Deadline:
    """A point in time (on an injected monotonic clock) after which a call gives up."""

    def __init__(self, clock: Callable[[], float], seconds: float) -> None:
        self._clock = clock
        self.seconds = seconds
        self._ends = clock() + seconds

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self._ends - self._clock())

    def allows(self, wait: float) -> bool:
        """Whether waiting `wait` seconds still leaves time for another attempt."""
        return self._clock() + wait < self._ends
