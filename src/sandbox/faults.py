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
- Incidents the watch must catch (each in its own window):
  - duplicate-charge bursts bill a share of the served requests twice (a partial billing bug, sized);
  - a cache-miss storm turns every cache read into a 5-minute cache write (reads collapse, writes soar);
  - a silent model switch serves and bills requests for one model as another (a repointed alias);
  - a runaway reload loop buys a reload every few minutes whatever the balance (the card is charged
    each time, as in the public report of 29 reloads in an afternoon).
  Each draws from its own seeded generator (or none), so adding one leaves the others' draws alone.
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


@dataclass(frozen=True, slots=True)
class DuplicateBurst:
    """A window in which each served request is billed twice with probability `share`."""

    window: Window
    share: float


@dataclass(frozen=True, slots=True)
class ModelSwitch:
    """A window in which requests for `from_model` are served and billed as `to_model` (canonical ids)."""

    window: Window
    from_model: str
    to_model: str


@dataclass(frozen=True, slots=True)
class RunawayReload:
    """A window in which auto-reload buys again every `every_ns`, whatever the balance."""

    window: Window
    every_ns: int

    def __post_init__(self) -> None:
        if self.every_ns <= 0:
            raise ValueError(f"a runaway reload needs a positive interval, got {self.every_ns}")


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
    duplicate_bursts: list[DuplicateBurst] = field(default_factory=list)
    cache_storm_windows: list[Window] = field(default_factory=list)
    model_switches: list[ModelSwitch] = field(default_factory=list)
    runaway_reloads: list[RunawayReload] = field(default_factory=list)
    _rng: random.Random = field(init=False, repr=False)
    _burst_rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        _check_probability("overload_probability", self.overload_probability)
        _check_probability("duplicate_charge_probability", self.duplicate_charge_probability)
        _check_probability("interrupt_probability", self.interrupt_probability)
        for burst in self.duplicate_bursts:
            _check_probability("duplicate burst share", burst.share)
        self._rng = random.Random(self.seed)
        self._burst_rng = random.Random(self.seed + 104_729)  # its own stream (see the module rules)

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
        if self.duplicate_bursts:
            for burst in self.duplicate_bursts:
                if burst.window.contains(now_ns):
                    return self._burst_rng.random() < burst.share
        return (
            self.duplicate_charge_probability > 0.0 and self._rng.random() < self.duplicate_charge_probability
        )

    def in_cache_storm(self, now_ns: int) -> bool:
        """Whether cache reads miss (and are written again) at `now_ns`."""
        return bool(self.cache_storm_windows) and _in_any(self.cache_storm_windows, now_ns)

    def switched_model(self, model_id: str, now_ns: int) -> str | None:
        """The model a request for `model_id` is silently served as at `now_ns`, or None."""
        for switch in self.model_switches:
            if switch.from_model == model_id and switch.window.contains(now_ns):
                return switch.to_model
        return None

    def runaway_reload_due(self, now_ns: int, last_ns: int | None) -> bool:
        """Whether the runaway loop buys again now, `last_ns` being its previous purchase."""
        for loop in self.runaway_reloads:
            if loop.window.contains(now_ns) and (
                last_ns is None or last_ns < loop.window.start_ns or now_ns - last_ns >= loop.every_ns
            ):
                return True
        return False

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
