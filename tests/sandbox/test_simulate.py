"""Scenario runs summarised: the figures a billing owner reads, checked against the world's own records."""

from __future__ import annotations

from decimal import Decimal

from sandbox.build import build_simulation
from sandbox.clock import NS_PER_DAY
from sandbox.scenario import load_scenario
from sandbox.simulate import run_scenario, summarise


def test_overcharge_summary_shows_the_requests_billed_twice_and_the_excess() -> None:
    summary = run_scenario(load_scenario("overcharge"), seed=3)
    assert summary.charged_twice > 0
    assert summary.overcharged > 0
    assert summary.to_dict()["duplicate_charges"] == {
        "requests": summary.charged_twice,
        "overcharged_usd": str(summary.overcharged),
    }
    assert "billed twice" in summary.to_text()


def test_demo_tells_its_story_declined_reload_and_money_about_to_expire() -> None:
    scenario = load_scenario("demo")
    simulation = build_simulation(scenario, seed=0)
    simulation.run(scenario.days)
    summary = summarise(simulation, "demo", 0)
    assert (summary.reloads_declined, summary.reloads_succeeded) == (1, 0)
    assert summary.charged_twice == 0 and summary.overcharged == Decimal(0)
    assert summary.rejected["outage"] > 0 and summary.rejected["overload"] > 0
    now = simulation.clock.now_ns()
    expiring = [
        lot
        for lot in simulation.world.ledger.lots(now)
        if lot.expires_at_ns is not None and lot.expires_at_ns - now <= 30 * NS_PER_DAY
    ]
    assert len(expiring) == 1 and expiring[0].remaining > Decimal(1000)
