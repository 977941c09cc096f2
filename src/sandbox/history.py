"""A scenario's history through the exact engine: over its own dates, or shifted to end at an instant.

Everything in a scenario is relative to its `start` (opening lots, top-ups, fault windows, spikes,
payment scripts and the reaction to a declined card), so replaying it from another start moves all
of it together. To end at `end`: start at midnight UTC of `end`'s day minus the scenario's days, run
those whole days, then the traffic of `end`'s own day at or before `end` (later calls are never
sent), and stop the clock at `end`. The same scenario, seed and `end` give the same world.

The process's garbage collector is left alone unless the caller opts in with `tune_gc`
(see `sandbox.gc_tuning`).
"""

from __future__ import annotations

from datetime import datetime

from sandbox.build import Simulation, build_simulation
from sandbox.clock import NS_PER_DAY, to_datetime, to_ns
from sandbox.gc_tuning import paused_if
from sandbox.scenario import Scenario


def start_for_end(scenario: Scenario, end: datetime) -> datetime:
    """Where a replay of `scenario` that ends at `end` starts: `scenario.days` before `end`'s UTC midnight."""
    end_ns = to_ns(end)
    return to_datetime(end_ns - end_ns % NS_PER_DAY - scenario.days * NS_PER_DAY)


def run_history(
    scenario: Scenario, *, seed: int = 0, end: datetime | None = None, tune_gc: bool = False
) -> Simulation:
    """Build `scenario`'s world and run its days; with `end` (aware), shifted to end exactly at `end`."""
    if end is not None:
        scenario = scenario.replayed_at(start_for_end(scenario, end))
    with paused_if(tune_gc):
        simulation = build_simulation(scenario, seed=seed)
        simulation.run(scenario.days)
        if end is not None:
            _run_day_until(simulation, to_ns(end))
    return simulation


def _run_day_until(simulation: Simulation, end_ns: int) -> None:
    # The scenario's next day, cut at `end`: a prefix of what a later `end` that day would send.
    today = simulation.traffic.day(simulation.days_run)
    simulation.send(call for call in today if call.at_ns <= end_ns)
    simulation.clock.advance_to(end_ns)
