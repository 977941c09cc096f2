"""Building a served world leaves the process's garbage collector alone unless the sandbox opts in."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.api.state import SandboxState, ServeOptions
from sandbox.scenario import load_scenario
from sandbox.simulate import run_scenario


@pytest.fixture
def collector() -> Iterator[tuple[int, int, int]]:
    """The collector's thresholds before the test; whatever the test froze is handed back after it."""
    assert gc.isenabled() and gc.get_freeze_count() == 0, "an earlier test left the collector tuned"
    try:
        yield gc.get_threshold()
    finally:
        gc.unfreeze()


def test_building_the_demo_leaves_the_collector_as_it_was(collector: tuple[int, int, int]) -> None:
    state = SandboxState(ServeOptions("demo", speed=0))
    assert state.world.records.requests, "the demo was built"
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == collector


def test_a_scenario_run_leaves_the_collector_as_it_was(collector: tuple[int, int, int]) -> None:
    run_scenario(load_scenario("reload-declined"), seed=1, days=1)
    assert gc.isenabled() and gc.get_freeze_count() == 0 and gc.get_threshold() == collector


def test_a_sandbox_that_opts_in_freezes_its_world_and_releases_it_on_reset(
    collector: tuple[int, int, int], small_scenario: Path
) -> None:
    state = SandboxState(ServeOptions(str(small_scenario), speed=0, tune_gc=True))
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    state.reset(str(small_scenario), seed=2)
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == collector
