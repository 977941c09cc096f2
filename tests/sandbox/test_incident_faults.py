"""Incident faults the watch must catch: each does what it says, only in its window, and is labelled."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.build import build_simulation
from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, NS_PER_MINUTE
from sandbox.faults import DuplicateBurst, Faults, ModelSwitch, RunawayReload, Window
from sandbox.incidents import scenario_incidents
from sandbox.scenario import ScenarioError, load_scenario, parse_scenario
from sandbox.simulate import run_scenario
from tests.sandbox.conftest import BASE, WorldFactory, request

CREDIT = '\n[credits]\nlots = [{ amount = "100", day = -1 }]\n'
SONNET_CALL = Decimal("0.003")  # 1,000 input + 100 output tokens at $2 / $10 per MTok
OPUS_CALL = Decimal("0.0075")  # the same at Opus 5's $5 / $25


def test_a_duplicate_burst_bills_about_its_share_and_is_reproducible() -> None:
    def draws(seed: int) -> list[bool]:
        faults = Faults(seed=seed, duplicate_bursts=[DuplicateBurst(Window(0, 100), 0.25)])
        return [faults.duplicate_charge(50) for _ in range(400)]

    assert draws(3) == draws(3)
    assert 60 < sum(draws(3)) < 140
    assert not Faults(duplicate_bursts=[DuplicateBurst(Window(0, 100), 1.0)]).duplicate_charge(100)


def test_a_burst_draws_leave_the_overload_draws_alone() -> None:
    plain = Faults(seed=5, overload_probability=0.5)
    bursty = Faults(seed=5, overload_probability=0.5, duplicate_bursts=[DuplicateBurst(Window(0, 10), 0.5)])
    seen = []
    for _ in range(50):
        bursty.duplicate_charge(5)
        seen.append((plain.overloaded(5), bursty.overloaded(5)))
    assert all(a == b for a, b in seen)


def test_model_switch_cache_storm_and_runaway_windows_are_half_open() -> None:
    faults = Faults(
        cache_storm_windows=[Window(100, 200)],
        model_switches=[ModelSwitch(Window(100, 200), "claude-sonnet-5", "claude-opus-5")],
        runaway_reloads=[RunawayReload(Window(100, 1000), every_ns=300)],
    )
    assert [faults.in_cache_storm(t) for t in (99, 100, 199, 200)] == [False, True, True, False]
    assert faults.switched_model("claude-sonnet-5", 150) == "claude-opus-5"
    assert faults.switched_model("claude-sonnet-5", 200) is None
    assert faults.switched_model("claude-haiku-4-5", 150) is None
    assert faults.runaway_reload_due(100, None)
    assert not faults.runaway_reload_due(350, 100)
    assert faults.runaway_reload_due(400, 100)
    assert not faults.runaway_reload_due(1000, 100)
    with pytest.raises(ValueError, match="positive interval"):
        RunawayReload(Window(0, 10), every_ns=0)


def test_a_silent_model_switch_serves_and_bills_the_pricier_model(make_sim: WorldFactory) -> None:
    switch = (
        '\n[[faults.model_switches]]\nmodel = "claude-sonnet-5"\nto = "claude-opus-5"\nday = 0\nhours = 1'
    )
    sim = make_sim(CREDIT + switch)
    switched = sim.world.handle(request(sim))
    assert (switched.model, switched.cost) == ("claude-opus-5", OPUS_CALL)
    sim.clock.advance(NS_PER_HOUR)
    after = sim.world.handle(request(sim))
    assert (after.model, after.cost) == ("claude-sonnet-5", SONNET_CALL)
    models = {dims.model for _, dims, _ in sim.world.records.usage_rows(0, 2**62)}
    assert models == {"claude-opus-5", "claude-sonnet-5"}  # the usage report shows what was served


def test_a_cache_miss_storm_writes_what_it_would_have_read(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\ncache_storms = [{ day = 0, hours = 1 }]\n")
    stormy = sim.world.handle(request(sim, cache_read=4000))
    assert stormy.usage is not None
    assert (stormy.usage.cache_read, stormy.usage.cache_write_5m) == (0, 4000)
    sim.clock.advance(NS_PER_HOUR)
    calm = sim.world.handle(request(sim, cache_read=4000))
    assert calm.usage is not None and calm.usage.cache_read == 4000
    assert stormy.cost - calm.cost == Decimal(4000) * (Decimal("2.50") - Decimal("0.20")) / 1_000_000


def test_a_runaway_reload_buys_every_interval_whatever_the_balance(make_sim: WorldFactory) -> None:
    reload = '\n[auto_reload]\nminimum = "50"\ntarget = "75"\n'
    loop = "\n[[faults.runaway_reloads]]\nday = 0\nhours = 1\nevery_minutes = 10\n"
    sim = make_sim(CREDIT + reload + loop)
    for _ in range(13):  # a request every 5 minutes for an hour, then one after the window
        sim.world.handle(request(sim))
        sim.clock.advance(5 * NS_PER_MINUTE)
    attempts = sim.world.reload.attempts
    assert len(attempts) == 6
    assert {a.amount for a in attempts} == {Decimal("25")}  # as if the balance sat at the minimum
    assert all(a.succeeded for a in attempts)
    assert sim.world.ledger.balance(sim.clock.now_ns()) > Decimal("200")


def test_surge_adds_calls_to_one_key_and_keeps_the_rest_of_the_day() -> None:
    text = BASE.replace("requests_per_day = 0", "requests_per_day = 2000").replace("keys = 1", "keys = 3")
    plain = build_simulation(parse_scenario(text, source="t.toml"), seed=4)
    surge = '\n[[faults.surges]]\nkey = "Apps key 2"\nday = 0.5\nhours = 2\nfactor = 6\n'
    surged = build_simulation(parse_scenario(text + surge, source="t.toml"), seed=4)
    before, after = plain.traffic.day(0), surged.traffic.day(0)
    extra = [call for call in after if call not in set(before)]
    assert set(before) <= set(after)
    assert extra and {call.key_index for call in extra} == {2}  # key 0 is the Default workspace's
    start, end = plain.start_ns + NS_PER_DAY // 2, plain.start_ns + NS_PER_DAY // 2 + 2 * NS_PER_HOUR
    assert all(start <= call.at_ns < end for call in extra)
    assert [call.at_ns for call in after] == sorted(call.at_ns for call in after)


def test_a_ramp_rises_over_its_window() -> None:
    text = BASE.replace("requests_per_day = 0", "requests_per_day = 3000")
    ramp = "\n[[faults.surges]]\nday = 0\nhours = 24\nfactor = 5\nramp = true\n"
    sim = build_simulation(parse_scenario(text + ramp, source="t.toml"), seed=1)
    plain = build_simulation(parse_scenario(text, source="t.toml"), seed=1)
    extra = len(sim.traffic.day(0)) - len(plain.traffic.day(0))
    base = len(plain.traffic.day(0))
    assert 1.5 * base < extra < 2.5 * base  # on average the multiplier is 3: twice the traffic again


def test_a_surge_on_an_unknown_key_is_named() -> None:
    text = BASE + '\n[[faults.surges]]\nkey = "Nope key 9"\nday = 0\nhours = 1\nfactor = 3\n'
    with pytest.raises(ScenarioError) as caught:
        build_simulation(parse_scenario(text, source="t.toml"))
    assert caught.value.field == "faults.surges.0.key"


def test_a_switch_to_an_unknown_model_is_named() -> None:
    text = BASE + '\n[[faults.model_switches]]\nmodel = "claude-sonnet-5"\nto = "claude-nope"\n'
    text += "day = 0\nhours = 1\n"
    with pytest.raises(ScenarioError) as caught:
        build_simulation(parse_scenario(text, source="t.toml"))
    assert caught.value.field == "faults.model_switches.0.to"


@pytest.mark.parametrize(
    ("name", "kind", "scope"),
    [
        ("key-spike", "key_spike", "api_key:"),
        ("cache-storm", "cache_storm", "organization"),
        ("model-switch", "model_switch", "model:claude-opus-5"),
        ("runaway-reload", "runaway_reload", "organization"),
        ("overcharge", "duplicate_charges", "organization"),
    ],
)
def test_every_incident_scenario_labels_its_incident(name: str, kind: str, scope: str) -> None:
    scenario = load_scenario(name)
    simulation = build_simulation(scenario)
    [incident] = scenario_incidents(scenario, simulation)
    assert incident.kind == kind and incident.scope.startswith(scope)
    assert simulation.start_ns < incident.start_ns < incident.end_ns
    assert incident.end_ns <= simulation.start_ns + scenario.days * NS_PER_DAY
    assert incident.start_ns % 1_000_000_000 == 0  # whole seconds: no float digits in the labels


def test_the_runaway_scenario_buys_far_more_than_it_spends() -> None:
    summary = run_scenario(load_scenario("runaway-reload"))
    assert summary.reloads_succeeded >= 20
    assert summary.reloads_succeeded * 50 > 5 * summary.total_cost
