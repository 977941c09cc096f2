"""Monte Carlo over a traffic plan: many runs, each with its own draws, deterministic for a seed.

Run r draws its traffic from `default_rng([seed, r])` and its payments from `seed·1,000,003 + r`,
so run r is the same whatever the number of runs, and the same seed gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sandbox.fast.aggregate import CompiledPlan, compile_plan, sample_counts
from sandbox.fast.engine import RunResult
from sandbox.fast.grid import GridContext, simulate_grid
from sandbox.fast.plan import AccountPlan, TrafficPlan
from sandbox.pricing import PriceList


def monte_carlo(
    plan: TrafficPlan,
    account: AccountPlan,
    *,
    runs: int,
    seed: int,
    checkpoints: np.ndarray | None = None,
    prices: PriceList | None = None,
    on_run: Callable[[int], None] | None = None,
) -> list[RunResult]:
    """`runs` independent runs of the plan over the account; `checkpoints` are instants for spend curves."""
    compiled = compile_plan(plan, account, prices or PriceList.default())
    context = GridContext.build(compiled, account)
    return [_run(compiled, context, account, seed, run, checkpoints, on_run) for run in range(runs)]


def _run(
    compiled: CompiledPlan,
    context: GridContext,
    account: AccountPlan,
    seed: int,
    run: int,
    checkpoints: np.ndarray | None,
    on_run: Callable[[int], None] | None,
) -> RunResult:
    counts, days = sample_counts(compiled, np.random.default_rng([seed, run]))
    result = simulate_grid(
        compiled,
        counts,
        account,
        context=context,
        day_factors=days,
        seed=seed * 1_000_003 + run,
        checkpoints=checkpoints,
    )
    if on_run is not None:
        on_run(run + 1)
    return result


def percentiles(values: np.ndarray | list[float]) -> tuple[float, float, float]:
    """P10, P50 and P90 (linear interpolation) of the runs' values."""
    p10, p50, p90 = np.percentile(np.asarray(values, dtype=np.float64), [10, 50, 90])
    return float(p10), float(p50), float(p90)
