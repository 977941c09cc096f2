"""Monte Carlo over a traffic plan: deterministic for a seed, centred on what the replay gives."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from sandbox.fast.montecarlo import monte_carlo, percentiles
from sandbox.fast.plan import account_from_scenario
from sandbox.fast.scenario_plan import clipped_lognormal_mean, plan_from_scenario
from sandbox.fast.summary import run_scenario_fast
from sandbox.scenario import load_scenario


def _runs(name: str, runs: int, seed: int, sigma: float = 0.0) -> list[float]:
    scenario = load_scenario(name)
    plan = plan_from_scenario(scenario, daily_sigma=sigma)
    return [r.total_cost for r in monte_carlo(plan, account_from_scenario(scenario), runs=runs, seed=seed)]


def test_the_same_seed_gives_the_same_runs_and_another_seed_others() -> None:
    assert _runs("overcharge", 5, seed=3, sigma=0.2) == _runs("overcharge", 5, seed=3, sigma=0.2)
    assert _runs("overcharge", 5, seed=3, sigma=0.2) != _runs("overcharge", 5, seed=4, sigma=0.2)


def test_run_r_does_not_depend_on_how_many_runs_there_are() -> None:
    assert _runs("overcharge", 2, seed=1, sigma=0.2) == _runs("overcharge", 6, seed=1, sigma=0.2)[:2]


def test_the_median_run_lands_near_the_scenario_s_own_history() -> None:
    for name in ("overcharge", "spend-cap", "reload-declined"):
        replay = run_scenario_fast(load_scenario(name), seed=0).total_cost
        p10, p50, p90 = percentiles(_runs(name, 15, seed=2))
        assert abs(p50 - float(replay)) <= 0.03 * float(replay), name
        assert p10 <= p50 <= p90


def test_day_to_day_variation_widens_the_band() -> None:
    narrow = percentiles(_runs("overcharge", 30, seed=5, sigma=0.0))
    wide = percentiles(_runs("overcharge", 30, seed=5, sigma=0.3))
    assert wide[2] - wide[0] > 2 * (narrow[2] - narrow[0])


def test_a_spend_cap_binds_in_every_run_and_is_reported_with_its_moment() -> None:
    scenario = load_scenario("spend-cap")
    plan = plan_from_scenario(scenario)
    for run in monte_carlo(plan, account_from_scenario(scenario), runs=3, seed=0):
        assert abs(Decimal(repr(run.total_cost)) - Decimal(500)) < Decimal("0.5")
        assert run.rejected["tier_cap"] > 0 and run.failed_for_money_or_limits
        assert [hit.what for hit in run.hits] == ["workspace_spend_limit:Experiments", "tier_cap"]


def test_clipped_output_mean_matches_sampling() -> None:
    rng = np.random.default_rng(0)
    draws = np.minimum(400 * rng.lognormal(0, 0.8, 400_000), 500)
    assert abs(clipped_lognormal_mean(400, 0.8, 500) - draws.mean()) < 1.0
