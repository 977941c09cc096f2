"""A scenario's history shifted to end at a given instant: everything moves together, deterministically."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, to_ns
from sandbox.history import run_history, start_for_end
from sandbox.scenario import Scenario, parse_scenario
from sandbox.simulate import summarise

# Three days with something at every kind of scenario-relative time: lots, a top-up, fault windows,
# a duplicate-charge day, a spike, and a declined auto-reload that the team answers by hand.
SHIFTED = """
name = "shifted"
start = 2026-11-10T00:00:00Z
days = 3
[org]
name = "shifted"
tier = "Build"
workspaces = [{ name = "Apps", keys = 2 }]
[credits]
lots = [{ amount = "40", day = -30 }, { amount = "5", day = 0.5, kind = "promotional" }]
topups = [{ amount = "25", day = 1.5 }]
[auto_reload]
minimum = "20"
target = "60"
payment = "scripted"
script = ["decline"]
after_decline = { delay_hours = 5, amount = "30" }
[traffic]
requests_per_day = 2000
models = [{ model = "claude-sonnet-5", share = 1.0, input_median = 3000, output_median = 300 }]
spikes = [{ day = 1, start_hour = 9, hours = 2, factor = 3.0 }]
[faults]
overload_windows = [{ day = 1, hours = 2 }]
outages = [{ day = 2.25, hours = 1 }]
duplicate_charge_days = [2]
"""

END = datetime(2026, 12, 5, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return parse_scenario(SHIFTED, source="shifted.toml")


def test_the_history_starts_its_days_before_the_end_days_midnight(scenario: Scenario) -> None:
    assert start_for_end(scenario, END) == datetime(2026, 12, 2, tzinfo=UTC)
    assert start_for_end(scenario, datetime(2026, 12, 5, tzinfo=UTC)) == datetime(2026, 12, 2, tzinfo=UTC)


def test_the_history_ends_exactly_at_the_end_with_that_days_calls_up_to_it(scenario: Scenario) -> None:
    simulation = run_history(scenario, seed=3, end=END)
    requests = simulation.world.records.requests
    assert simulation.clock.now() == END
    assert max(r.at_ns for r in requests) <= to_ns(END)
    midnight = to_ns(datetime(2026, 12, 5, tzinfo=UTC))
    assert any(r.at_ns >= midnight for r in requests)  # the morning of the end's day was sent
    assert min(r.at_ns for r in requests) >= to_ns(datetime(2026, 12, 2, tzinfo=UTC))


def test_lots_top_ups_faults_and_reactions_move_with_the_start(scenario: Scenario) -> None:
    world = run_history(scenario, seed=3, end=END).world
    start = to_ns(datetime(2026, 12, 2, tzinfo=UTC))
    journal = {entry.key: entry for entry in world.ledger.journal}
    assert journal["opening-lot-0"].at_ns == start - 30 * NS_PER_DAY
    assert journal["opening-lot-1"].at_ns == start + NS_PER_DAY // 2
    assert journal["scheduled-topup-0"].at_ns == start + 3 * NS_PER_DAY // 2
    assert [(w.start_ns, w.end_ns) for w in world.faults.overload_windows] == [
        (start + NS_PER_DAY, start + NS_PER_DAY + 2 * NS_PER_HOUR)
    ]
    assert [(w.start_ns, w.end_ns) for w in world.faults.outage_windows] == [
        (start + 9 * NS_PER_DAY // 4, start + 9 * NS_PER_DAY // 4 + NS_PER_HOUR)
    ]
    declined = [attempt for attempt in world.reload.attempts if not attempt.succeeded]
    assert declined, "the scripted decline happened in the shifted history"
    manual = journal["manual-topup-after-decline-1"]
    assert manual.at_ns == declined[0].at_ns + 5 * NS_PER_HOUR
    assert manual.at_ns >= start


def test_the_same_end_and_seed_give_the_same_world_twice(scenario: Scenario) -> None:
    first, second = (run_history(scenario, seed=5, end=END) for _ in range(2))
    assert summarise(first, "shifted", 5).to_json() == summarise(second, "shifted", 5).to_json()
    assert first.world.ledger.journal == second.world.ledger.journal
    assert first.world.records.requests == second.world.records.requests


def test_an_earlier_end_the_same_day_is_a_prefix_of_a_later_one(scenario: Scenario) -> None:
    early = run_history(scenario, seed=5, end=END).world.records.requests
    late = run_history(scenario, seed=5, end=END + timedelta(hours=6)).world.records.requests
    assert len(late) > len(early)
    assert late[: len(early)] == early
    assert all(r.at_ns > to_ns(END) for r in late[len(early) :])


def test_ending_at_the_scenarios_own_end_replays_it_unchanged(scenario: Scenario) -> None:
    own_end = scenario.start + timedelta(days=scenario.days)
    shifted = run_history(scenario, seed=2, end=own_end)
    plain = run_history(scenario, seed=2)
    assert summarise(shifted, "s", 2).to_json() == summarise(plain, "s", 2).to_json()
    assert shifted.world.ledger.journal == plain.world.ledger.journal


def test_a_naive_start_is_refused(scenario: Scenario) -> None:
    with pytest.raises(ValueError, match="naive"):
        scenario.replayed_at(datetime(2026, 12, 1))
