"""The world a sandbox server serves: built from a scenario's history, then run on a serving clock.

A served sandbox first replays its scenario's days through the exact engine (so reports have history),
then switches the world to the serving clock: real time times `speed` from the end of that history, or,
with speed 0, a frozen clock that moves only when `/sandbox/v1/clock` says so (deterministic tests).
The history ends where the scenario file says, or, with `end`, at that instant (the scenario shifted
so its last day is `end`'s day up to `end`; see `sandbox.history`). A reset replays it the same way.
Keys named on the command line are added to the organisation so clients can use exactly those.
Once served, the world sends no traffic of its own: its clients are its traffic, except for the spikes
staged at run time on a frozen clock (`sandbox.api.control.spikes`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.api.admin.analytics.options import AnalyticsOptions
from sandbox.build import Simulation
from sandbox.clock import Clock, RealtimeClock, to_datetime
from sandbox.gc_tuning import release_frozen
from sandbox.history import run_history
from sandbox.org import ApiKey, IdFactory
from sandbox.scenario import load_scenario
from sandbox.traffic import Surge
from sandbox.world import World

CLI_KEY_NAME = "sandbox serve --api-key"


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """What `billbot sandbox serve` was asked for.

    `end` (aware) makes the history end at that instant. `tune_gc` pauses the cyclic garbage collector
    while a world is built and freezes what was built (`sandbox.gc_tuning`): for a process that is
    only a sandbox; off, the process's collector is left exactly as it was. `analytics` says how the
    Usage and Cost Analytics API answers (`sandbox.api.admin.analytics.options`).
    """

    scenario: str = "demo"
    seed: int = 0
    speed: float = 1.0
    admin_keys: tuple[str, ...] = ()
    api_keys: tuple[str, ...] = ()
    end: datetime | None = None
    tune_gc: bool = False
    analytics: AnalyticsOptions = field(default_factory=AnalyticsOptions)

    def __post_init__(self) -> None:
        if self.end is not None and self.end.tzinfo is None:
            raise ValueError(f"naive end {self.end.isoformat()}: give the instant in UTC")


class SandboxState:
    """The served world and its options; `reset` swaps in a freshly built world atomically."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self._lock = threading.Lock()
        self.scenario_name = options.scenario
        self.seed = options.seed
        self.simulation = self._build(options.scenario, options.seed)
        # Per-world state other modules attach (e.g. the prompt cache), dropped on reset.
        self.extras: dict[str, Any] = {}
        # Traffic spikes staged at run time (`sandbox.api.control.spikes`), dropped on reset.
        self.spikes: list[Surge] = []

    @property
    def world(self) -> World:
        """The world requests are decided against right now."""
        return self.simulation.world

    @property
    def clock(self) -> Clock:
        """The serving clock."""
        return self.simulation.world.clock

    def reset(self, scenario: str, seed: int) -> None:
        """Rebuild from a scenario (name or file) and seed; the old world is discarded."""
        simulation = self._build(scenario, seed)
        with self._lock:
            self.simulation, self.scenario_name, self.seed = simulation, scenario, seed
            self.extras = {}
            self.spikes = []
        if self.options.tune_gc:
            release_frozen()  # the old world's objects were frozen out of the collector when built

    def admin_keys(self) -> list[str]:
        """Every Admin API key the organisation accepts."""
        return sorted(self.world.org.admin_keys)

    def api_keys(self) -> list[ApiKey]:
        """Every active Messages API key."""
        return [key for key in self.world.org.api_keys.values() if key.status == "active"]

    def _build(self, scenario_ref: str, seed: int) -> Simulation:
        options = self.options
        scenario = load_scenario(scenario_ref)
        simulation = run_history(scenario, seed=seed, end=options.end, tune_gc=options.tune_gc)
        world = simulation.world
        if options.speed > 0:
            end = to_datetime(simulation.clock.now_ns())
            world.clock = RealtimeClock(start=end, speed=self.options.speed)
        self._add_cli_keys(world, seed)
        return simulation

    def _add_cli_keys(self, world: World, seed: int) -> None:
        org = world.org
        org.admin_keys.update(self.options.admin_keys)
        ids = IdFactory(seed + 7919)  # its own stream: scenario ids stay what the scenario made
        creator = next(iter(org.users), "")
        now = world.clock.now_ns()
        for secret in self.options.api_keys:
            if org.key_for_secret(secret) is None:
                org.add_key(ApiKey(ids.make("apikey"), CLI_KEY_NAME, secret, None, now, creator))
