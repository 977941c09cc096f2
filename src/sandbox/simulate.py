"""Run a scenario through the exact per-request engine and summarise what happened.

The run is deterministic for a seed: traffic, payments, faults and ids all come from generators
derived from it, and the summary is rendered with sorted keys, so the same seed gives byte-identical
output.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sandbox.build import Simulation, build_simulation
from sandbox.clock import rfc3339
from sandbox.money import display
from sandbox.scenario import Scenario

REJECTION_REASONS = (
    "credit",
    "spend_limit",
    "workspace_spend_limit",
    "tier_cap",
    "rate_limit",
    "rate_limit_permanent",
    "overload",
    "outage",
    "on_hold",
    "disabled",
    "auth",
    "not_found",
    "invalid_request",
)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a scenario run produced, in the terms a billing owner cares about."""

    scenario: str
    seed: int
    days: int
    start_ns: int
    end_ns: int
    total_cost: Decimal
    balance: Decimal
    served: int
    rejected: dict[str, int]
    reloads_succeeded: int
    reloads_declined: int
    reloads_clawed_back: int
    lots_expired: int
    first_exhaustion_ns: int | None
    charged_twice: int = 0
    overcharged: Decimal = Decimal(0)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `billbot sandbox run --json`."""
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "days": self.days,
            "start": rfc3339(self.start_ns),
            "end": rfc3339(self.end_ns),
            "total_cost_usd": str(self.total_cost),
            "balance_usd": str(self.balance),
            "requests": {
                "total": self.served + sum(self.rejected.values()),
                "served": self.served,
                "rejected": self.rejected,
            },
            "reloads": {
                "succeeded": self.reloads_succeeded,
                "declined": self.reloads_declined,
                "clawed_back": self.reloads_clawed_back,
            },
            "lots_expired": self.lots_expired,
            "duplicate_charges": {
                "requests": self.charged_twice,
                "overcharged_usd": str(self.overcharged),
            },
            "first_exhaustion_at": None
            if self.first_exhaustion_ns is None
            else rfc3339(self.first_exhaustion_ns),
        }

    def to_json(self) -> str:
        """Stable JSON: sorted keys, so equal runs are byte-identical."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    def to_text(self) -> str:
        """A short human summary."""
        lines = [
            f"scenario {self.scenario} · seed {self.seed} · {self.days} days "
            f"({rfc3339(self.start_ns)[:10]} to {rfc3339(self.end_ns)[:10]}) · simulated",
            f"cost        {display(self.total_cost)}   balance at end {display(self.balance)}",
            f"requests    {self.served:,} served, {sum(self.rejected.values()):,} rejected",
        ]
        lines += [f"  {reason:<22}{count:,}" for reason, count in self.rejected.items() if count]
        lines.append(
            f"reloads     {self.reloads_succeeded} succeeded, {self.reloads_declined} declined, "
            f"{self.reloads_clawed_back} clawed back"
        )
        lines.append(f"lots expired {self.lots_expired}")
        if self.charged_twice:
            lines.append(
                f"billed twice {self.charged_twice:,} requests, {display(self.overcharged)} overcharged"
            )
        if self.first_exhaustion_ns is not None:
            lines.append(f"credit first exhausted at {rfc3339(self.first_exhaustion_ns)}")
        return "\n".join(lines)


def run_scenario(
    scenario: Scenario,
    *,
    seed: int = 0,
    days: int | None = None,
    on_day: Callable[[int], None] | None = None,
    tune_gc: bool = False,
) -> Summary:
    """Simulate `days` (default: the scenario's own length) and summarise; `on_day` reports progress.

    `tune_gc` pauses the garbage collector during the run (`sandbox.gc_tuning`); leave it off in a
    process that does more than simulate.
    """
    simulation = build_simulation(scenario, seed=seed)
    simulation.run(days if days is not None else scenario.days, on_day, tune_gc=tune_gc)
    return summarise(simulation, scenario.name, seed)


def summarise(simulation: Simulation, name: str, seed: int) -> Summary:
    """Read a finished simulation into a summary."""
    world = simulation.world
    now = world.clock.now_ns()
    counts = world.counts
    attempts = world.reload.attempts
    twice = [outcome for outcome in world.records.requests if outcome.times_charged > 1]
    return Summary(
        scenario=name,
        seed=seed,
        days=simulation.days_run,
        start_ns=simulation.start_ns,
        end_ns=now,
        total_cost=world.records.total_cost(),
        balance=world.ledger.balance(now),
        served=counts["served"],
        rejected={reason: counts[reason] for reason in REJECTION_REASONS},
        reloads_succeeded=sum(1 for a in attempts if a.succeeded),
        reloads_declined=sum(1 for a in attempts if not a.succeeded),
        reloads_clawed_back=sum(1 for a in attempts if a.clawed_back),
        lots_expired=world.ledger.expired_lot_count(now),
        first_exhaustion_ns=world.first_exhaustion_ns,
        charged_twice=len(twice),
        # Each such request's cost is the doubled amount; half of it was never owed.
        overcharged=sum((outcome.cost / 2 for outcome in twice), Decimal(0)),
    )
