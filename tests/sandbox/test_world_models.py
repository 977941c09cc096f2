"""World.handle against each model's rules on the request's day: prices, retirement, windows, geo, speed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.clock import NS_PER_DAY, NS_PER_MINUTE
from sandbox.records import UsageDims
from tests.sandbox.conftest import WorldFactory, request

CREDIT = '\n[credits]\nlots = [{ amount = "100", day = -1 }]\n'


def at(day: str) -> dict[str, str]:
    """A scenario starting at 00:00 UTC on `day` (instead of BASE's 2026-11-10)."""
    return {"start = 2026-11-10T00:00:00Z": f"start = {day}T00:00:00Z"}


def test_the_world_prices_each_request_by_the_rates_of_its_day(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace=at("2026-10-06"))
    reads = {"uncached_input": 0, "cache_read": 1_000_000, "output_tokens": 0, "max_tokens": 1}
    sim.clock.advance(NS_PER_DAY - NS_PER_MINUTE)  # 2026-10-06 23:59 UTC
    before = sim.world.handle(request(sim, model="claude-sonnet-5-5", **reads))
    sim.clock.advance(NS_PER_MINUTE)  # 2026-10-07 00:00 UTC
    after = sim.world.handle(request(sim, model="claude-sonnet-5-5", **reads))
    assert (before.cost, after.cost) == (Decimal("0.20"), Decimal("0.10"))
    # The cost report keeps each day's own rate.
    lines = sorted(sim.world.records.cost_lines(0, sim.clock.now_ns() + NS_PER_DAY))
    assert [amount for _, _, amount in lines] == [Decimal("0.20"), Decimal("0.10")]


def test_dated_long_context_rules_apply_to_requests_on_their_dates(make_sim: WorldFactory) -> None:
    long_prompt = {"uncached_input": 200_001, "output_tokens": 1_000, "max_tokens": 1_000}
    during = make_sim(CREDIT, replace=at("2026-03-01"))
    after = make_sim(CREDIT, replace=at("2026-06-01"))
    premium = during.world.handle(request(during, model="claude-opus-4-6", **long_prompt))
    standard = after.world.handle(request(after, model="claude-opus-4-6", **long_prompt))
    assert premium.cost == Decimal("10") * 200_001 / 1_000_000 + Decimal("37.50") * 1_000 / 1_000_000
    assert standard.cost == Decimal("5") * 200_001 / 1_000_000 + Decimal("25") * 1_000 / 1_000_000


def test_a_retired_model_is_served_the_day_before_and_refused_as_unknown_from_its_date(
    make_sim: WorldFactory,
) -> None:
    sim = make_sim(CREDIT, replace=at("2026-11-29"))
    assert sim.world.handle(request(sim, model="claude-sonnet-4-5")).status == 200
    sim.clock.advance(NS_PER_DAY)
    refused = sim.world.handle(request(sim, model="claude-sonnet-4-5"))
    assert refused.status == 404 and refused.error is not None
    assert (refused.error.type, refused.error.message) == ("not_found_error", "model: claude-sonnet-4-5")


def test_a_prompt_over_the_model_window_is_the_real_400(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    refused = sim.world.handle(request(sim, model="claude-haiku-4-5", uncached_input=200_001))
    assert refused.status == 400 and refused.error is not None
    assert refused.error.message == "prompt is too long: 200001 tokens > 200000 maximum"
    assert sim.world.handle(request(sim, model="claude-haiku-4-5", uncached_input=200_000)).status == 200
    assert sim.world.handle(request(sim, model="claude-sonnet-5", uncached_input=200_001)).status == 200


def test_cache_reads_and_writes_count_toward_the_window(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    split = {"uncached_input": 1, "cache_write_5m": 100_000, "cache_read": 100_000}
    assert sim.world.handle(request(sim, model="claude-haiku-4-5", **split)).status == 400


def test_the_1m_context_beta_widens_sonnet_4_5_window(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    big = {"uncached_input": 300_000}
    assert sim.world.handle(request(sim, model="claude-sonnet-4-5", **big)).status == 400
    assert (
        sim.world.handle(request(sim, model="claude-sonnet-4-5", extended_context=True, **big)).status == 200
    )
    assert sim.world.handle(request(sim, model="claude-sonnet-4-5[1m]", **big)).status == 200


def test_max_tokens_above_the_model_output_ceiling_is_a_400(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    refused = sim.world.handle(request(sim, model="claude-haiku-4-5", max_tokens=64_001))
    assert refused.status == 400 and refused.error is not None
    assert refused.error.message.startswith("max_tokens: 64001 > 64000")


def test_us_inference_on_a_model_older_than_4_6_is_a_400(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    refused = sim.world.handle(request(sim, model="claude-haiku-4-5", inference_geo="us"))
    assert refused.status == 400 and refused.error is not None
    assert refused.error.type == "invalid_request_error" and "inference_geo" in refused.error.message
    assert sim.world.ledger.balance(sim.clock.now_ns()) == Decimal(100)


def test_older_models_report_not_available_as_their_inference_geo(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    sim.world.handle(request(sim, model="claude-haiku-4-5"))
    sim.world.handle(request(sim, model="claude-sonnet-5", inference_geo="us"))
    geos = {dims.model: dims.inference_geo for _, dims, _ in sim.world.records.usage_rows(0, 1 << 62)}
    assert geos == {"claude-haiku-4-5-20251001": "not_available", "claude-sonnet-5": "us"}


def test_fast_mode_is_served_billed_at_its_rate_and_recorded_as_fast(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    fast = sim.world.handle(request(sim, model="claude-opus-5-5", speed="fast"))
    standard = sim.world.handle(request(sim, model="claude-opus-5-5"))
    assert fast.status == standard.status == 200
    assert fast.cost == 2 * standard.cost == Decimal("0.012")  # 1,000 in, 100 out at $8 / $40
    speeds = sorted(dims.speed for _, dims, _ in sim.world.records.usage_rows(0, 1 << 62))
    assert speeds == ["fast", "standard"]
    assert {line.speed for _, line, _ in sim.world.records.cost_lines(0, 1 << 62)} == {"fast", "standard"}


@pytest.mark.parametrize(
    ("model", "day", "message"),
    [
        ("claude-opus-4-8", "2026-11-30", "speed: fast mode for claude-opus-4-8 ended on 2026-11-30"),
        ("claude-sonnet-5", "2026-11-10", "speed: fast mode is not available for model claude-sonnet-5"),
    ],
)
def test_fast_mode_where_it_is_not_offered_is_a_400(
    make_sim: WorldFactory, model: str, day: str, message: str
) -> None:
    sim = make_sim(CREDIT, replace=at(day))
    refused = sim.world.handle(request(sim, model=model, speed="fast"))
    assert refused.status == 400 and refused.error is not None and refused.error.message == message


def test_opus_4_8_fast_mode_is_served_until_its_last_day(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace=at("2026-11-29"))
    assert sim.world.handle(request(sim, model="claude-opus-4-8", speed="fast")).status == 200


def test_opus_4_6_fast_requests_after_the_removal_are_served_at_standard_speed_and_price(
    make_sim: WorldFactory,
) -> None:
    sim = make_sim(CREDIT, replace=at("2026-09-01"))
    outcome = sim.world.handle(request(sim, model="claude-opus-4-6", speed="fast"))
    assert outcome.status == 200 and outcome.cost == Decimal("0.0075")  # $5 / $25: standard
    assert isinstance(outcome.dims, UsageDims) and outcome.dims.speed == "standard"


def test_fast_mode_has_its_own_limit_and_headers(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace={'tier = "Scale"': 'tier = "Start"'})
    big = {"uncached_input": 300_000, "max_tokens": 1_000}
    first = sim.world.handle(request(sim, model="claude-opus-5-5", speed="fast", **big))
    headers = sim.world.headers(first)
    assert headers["anthropic-fast-input-tokens-limit"] == "500000"  # Start's assumed fast-mode ITPM
    assert "anthropic-ratelimit-requests-limit" not in headers
    limited = sim.world.handle(request(sim, model="claude-opus-5-5", speed="fast", **big))
    assert limited.status == 429 and limited.retry_after_s is not None and limited.error is not None
    assert "rate limit of 500,000 fast mode input tokens per minute" in limited.error.message
    assert f"(org: {sim.world.org.id}, model: claude-opus-5-5)" in limited.error.message
    # The standard limit of the class is untouched: a standard request of the same size passes.
    assert sim.world.handle(request(sim, model="claude-opus-5-5", **big)).status == 200
