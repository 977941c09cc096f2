"""A continuously refilling token bucket on the sandbox clock, in exact integer arithmetic.

The bucket refills at `limit` units per minute up to `capacity` units. Its level is kept scaled by
`NS_PER_MINUTE` ("scaled units"), so `elapsed_ns * limit` is exactly the refill and nothing is ever
divided on the way in: a simulated year accumulates no drift (boundary rule B-1, docs/SANDBOX-ENGINE.md).

Rules (boundary decisions; later docs quote them):
- The bucket starts full (B-2).
- A take of `qty` passes iff the level at `now` is `>=` qty (equality passes).
- A rejected take consumes nothing and reports `retry_after_ns`, the least whole number of
  nanoseconds after which `qty` fits with no other traffic: a take at `now + retry_after_ns` passes,
  at `now + retry_after_ns - 1` fails (B-3).
- `qty > capacity` can never fit: `try_take` returns `PERMANENT` (-1), like redis-cell (B-4).
- `qty == 0` is a pure peek: it always passes and changes nothing (B-8).
- `reset_ns` is the instant the bucket is FULL again, not the instant one unit fits (B-7).
- A clock that goes backwards refills nothing: the bucket keeps the latest instant it has seen, and
  waits are measured from the caller's `now` to the instant the wait ends on that latest timeline.
- `debit` (output counted after the fact) may take the level below zero; `refund` never lifts it
  above capacity.
- Reconfiguring keeps the amount already used (capacity minus level): a raised limit gives its extra
  headroom at once, a lowered one may leave the level negative until it refills.
"""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.clock import NS_PER_MINUTE

PERMANENT = -1  # try_take/wait_ns result: the quantity can never fit (larger than capacity)


class InvalidLimitError(ValueError):
    """A bucket limit or burst that is not a positive integer."""

    def __init__(self, name: str, value: int) -> None:
        super().__init__(f"{name} must be a positive integer, got {value!r}")
        self.name = name
        self.value = value


class InvalidQuantityError(ValueError):
    """A negative quantity asked of a bucket."""

    def __init__(self, qty: int) -> None:
        super().__init__(f"quantity must be >= 0, got {qty!r}")
        self.qty = qty


def capacity_for(limit: int, burst_seconds: int) -> int:
    """Capacity of a bucket refilling `limit` per minute that may burst `burst_seconds` worth of it."""
    if burst_seconds <= 0:
        raise InvalidLimitError("burst_seconds", burst_seconds)
    return max(1, limit * burst_seconds // 60)


class TokenBucket:
    """Units refilling continuously at `limit` per minute, holding at most `capacity`."""

    __slots__ = ("_cap", "_last", "_level", "capacity", "limit")

    def __init__(self, limit: int, now_ns: int, capacity: int | None = None) -> None:
        if limit <= 0:
            raise InvalidLimitError("limit", limit)
        cap = limit if capacity is None else capacity
        if cap <= 0:
            raise InvalidLimitError("capacity", cap)
        self.limit = limit
        self.capacity = cap
        self._cap = cap * NS_PER_MINUTE
        self._level = self._cap
        self._last = now_ns

    def level_at(self, now_ns: int) -> int:
        """The level at `now_ns` in scaled units (units × NS_PER_MINUTE), without changing anything."""
        elapsed = now_ns - self._last
        if elapsed <= 0:
            return self._level
        level = self._level + elapsed * self.limit
        return level if level < self._cap else self._cap

    def peek(self, now_ns: int) -> int:
        """Whole units available at `now_ns` (negative after an over-debit)."""
        return self.level_at(now_ns) // NS_PER_MINUTE

    def wait_ns(self, qty: int, now_ns: int) -> int:
        """Nanoseconds until `qty` fits (0 if it fits now, PERMANENT if it never can); changes nothing."""
        if qty < 0:
            raise InvalidQuantityError(qty)
        if qty > self.capacity:
            return PERMANENT
        # `level_at`, inlined: this runs for every bucket of every request.
        last = self._last
        level = self._level
        if now_ns > last:
            level += (now_ns - last) * self.limit
            if level > self._cap:
                level = self._cap
        missing = qty * NS_PER_MINUTE - level
        if missing <= 0:
            return 0
        # Refill starts from the latest instant seen, which is later than `now` after a backwards jump.
        start = last if last > now_ns else now_ns
        return start - now_ns + -(-missing // self.limit)

    def try_take(self, qty: int, now_ns: int) -> int:
        """Take `qty` if it fits: 0 when taken, else the exact wait in ns or PERMANENT (taking nothing)."""
        wait = self.wait_ns(qty, now_ns)
        if wait == 0 and qty:
            self._set(self.level_at(now_ns) - qty * NS_PER_MINUTE, now_ns)
        return wait

    def debit(self, qty: int, now_ns: int) -> None:
        """Remove `qty` unconditionally (actual use counted after the fact); the level may go negative."""
        if qty < 0:
            raise InvalidQuantityError(qty)
        # `level_at` and `_set`, inlined for the same reason as in `wait_ns`.
        last = self._last
        level = self._level
        if now_ns > last:
            level += (now_ns - last) * self.limit
            if level > self._cap:
                level = self._cap
            self._last = now_ns
        self._level = level - qty * NS_PER_MINUTE

    def refund(self, qty: int, now_ns: int) -> None:
        """Give back `qty` reserved but unused, never above capacity."""
        if qty < 0:
            raise InvalidQuantityError(qty)
        self._set(min(self._cap, self.level_at(now_ns) + qty * NS_PER_MINUTE), now_ns)

    def reset_ns(self, now_ns: int) -> int:
        """The instant the bucket will be full again with no other traffic (`now_ns` if it is full)."""
        missing = self._cap - self.level_at(now_ns)
        if missing <= 0:
            return now_ns
        start = self._last if self._last > now_ns else now_ns
        return start + -(-missing // self.limit)

    def reconfigure(self, limit: int, capacity: int) -> None:
        """Change rate and capacity, keeping the amount already used."""
        if limit <= 0:
            raise InvalidLimitError("limit", limit)
        if capacity <= 0:
            raise InvalidLimitError("capacity", capacity)
        used = self._cap - self._level
        self.limit = limit
        self.capacity = capacity
        self._cap = capacity * NS_PER_MINUTE
        self._level = self._cap - used

    def state(self) -> tuple[int, int, int, int]:
        """Everything that defines the bucket: (limit, capacity, scaled level, last instant seen)."""
        return (self.limit, self.capacity, self._level, self._last)

    def _set(self, level: int, now_ns: int) -> None:
        self._level = level
        if now_ns > self._last:
            self._last = now_ns


def take_all(
    checks: Sequence[tuple[int, TokenBucket, object]], quantities: Sequence[int], now_ns: int, unsettled: int
) -> bool:
    """Take `quantities[i]` from every `(i, bucket, _)` of `checks` if all of them fit now, else nothing.

    Buckets of index `unsettled` are checked but not taken (output counted when a request settles).
    The arithmetic of `wait_ns`, then of `debit`, inlined: the rate limiter runs this per request.
    Recomputing each level in the second pass is cheaper than keeping the first pass's in a list.
    """
    for index, bucket, _ in checks:
        qty = quantities[index]
        if qty > bucket.capacity:
            return False
        level = bucket._level
        if now_ns > bucket._last:
            level += (now_ns - bucket._last) * bucket.limit
            if level > bucket._cap:
                level = bucket._cap
        if qty * NS_PER_MINUTE > level:
            return False
    for index, bucket, _ in checks:
        if index != unsettled:
            level = bucket._level
            if now_ns > bucket._last:
                level += (now_ns - bucket._last) * bucket.limit
                if level > bucket._cap:
                    level = bucket._cap
                bucket._last = now_ns
            bucket._level = level - quantities[index] * NS_PER_MINUTE
    return True
