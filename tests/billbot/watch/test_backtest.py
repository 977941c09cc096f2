"""The backtest: scoring rules on hand-made runs, and short replays of built-in incident scenarios."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from billbot.watch.backtest import Label, Opening, RunResult, Sighting, replay
from billbot.watch.backtest_plan import BudgetSpec, RunPlan, incident_scenario, overcharge_scenario
from billbot.watch.backtest_report import compatible, reference, score
from sandbox.scenario import load_scenario

T = datetime(2026, 9, 23, 13, 0, tzinfo=UTC)
PARENTS = {"api_key:k2": "workspace:ws_prod"}


def _run(family: str, labels: list[Label], sightings: list[Sighting], openings: list[Opening]) -> RunResult:
    return RunResult(
        name=f"{family} seed 1", family=family, size="medium" if family != "clean" else "", seed=1, days=30,
        scopes={"anomaly": 30, "cache_miss": 1, "creep": 5, "reconciliation": 1, "runaway_reload": 1},
        parents=PARENTS, labels=labels, openings=openings, sightings=sightings, levels=[], crossings=[],
    )  # fmt: skip


def test_a_key_incident_shows_on_its_key_workspace_models_and_the_organisation_only() -> None:
    assert compatible("api_key:k2", "api_key:k2", PARENTS)
    assert compatible("workspace:ws_prod", "api_key:k2", PARENTS)
    assert compatible("model:claude-opus-5", "api_key:k2", PARENTS)
    assert compatible("organization", "api_key:k2", PARENTS)
    assert not compatible("api_key:k3", "api_key:k2", PARENTS)
    assert not compatible("workspace:ws_research", "api_key:k2", PARENTS)
    assert not compatible("model:claude-haiku-4-5", "model:claude-opus-5", PARENTS)
    assert compatible("api_key:k3", "organization", PARENTS)


def test_reconciliation_is_timed_from_the_end_of_the_billed_day() -> None:
    label = Label("duplicate_charges", T.replace(hour=2), T.replace(hour=20), "organization", "")
    assert reference(label, "reconciliation") == T.replace(hour=0) + timedelta(days=1)
    assert reference(label, "anomaly") == T.replace(hour=2)


def test_detections_delays_and_false_alerts_are_counted_per_rule() -> None:
    spike = Label("key_spike", T, T + timedelta(hours=3), "api_key:k2", "Production key 2 ×17")
    staged = _run(
        "incidents",
        [spike],
        [Sighting("anomaly", "api_key:k2", T + timedelta(minutes=40), T + timedelta(hours=4))],
        [Opening("anomaly", "api_key:k2", "p", T + timedelta(minutes=40), "open")],
    )
    noise = Opening("anomaly", "api_key:k7", "p", T, "open")
    clean = _run("clean", [], [Sighting("anomaly", "api_key:k7", T, T + timedelta(hours=1))], [noise])
    report = score([staged, clean])
    anomaly = next(r for r in report.rules if r.rule == "anomaly")
    assert (anomaly.injected, anomaly.detected, anomaly.delays_minutes) == (1, 1, (40.0,))
    assert anomaly.false_alerts_clean == 1 and anomaly.false_alerts_staged == 0
    assert anomaly.false_per_scope_30d == pytest.approx(1 / 30)
    assert anomaly.worst_scope_30d == pytest.approx(1.0)
    [kind] = report.kinds
    assert (kind.kind, kind.size, kind.detected) == ("key_spike", "medium", 1)
    figures = json.loads(report.to_json())
    assert figures["rules"][0]["delay_minutes_median"] == 40.0
    assert "| anomaly " in report.to_text()


def test_a_miss_is_a_miss() -> None:
    spike = Label("key_spike", T, T + timedelta(hours=3), "api_key:k2", "")
    elsewhere = Sighting("anomaly", "api_key:k9", T + timedelta(minutes=10), T + timedelta(hours=1))
    report = score([_run("incidents", [spike], [elsewhere], [])])
    anomaly = next(r for r in report.rules if r.rule == "anomaly")
    assert (anomaly.injected, anomaly.detected, anomaly.recall) == (1, 0, 0.0)


def test_incident_plans_stage_every_kind_at_its_size() -> None:
    demo = load_scenario("demo")
    large = incident_scenario(demo, "large", seed=2)
    assert large.days == 63 and large.faults.surges[0].factor == 40.0
    assert large.faults.model_switches[0].to == "claude-fable-5-1"
    assert incident_scenario(demo, "large", seed=2) == large  # the same seed, the same plan
    billed = overcharge_scenario(demo, "small", seed=1)
    assert billed.traffic.requests_per_day == demo.traffic.requests_per_day * 8
    assert billed.faults.duplicate_charges[0].share == 0.08


@pytest.mark.slow
def test_a_replay_finds_the_key_spike_within_the_hour_and_crosses_budgets_in_time() -> None:
    budgets = (BudgetSpec("api_key", "Production key 2", Decimal(5), "day"),)
    result = replay(RunPlan("incidents", 0, "scenario", load_scenario("key-spike"), budgets))
    report = score([result])
    [kind] = report.kinds
    assert (kind.kind, kind.detected) == ("key_spike", 1)
    assert kind.delays_minutes[0] <= 75
    assert report.budgets.crossings > 0 and report.budgets.detected == report.budgets.crossings
    assert max(report.budgets.delays_minutes) <= 10


@pytest.mark.slow
def test_a_replay_finds_the_runaway_reload_loop_within_half_an_hour() -> None:
    result = replay(RunPlan("incidents", 0, "scenario", load_scenario("runaway-reload"), ()))
    runaway = next(r for r in score([result]).rules if r.rule == "runaway_reload")
    assert (runaway.injected, runaway.detected) == (1, 1)
    assert runaway.delays_minutes[0] <= 30
