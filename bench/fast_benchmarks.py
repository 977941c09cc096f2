"""Benchmarks of the fast engine: a 30-day run of a 100 requests/second organisation, and 1,000 of them.

The organisation: Custom tier (no monthly cap: it spends millions), three models in three workspaces,
a working-hours shape with quieter weekends, 10% day-to-day variation, prepaid credit with
auto-reload. 100 requests/second is 259M requests in 30 days: the exact engine would take hours;
the fast engine steps its 43,200 minutes.
Registered by bench/run.py; bounded: one run, then one Monte Carlo of 1,000 runs.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sandbox.fast.plan import AccountPlan, TrafficPlan

REQUESTS_PER_SECOND = 100
DAYS = 30
RUNS = 1000
REPEATS = 3


def _organisation() -> tuple[TrafficPlan, AccountPlan]:
    from sandbox.clock import to_ns
    from sandbox.fast.plan import AccountPlan, Lane, LotPlan, ReloadPlan, TrafficPlan

    start = datetime(2026, 11, 1, tzinfo=UTC)
    minutes = DAYS * 1440
    hour = (np.arange(minutes) // 60) % 24
    weekday = ((np.arange(minutes) // 1440) + start.weekday()) % 7
    shape = np.where((hour >= 8) & (hour < 20), 1.5, 0.5) * np.where(weekday >= 5, 0.5, 1.0)
    per_minute = REQUESTS_PER_SECOND * 60 * shape / shape.mean()
    mix = (
        ("claude-sonnet-5", 0.55, 2500, 400),
        ("claude-haiku-4-5", 0.30, 1200, 200),
        ("claude-opus-5", 0.15, 6000, 700),
    )
    lanes = tuple(
        Lane(model, workspace, prompt * 0.5, prompt * 0.1, 0.0, prompt * 0.4, output, batch_share=0.05,
             per_minute=per_minute * share / 3)
        for model, share, prompt, output in mix
        for workspace in ("Production", "Research", "Support")
    )  # fmt: skip
    plan = TrafficPlan(to_ns(start), minutes, lanes, daily_sigma=0.1)
    account = AccountPlan(
        tier="Custom",
        lots=(LotPlan(Decimal(500_000), to_ns(start) - 86_400 * 10**9),),
        reload=ReloadPlan(Decimal(200_000), Decimal(1_000_000)),
    )
    return plan, account


def fast_run_30d() -> dict[str, float]:
    """One 30-day run of the 100 requests/second organisation (compiling the plan included)."""
    from sandbox.fast.montecarlo import monte_carlo

    plan, account = _organisation()
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        (result,) = monte_carlo(plan, account, runs=1, seed=1)
        timings.append(time.perf_counter() - started)
    return {"seconds": min(timings), "requests": result.served + sum(result.rejected.values())}


def fast_monte_carlo_1000() -> dict[str, float]:
    """1,000 Monte Carlo runs of the same organisation, on one core."""
    from sandbox.fast.montecarlo import monte_carlo, percentiles

    plan, account = _organisation()
    started = time.perf_counter()
    results = monte_carlo(plan, account, runs=RUNS, seed=1)
    seconds = time.perf_counter() - started
    _, p50, p90 = percentiles([r.total_cost for r in results])
    return {
        "runs": RUNS,
        "seconds": seconds,
        "ms_per_run": 1000 * seconds / RUNS,
        "p50_usd": p50,
        "p90_usd": p90,
    }
