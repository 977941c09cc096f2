"""The fast engine against the exact one: every built-in scenario and files written here, field by field.

Within 2% on total cost, requests served and requests rejected for each cause, within one on reload
counts (docs/WHATIF.md has the table).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sandbox.fast.summary import NotModelled, exact_only_faults, run_scenario_fast
from sandbox.scenario import Scenario, builtin_names, load_scenario, parse_scenario
from sandbox.simulate import REJECTION_REASONS, run_scenario
from tests.sandbox.fast.scenarios import WRITTEN_HERE


def _close(exact: float, fast: float, share: float = 0.02) -> bool:
    return abs(exact - fast) <= share * abs(exact) or exact == fast


def assert_agree(scenario: Scenario, seed: int) -> None:
    """The fast summary is within the promised tolerances of the exact one."""
    exact: dict[str, Any] = run_scenario(scenario, seed=seed).to_dict()
    fast: dict[str, Any] = run_scenario_fast(scenario, seed=seed).to_dict()
    where = f"{scenario.name} seed {seed}"
    assert _close(float(Decimal(exact["total_cost_usd"])), float(Decimal(fast["total_cost_usd"]))), where
    assert _close(exact["requests"]["served"], fast["requests"]["served"]), where
    for reason in REJECTION_REASONS:
        assert _close(exact["requests"]["rejected"][reason], fast["requests"]["rejected"][reason]), (
            where,
            reason,
        )
    for outcome in ("succeeded", "declined", "clawed_back"):
        assert abs(exact["reloads"][outcome] - fast["reloads"][outcome]) <= 1, (where, outcome)
    assert fast["start"] == exact["start"] and fast["end"] == exact["end"]


REPLAYABLE = [name for name in builtin_names() if not exact_only_faults(load_scenario(name))]
INCIDENTS = sorted(set(builtin_names()) - set(REPLAYABLE))


@pytest.mark.parametrize("name", REPLAYABLE)
def test_every_built_in_scenario_agrees(name: str) -> None:
    assert_agree(load_scenario(name), seed=0)


@pytest.mark.parametrize("name", INCIDENTS)
def test_the_fast_engine_refuses_the_incidents_only_the_exact_engine_stages(name: str) -> None:
    with pytest.raises(NotModelled, match="only the exact engine"):
        run_scenario_fast(load_scenario(name), seed=0)


def test_most_built_in_scenarios_are_replayable() -> None:
    assert len(REPLAYABLE) >= 6 and {"cache-storm", "model-switch", "runaway-reload"} <= set(INCIDENTS)


@pytest.mark.parametrize("name", sorted(WRITTEN_HERE))
@pytest.mark.parametrize("seed", [0, 1])
def test_scenario_files_the_engine_has_not_seen_agree(name: str, seed: int) -> None:
    assert_agree(parse_scenario(WRITTEN_HERE[name], source=f"{name}.toml"), seed=seed)


def test_a_replayed_scenario_meets_its_limits_at_the_same_moments() -> None:
    scenario = load_scenario("credit-exhaustion")
    exact = run_scenario(scenario, seed=3)
    fast = run_scenario_fast(scenario, seed=3)
    assert fast.first_exhaustion_ns == exact.first_exhaustion_ns
    assert fast.served == exact.served
