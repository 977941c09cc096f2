"""Rate limits per model class: requests, input and output tokens per minute, and what they refuse.

Two forms, one rule set (`sandbox.ratelimit`):
- many-request cells: each minute a class admits at most its limit on every dimension; a minute that
  asks for more has the excess refused, in the same share on every cell of that minute and class;
- one-request cells (a replayed scenario): the token buckets of the exact engine, request by request,
  but only for a class whose traffic can reach its limit at all (a busy pair of minutes above half
  the bucket); every other class passes untouched, which is most of them, most of the time.
Batch requests (class -1) have their own queue and no per-minute limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.bucket import capacity_for
from sandbox.clock import NS_PER_MINUTE
from sandbox.fast.cells import Cells
from sandbox.fast.plan import AccountPlan
from sandbox.ratelimit import RateLimits


@dataclass(frozen=True, slots=True)
class Peak:
    """A class's busiest minute against its limits (None: unlimited)."""

    model_class: str
    requests: float
    input_tokens: float
    output_tokens: float
    rpm: int | None
    itpm: int | None
    otpm: int | None

    @classmethod
    def of(cls, model_class: str, used: tuple[float, float, float], limits: RateLimits | None) -> Peak:
        """A peak from the busiest minute's (requests, input, output) and the class's limits."""
        rpm, itpm, otpm = (None, None, None) if limits is None else limits
        return cls(model_class, used[0], used[1], used[2], rpm, itpm, otpm)

    @property
    def utilisation(self) -> float:
        """The peak minute's highest share of a limit (0 when nothing is limited)."""
        shares = [
            used / limit
            for used, limit in (
                (self.requests, self.rpm),
                (self.input_tokens, self.itpm),
                (self.output_tokens, self.otpm),
            )
            if limit
        ]
        return max(shares, default=0.0)


@dataclass(slots=True)
class RateOutcome:
    """Per cell: the share admitted by the limiter, and the share refused for good (too big to fit)."""

    admitted: np.ndarray
    permanent: np.ndarray
    peaks: list[Peak]


def apply_rate_limits(cells: Cells, account: AccountPlan, reaching: np.ndarray) -> RateOutcome:
    """Which share of each cell's requests that reach the limiter it admits."""
    n = len(cells.at_ns)
    admitted, permanent = np.ones(n), np.zeros(n)
    minutes = int((cells.end_ns - cells.start_ns) // NS_PER_MINUTE) + 1
    minute = cells.minute
    peaks: list[Peak] = []
    for index, name in enumerate(cells.classes):
        limits = account.rate_limits(name)
        mask = (cells.group == index) & reaching
        if not mask.any():
            continue
        per_minute = [
            np.bincount(minute[mask], weights=values[mask], minlength=minutes)
            for values in (cells.count * 1.0, cells.counted_input, cells.output)
        ]
        a, b, c = per_minute
        caps = (None, None, None) if limits is None else (limits.rpm, limits.itpm, limits.otpm)
        peaks.append(Peak.of(name, (float(a.max()), float(b.max()), float(c.max())), limits))
        if limits is None or not _can_bind(per_minute, caps, account.burst_seconds, cells, mask):
            continue
        if cells.detail is not None:
            rows = np.flatnonzero(mask)
            ok, never = _buckets(cells, rows, caps, account)
            admitted[rows] = ok
            permanent[rows] = never
        else:
            share = np.ones(minutes)
            for used, cap in zip(per_minute, caps, strict=True):
                if cap is not None:
                    share = np.minimum(share, np.where(used > cap, cap / np.maximum(used, 1e-12), 1.0))
            admitted[mask] = share[minute[mask]]
    return RateOutcome(admitted, permanent, peaks)


def _can_bind(
    per_minute: list[np.ndarray], caps: tuple[int | None, ...], burst: int, cells: Cells, mask: np.ndarray
) -> bool:
    # Any stretch of time lies within some run of whole minutes; if no two neighbouring minutes together
    # ask for half of what a bucket holds, no bucket can run dry (and no single request is too big).
    for used, cap in zip(per_minute, caps, strict=True):
        if cap is None:
            continue
        room = min(capacity_for(cap, burst), cap) / 2
        pairs = used[1:] + used[:-1] if len(used) > 1 else used
        if float(pairs.max(initial=0.0)) > room or float(used.max(initial=0.0)) > room:
            return True
    per_request_input = cells.counted_input[mask] / np.maximum(cells.count[mask], 1.0)
    return caps[1] is not None and float(per_request_input.max()) > capacity_for(caps[1], burst)


def _buckets(
    cells: Cells, rows: np.ndarray, caps: tuple[int | None, ...], account: AccountPlan
) -> tuple[np.ndarray, np.ndarray]:
    """The exact engine's buckets for one class, request by request (`sandbox.bucket` arithmetic)."""
    assert cells.detail is not None
    reserve = account.otpm_mode == "reserve"
    limits = list(caps)
    capacity = [None if cap is None else capacity_for(cap, account.burst_seconds) for cap in limits]
    full = [0 if c is None else c * NS_PER_MINUTE for c in capacity]
    level = list(full)
    last = cells.start_ns
    ok = np.zeros(len(rows))
    never = np.zeros(len(rows))
    ask_output = cells.detail.max_tokens if reserve else 1
    times = cells.at_ns[rows].tolist()
    inputs = cells.counted_input[rows].astype(np.int64).tolist()
    outputs = cells.output[rows].astype(np.int64).tolist()
    for n, (now, counted, produced) in enumerate(zip(times, inputs, outputs, strict=True)):
        asks = (1, counted, ask_output)
        if any(cap is not None and ask > cap for ask, cap in zip(asks, capacity, strict=True)):
            never[n] = 1.0
            continue
        elapsed = now - last if now > last else 0
        current = [
            0 if lim is None else min(full[d], level[d] + elapsed * lim) for d, lim in enumerate(limits)
        ]
        if all(lim is None or asks[d] * NS_PER_MINUTE <= current[d] for d, lim in enumerate(limits)):
            taken = (1, counted, produced)
            level = [current[d] - taken[d] * NS_PER_MINUTE for d in range(3)]
            ok[n] = 1.0
        else:
            level = current
        last = max(last, now)
    return ok, never
