"""Failure modes that hurt real teams, injected deterministically.

Each fault is either a time window (`[start, end)` in simulated nanoseconds) or a probability drawn from
the fault set's own seeded generator, so a run is reproducible from its seed.

Rules:
- Windows are half-open: a request at `start` is affected, one at `end` is not.
- `on_hold` is a trust-and-safety hold (400 with `error_code: organization_on_hold`); `disabled` is an
  organisation disabled for any other reason, such as billing (the same 400 without the code).
- An outage takes the whole API down (500 `api_error` before authentication); it is what SLA accounting
  counts as downtime. Overload (529) is decided last in the admission order, after rate limits.
- A duplicate charge bills one served request twice (ledger and cost report) while usage records it once,
  which is what reconciliation must find.
- An interrupted stream bills the output produced before the interruption, and only that.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open interval of simulated time."""

    start_ns: int
    end_ns: int

    def __post_init__(self) -> None:
        if self.end_ns <= self.start_ns:
            raise ValueError(f"window must end after it starts: [{self.start_ns}, {self.end_ns})")

    def contains(self, now_ns: int) -> bool:
        """Whether `now_ns` falls inside the window."""
        return self.start_ns <= now_ns < self.end_ns


def _in_any(windows: list[Window], now_ns: int) -> bool:
    # A plain loop, not `any(<generator>)`: a scenario with an outage checks it on every request, and
    # creating the generator cost more than the comparisons.
    for window in windows:  # noqa: SIM110 (see above)
        if window.start_ns <= now_ns < window.end_ns:
            return True
    return False


def _check_probability(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be within [0, 1], got {value}")


@dataclass(slots=True)
class Faults:
    """The fault plan of one world."""

    seed: int = 0
    overload_probability: float = 0.0
    overload_windows: list[Window] = field(default_factory=list)
    outage_windows: list[Window] = field(default_factory=list)
    on_hold: bool = False
    disabled: bool = False  # disabled for another reason (billing): the same 400 without the error code
    duplicate_charge_probability: float = 0.0
    duplicate_charge_windows: list[Window] = field(default_factory=list)
    interrupt_probability: float = 0.0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        _check_probability("overload_probability", self.overload_probability)
        _check_probability("duplicate_charge_probability", self.duplicate_charge_probability)
        _check_probability("interrupt_probability", self.interrupt_probability)
        self._rng = random.Random(self.seed)

    def in_outage(self, now_ns: int) -> bool:
        """Whether the API is down at `now_ns`."""
        # `_in_any`, inlined: every request asks this first, and scenarios with an outage have windows.
        for window in self.outage_windows:  # noqa: SIM110 (see `_in_any`)
            if window.start_ns <= now_ns < window.end_ns:
                return True
        return False

    def overloaded(self, now_ns: int) -> bool:
        """Whether this request meets an overloaded API (529)."""
        if self.overload_windows and _in_any(self.overload_windows, now_ns):
            return True
        return self.overload_probability > 0.0 and self._rng.random() < self.overload_probability

    def duplicate_charge(self, now_ns: int) -> bool:
        """Whether the billing bug charges this served request twice."""
        if self.duplicate_charge_windows and _in_any(self.duplicate_charge_windows, now_ns):
            return True
        return (
            self.duplicate_charge_probability > 0.0 and self._rng.random() < self.duplicate_charge_probability
        )

    def interruption(self, output_tokens: int) -> int | None:
        """Tokens produced before a stream breaks, or None when it completes."""
        if self.interrupt_probability <= 0.0 or output_tokens == 0:
            return None
        if self._rng.random() >= self.interrupt_probability:
            return None
        return self._rng.randrange(output_tokens)

    def downtime_ns(self, start_ns: int, end_ns: int) -> int:
        """Outage time inside `[start_ns, end_ns)`, for uptime and SLA credits (overlaps counted once)."""
        total, covered_until = 0, start_ns
        for window in sorted(self.outage_windows, key=lambda w: w.start_ns):
            lo, hi = max(covered_until, window.start_ns), min(end_ns, window.end_ns)
            if hi > lo:
                total += hi - lo
                covered_until = hi
        return total
