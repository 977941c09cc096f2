"""Simulated time: integer nanoseconds since the Unix epoch, UTC.

Time is an integer so a simulated year accumulates no drift. `VirtualClock` moves only when told
(SimPy's idea: a heap of scheduled actions, FIFO for ties); `RealtimeClock` follows the wall clock
at a speed factor and is the only place in the sandbox that reads it.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

NS_PER_SECOND = 1_000_000_000
NS_PER_MINUTE = 60 * NS_PER_SECOND
NS_PER_HOUR = 60 * NS_PER_MINUTE
NS_PER_DAY = 24 * NS_PER_HOUR

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Clock(Protocol):
    """Anything that tells simulated time."""

    def now_ns(self) -> int:
        """Current time, integer nanoseconds since the epoch (UTC)."""
        ...

    def now(self) -> datetime:
        """Current time as an aware UTC datetime."""
        ...


def to_ns(moment: datetime) -> int:
    """Convert an aware datetime to integer nanoseconds since the epoch."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: sandbox time is timezone-aware UTC")
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * NS_PER_SECOND + delta.microseconds * 1_000


def to_datetime(ns: int) -> datetime:
    """Convert integer nanoseconds since the epoch to an aware UTC datetime (microsecond precision)."""
    return _EPOCH + timedelta(microseconds=ns // 1_000)


def seconds(value: int | float) -> int:
    """Whole or fractional seconds as integer nanoseconds (for tests and configuration)."""
    return round(value * NS_PER_SECOND)


def rfc3339(ns: int) -> str:
    """Render a time the way the Anthropic API does: RFC 3339 in UTC with a Z suffix."""
    moment = to_datetime(ns)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(order=True)
class _Scheduled:
    at_ns: int
    seq: int
    action: Callable[[], None] = field(compare=False)


class VirtualClock:
    """A clock that moves only when advanced; scheduled actions run in time order, FIFO for ties."""

    def __init__(self, start: datetime | int) -> None:
        self._now = start if isinstance(start, int) else to_ns(start)
        self._queue: list[_Scheduled] = []
        self._seq = itertools.count()

    def now_ns(self) -> int:
        """Current simulated time in nanoseconds."""
        return self._now

    def now(self) -> datetime:
        """Current simulated time as an aware datetime."""
        return to_datetime(self._now)

    def call_at(self, at_ns: int, action: Callable[[], None]) -> None:
        """Schedule `action` to run when the clock reaches `at_ns` (now, if that is already past)."""
        heapq.heappush(self._queue, _Scheduled(max(at_ns, self._now), next(self._seq), action))

    def call_later(self, delay_ns: int, action: Callable[[], None]) -> None:
        """Schedule `action` to run `delay_ns` from now."""
        if delay_ns < 0:
            raise ValueError(f"delay must be >= 0, got {delay_ns}")
        self.call_at(self._now + delay_ns, action)

    def pending(self) -> int:
        """Number of scheduled actions not yet run."""
        return len(self._queue)

    def advance_to(self, until_ns: int) -> None:
        """Run every action due up to and including `until_ns`, then stop the clock there."""
        if until_ns < self._now:
            raise ValueError("advance_to cannot move backwards; use jump_to for a clock fault")
        while self._queue and self._queue[0].at_ns <= until_ns:
            item = heapq.heappop(self._queue)
            self._now = item.at_ns
            item.action()
        self._now = until_ns

    def advance(self, delta_ns: int) -> None:
        """Move forward by `delta_ns`, running what falls due."""
        self.advance_to(self._now + delta_ns)

    def jump_to(self, at_ns: int) -> None:
        """Set the time directly, backwards or forwards, without running scheduled actions (a clock fault)."""
        self._now = at_ns


class RealtimeClock:
    """Wall-clock time from a start point, running `speed` times faster than real time."""

    def __init__(
        self,
        start: datetime | None = None,
        speed: float = 1.0,
        monotonic_ns: Callable[[], int] = time.monotonic_ns,
        wall_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be > 0, got {speed}")
        self._monotonic_ns = monotonic_ns
        self._origin_sim = wall_ns() if start is None else to_ns(start)
        self._origin_real = monotonic_ns()
        # Speed kept as a ratio of integers so elapsed time scales without float drift.
        self._num, self._den = float(speed).as_integer_ratio()

    @property
    def speed(self) -> float:
        """How many simulated seconds pass per real second."""
        return self._num / self._den

    def set_speed(self, speed: float) -> None:
        """Change speed from now on, keeping the current simulated time continuous."""
        if speed <= 0:
            raise ValueError(f"speed must be > 0, got {speed}")
        self._origin_sim = self.now_ns()
        self._origin_real = self._monotonic_ns()
        self._num, self._den = float(speed).as_integer_ratio()

    def now_ns(self) -> int:
        """Current simulated time in nanoseconds."""
        elapsed = self._monotonic_ns() - self._origin_real
        return self._origin_sim + elapsed * self._num // self._den

    def now(self) -> datetime:
        """Current simulated time as an aware datetime."""
        return to_datetime(self.now_ns())

    def jump_to(self, at_ns: int) -> None:
        """Set the simulated time directly (a clock fault, or an operator's 'set clock')."""
        self._origin_sim = at_ns
        self._origin_real = self._monotonic_ns()
