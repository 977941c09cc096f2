"""`billbot sandbox run NAME --engine fast`: a scenario through the fast engine, summarised in the exact
engine's `Summary`, so the two engines' JSON compare field by field."""

from __future__ import annotations

from decimal import Decimal

from sandbox.fast.cells import replay_cells
from sandbox.fast.engine import RunResult, simulate
from sandbox.fast.plan import account_from_scenario
from sandbox.pricing import PriceList
from sandbox.scenario import Scenario
from sandbox.simulate import REJECTION_REASONS, Summary

_MICRO = Decimal("0.000001")

# Incident faults only the exact engine stages (the watch's test incidents): the fast engine replays a
# scenario's base traffic and does not model them, so it refuses such a scenario instead of answering wrong.
EXACT_ONLY_FAULTS = ("duplicate_charges", "surges", "cache_storms", "model_switches", "runaway_reloads")


class NotModelled(ValueError):
    """The scenario stages something only the exact engine models."""


def exact_only_faults(scenario: Scenario) -> list[str]:
    """The scenario's fault lists that the fast engine does not model (empty: it can replay it)."""
    return [name for name in EXACT_ONLY_FAULTS if getattr(scenario.faults, name)]


def usd(amount: float) -> Decimal:
    """A float dollar amount from the engine as Decimal, to the micro-dollar."""
    return Decimal(repr(amount)).quantize(_MICRO)


def run_scenario_fast(
    scenario: Scenario, *, seed: int = 0, days: int | None = None, prices: PriceList | None = None
) -> Summary:
    """Replay the scenario's own traffic (the exact engine's draws for `seed`) through the fast engine."""
    if unmodelled := exact_only_faults(scenario):
        raise NotModelled(
            f"scenario {scenario.name!r} stages {', '.join(unmodelled)}, which only the exact engine models"
            " (run it without --engine fast)"
        )
    prices = prices or PriceList.default()
    length = days if days is not None else scenario.days
    account = account_from_scenario(scenario)
    cells = replay_cells(scenario, account, seed=seed, days=length, prices=prices)
    return summary_of(simulate(cells, account, seed=seed), scenario.name, seed, length)


def summary_of(run: RunResult, name: str, seed: int, days: int) -> Summary:
    """A run in the exact engine's summary shape (counts rounded to whole requests)."""
    return Summary(
        scenario=name,
        seed=seed,
        days=days,
        start_ns=run.start_ns,
        end_ns=run.end_ns,
        total_cost=usd(run.total_cost),
        balance=usd(run.balance_end),
        served=round(run.served),
        rejected={reason: round(run.rejected[reason]) for reason in REJECTION_REASONS},
        reloads_succeeded=sum(1 for r in run.reloads if r.status != "declined"),
        reloads_declined=sum(1 for r in run.reloads if r.status == "declined"),
        reloads_clawed_back=run.clawed_back,
        lots_expired=run.lots_expired,
        first_exhaustion_ns=run.first_exhaustion_ns,
        charged_twice=round(run.charged_twice),
        overcharged=usd(run.overcharged),
    )
