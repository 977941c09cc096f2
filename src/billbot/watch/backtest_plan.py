"""What the backtest replays: clean demo runs, demo runs with staged incidents, and billing-bug runs.

- clean: the built-in 90-day `demo` (its own day-22 spike and outage are labelled incidents too).
- incidents: the demo's first 63 days with, after four weeks of history, a spike on one key (a
  Wednesday), a cache-miss storm (Friday), a silent model switch (Monday), a runaway reload loop
  (Thursday) and a slow creep (a ramp over ten days), each at one of three sizes; the hour they
  start varies with the seed. Different weekdays, so no incident sits in another's seasonal baseline
  (the demo's own spike is on a Tuesday).
- reconciliation: three weeks of the demo at eight times its traffic (about $250 a day, so a
  seed-004-style $200 overcharge is possible), with a duplicate-charge burst on one day whose size
  is set to overcharge about $20, $50 or $200.
Sizes are relative to this organisation (about $1.50 an hour on average, $2–3 in working hours):
small is roughly one more organisation's worth of spend for the incident's hours, large five.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from billbot.watch.periods import BudgetPeriod
from billbot.watch.scope import ScopeKind
from sandbox.scenario import (
    DuplicateBurstSpec,
    ModelSwitchSpec,
    RunawayReloadSpec,
    Scenario,
    SurgeSpec,
    WindowSpec,
    load_scenario,
)

Family = Literal["clean", "incidents", "reconciliation"]
SIZES = ("small", "medium", "large")
INCIDENT_DAYS = 63
RECONCILIATION_DAYS = 21
KEY_SPIKE_FACTOR = {"small": 9.0, "medium": 17.0, "large": 40.0}
CACHE_STORM_HOURS = {"small": 2.0, "medium": 4.0, "large": 8.0}
SWITCH_TARGET = {"small": "claude-opus-5-5", "medium": "claude-opus-5", "large": "claude-fable-5-1"}
RUNAWAY_MINUTES = {"small": 30.0, "medium": 10.0, "large": 5.0}
RAMP_FACTOR = {"small": 1.6, "medium": 2.0, "large": 3.0}
OVERCHARGE_SHARE = {"small": 0.08, "medium": 0.2, "large": 0.8}  # of one day's spend: ~$20, $50, $200


@dataclass(frozen=True, slots=True)
class BudgetSpec:
    """A budget named by scope kind and name (ids exist only once the organisation is built)."""

    kind: ScopeKind
    name: str | None
    amount: Decimal
    period: BudgetPeriod


DEMO_BUDGETS = (
    BudgetSpec("organization", None, Decimal(1000), "month"),
    BudgetSpec("workspace", "Production", Decimal(250), "week"),
    BudgetSpec("api_key", "Production key 1", Decimal(10), "day"),
    BudgetSpec("model", "claude-opus-5", Decimal(300), "month"),
)


@dataclass(frozen=True, slots=True)
class RunPlan:
    """One replay: a scenario, its seed, its family and incident size, and the budgets to watch."""

    family: Family
    seed: int
    size: str
    scenario: Scenario
    budgets: tuple[BudgetSpec, ...] = DEMO_BUDGETS

    @property
    def name(self) -> str:
        """`clean seed 3`, `incidents medium seed 1`…"""
        size = f" {self.size}" if self.size else ""
        return f"{self.family}{size} seed {self.seed}"


def plans(seeds: tuple[int, ...], incident_seeds: tuple[int, ...]) -> list[RunPlan]:
    """Clean demo runs for `seeds`; incident and reconciliation runs at every size for `incident_seeds`."""
    demo = load_scenario("demo")
    found = [RunPlan("clean", seed, "", demo) for seed in seeds]
    for seed in incident_seeds:
        for size in SIZES:
            found.append(RunPlan("incidents", seed, size, incident_scenario(demo, size, seed)))
            found.append(RunPlan("reconciliation", seed, size, overcharge_scenario(demo, size, seed), ()))
    return found


def incident_scenario(demo: Scenario, size: str, seed: int) -> Scenario:
    """The demo's first nine weeks with five staged incidents of `size` (see the module docstring)."""
    rng = random.Random(f"{seed}:{size}")

    def at(day: int) -> float:
        # A working hour (09:00 to 15:59 UTC) that varies with the seed, to the minute.
        return day + (9 * 60 + rng.randrange(7 * 60)) / 1440

    faults = demo.faults.model_copy(
        update={
            "surges": [
                SurgeSpec(day=at(30), hours=3, factor=KEY_SPIKE_FACTOR[size], key="Production key 2"),
                SurgeSpec(day=46.0, hours=240, factor=RAMP_FACTOR[size], ramp=True),
            ],
            "cache_storms": [WindowSpec(day=at(32), hours=CACHE_STORM_HOURS[size])],
            "model_switches": [
                ModelSwitchSpec(day=at(35), hours=8, model="claude-sonnet-5", to=SWITCH_TARGET[size])
            ],
            "runaway_reloads": [RunawayReloadSpec(day=at(38), hours=3, every_minutes=RUNAWAY_MINUTES[size])],
        }
    )
    return demo.model_copy(update={"name": f"demo-incidents-{size}", "days": INCIDENT_DAYS, "faults": faults})


def overcharge_scenario(demo: Scenario, size: str, seed: int) -> Scenario:
    """Three weeks of the demo at 8× its traffic with a duplicate-charge burst on day 15."""
    rng = random.Random(f"overcharge:{seed}:{size}")
    traffic = demo.traffic.model_copy(update={"requests_per_day": demo.traffic.requests_per_day * 8})
    start = 15 + rng.randrange(6) / 24  # between 00:00 and 05:00, for eighteen hours
    faults = demo.faults.model_copy(
        update={"duplicate_charges": [DuplicateBurstSpec(day=start, hours=18, share=OVERCHARGE_SHARE[size])]}
    )
    update = {
        "name": f"demo-overcharge-{size}",
        "days": RECONCILIATION_DAYS,
        "traffic": traffic,
        "faults": faults,
    }
    return demo.model_copy(update=update)
