"""The simulation's call hooks: with none, or a transform that changes nothing, the history is the same."""

from __future__ import annotations

from sandbox.build import build_simulation
from sandbox.messages import Outcome
from sandbox.scenario import load_scenario
from sandbox.traffic import Call


def _log(transform: bool) -> list[tuple[int, int, str, str]]:
    simulation = build_simulation(load_scenario("credit-exhaustion"), seed=3)
    seen: list[Call] = []
    if transform:
        simulation.transform = lambda call: call
        simulation.observe = lambda call, outcome: seen.append(call)
    simulation.run(1)
    log = simulation.world.records.requests
    if transform:
        assert len(seen) == len(log)
    return [(o.at_ns, o.status, o.reason, o.request_id) for o in log]


def test_an_identity_transform_leaves_the_history_exactly_as_it_was() -> None:
    assert _log(transform=False) == _log(transform=True)


def test_a_transform_can_drop_or_change_calls_and_observe_sees_what_was_sent() -> None:
    simulation = build_simulation(load_scenario("rate-limit-storm"), seed=1)
    outcomes: list[tuple[Call, Outcome]] = []
    simulation.transform = lambda call: None if call.key_index == 0 else call._replace(service_tier="batch")
    simulation.observe = lambda call, outcome: outcomes.append((call, outcome))
    simulation.run_until(simulation.start_ns + 3_600_000_000_000)
    assert outcomes and all(call.key_index != 0 for call, _ in outcomes)
    assert all(outcome.status == 200 for _, outcome in outcomes)  # batch skips the 5-rpm limit
    assert len(simulation.world.records.requests) == len(outcomes)
