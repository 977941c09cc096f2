"""What-ifs on the demo organisation: determinism, the levers' effects, the baseline, the forecast."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest

from billbot.admin_api.billing import AdminBillingData
from billbot.app.replies.whatif import whatif_response
from billbot.terminal.render import render_text
from billbot.whatif.baseline import Baseline
from billbot.whatif.forecast import month_end_forecast
from billbot.whatif.levers import LeverError, parse_levers
from billbot.whatif.result import WhatIfResult, run_whatif
from sandbox.pricing import PriceList

RUNS = 40


def _run(baseline: Baseline, text: str, seed: int = 1) -> WhatIfResult:
    return run_whatif(baseline, parse_levers(text), runs=RUNS, seed=seed, now=baseline.end)


def test_the_baseline_says_what_it_was_fitted_on(baseline: Baseline) -> None:
    assert baseline.fitted_on().startswith("last 28 days, ~")
    assert baseline.fitted_on().endswith("k requests")
    models = {s.model for s in baseline.streams}
    assert {"claude-opus-5", "claude-sonnet-5"} <= models
    assert {s.workspace for s in baseline.streams} >= {None, "Production", "Research"}
    assert len(baseline.hour_of_week) == 168 and abs(sum(baseline.hour_of_week) / 168 - 1) < 1e-9
    money = baseline.money
    assert money.tier == "Scale" and money.workspace_limits == {"Research": Decimal(8000)}
    assert money.balance is not None and sum(lot.amount for lot in money.lots) == money.balance
    assert money.reload_minimum == Decimal(5000)
    assert Decimal(0) < money.month_to_date and abs(sum(baseline.key_shares.values()) - 1) < 1e-9


def test_the_same_command_seed_and_data_give_the_same_numbers(baseline: Baseline) -> None:
    first = _run(baseline, "traffic x1.5 limit 1200 seed 4").to_json()
    assert _run(baseline, "traffic x1.5 limit 1200 seed 4").to_json() == first
    assert _run(baseline, "traffic x1.5 limit 1200 seed 5").to_json() != first


def test_progress_is_reported_over_both_sides(baseline: Baseline) -> None:
    seen: list[tuple[int, int]] = []
    run_whatif(
        baseline,
        parse_levers("traffic x2"),
        runs=3,
        seed=0,
        now=baseline.end,
        on_progress=lambda d, t: seen.append((d, t)),
    )
    assert seen == [(n, 6) for n in range(1, 7)]


def test_the_json_has_both_sides_with_the_promised_fields(baseline: Baseline) -> None:
    result = json.loads(_run(baseline, "traffic x2").to_json())
    assert (result["runs"], result["seed"]) == (RUNS, 1)
    for side in ("baseline", "scenario"):
        values = result[side]
        assert set(values["spend_usd"]) == {"p10", "p50", "p90"}
        assert Decimal(values["spend_usd"]["p10"]) <= Decimal(values["spend_usd"]["p50"])
        assert Decimal(values["spend_usd"]["p50"]) <= Decimal(values["spend_usd"]["p90"])
        assert {
            "runway_date",
            "reloads",
            "rejected",
            "limit_hits",
            "peak_minute",
            "failure_probability",
        } <= set(values)
        assert {"count", "usd"} <= set(values["reloads"]) and "credit" in values["rejected"]


def test_twice_the_traffic_costs_about_twice_as_much(baseline: Baseline) -> None:
    result = _run(baseline, "traffic x2")
    ratio = result.scenario.spend.p50 / result.baseline.spend.p50
    assert Decimal("1.95") < ratio < Decimal("2.05")


def test_moving_opus_to_sonnet_saves_the_price_gap_on_opus_s_share(baseline: Baseline) -> None:
    prices = PriceList.default()
    ratio = Decimal(
        str(prices.resolve("claude-sonnet-5").rates.input / prices.resolve("claude-opus-5").rates.input)
    )
    base = _run(baseline, "horizon 10d")
    without_opus = _run(baseline, "price claude-opus-5 x0.000001 horizon 10d")
    opus_spend = base.baseline.spend.p50 - without_opus.scenario.spend.p50
    moved = _run(baseline, "move 100% claude-opus-5 to claude-sonnet-5 horizon 10d")
    expected = base.baseline.spend.p50 - opus_spend * (1 - ratio)
    assert abs(moved.scenario.spend.p50 - expected) <= Decimal("0.01") * expected
    assert moved.scenario.spend.p50 < moved.baseline.spend.p50


def test_a_lower_tier_bites_with_its_moment_and_the_failure_probability(baseline: Baseline) -> None:
    result = _run(baseline, "tier Build")
    hit = result.scenario.limit_hits[0]
    assert hit.what == "tier_cap" and hit.probability == 1.0
    assert result.horizon.start < hit.when < result.horizon.end
    assert result.scenario.rejected["tier_cap"] > 0 and result.scenario.failure_probability == 1.0
    # The cap counts what the month has already cost; the request that crosses it is still served.
    room = Decimal(1000) - baseline.money.month_to_date
    assert room <= result.scenario.spend.p50 <= room + Decimal("0.5")
    assert result.baseline.failure_probability == 0.0


def test_a_declined_card_runs_the_balance_out(baseline: Baseline) -> None:
    result = _run(baseline, "autoreload 9000 9500 decline reloads horizon 200d")
    assert result.scenario.reloads == 0 and result.scenario.reloads_declined >= 1
    assert result.scenario.runway_date is not None
    assert result.baseline.runway_date is None and result.baseline.reloads >= 1


def test_moving_a_model_the_baseline_does_not_use_is_a_lever_error(baseline: Baseline) -> None:
    with pytest.raises(LeverError, match="no traffic on claude-opus-4-1"):
        _run(baseline, "move 10% claude-opus-4-1 to claude-sonnet-5")
    with pytest.raises(LeverError, match="unknown model"):
        _run(baseline, "move 10% gpt-9 to claude-sonnet-5")


def test_the_terminal_answer_shows_both_sides_and_its_source(baseline: Baseline) -> None:
    text = render_text(whatif_response(_run(baseline, "traffic x2")))
    assert text.startswith("What if traffic x2:")
    assert "baseline" in text and "scenario" in text and "simulated" in text
    assert "fitted on last 28 days" in text


def test_the_month_end_forecast_is_a_band_around_its_median(demo: tuple[AdminBillingData, datetime]) -> None:
    data, now = demo
    forecast = month_end_forecast(data, now, runs=RUNS)
    assert forecast.month_to_date <= forecast.p10 <= forecast.p50 <= forecast.p90
    assert forecast.month_end.day == 1 and forecast.fitted_on.startswith("last 28 days")
