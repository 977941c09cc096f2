"""Dated price rules: rates in force on a day, fast mode, batch prices, new and retired models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sandbox.pricing import BatchUnavailableError, FastModeUnavailableError, PriceList
from sandbox.tokens import TokenUsage

D = Decimal
PRICES = PriceList.default()
MTOK = TokenUsage
ONE_M_READ = TokenUsage(cache_read=1_000_000)


def test_sonnet_5_5_cache_reads_cost_0_20_until_2026_10_06_and_0_10_from_2026_10_07() -> None:
    assert PRICES.price("claude-sonnet-5-5", ONE_M_READ, on=dt.date(2026, 10, 6)).total == D("0.20")
    assert PRICES.price("claude-sonnet-5-5", ONE_M_READ, on=dt.date(2026, 10, 7)).total == D("0.10")
    assert PRICES.price("claude-sonnet-5-5", ONE_M_READ).total == D("0.10")  # today's rules


def test_the_sonnet_5_5_change_touches_only_cache_reads() -> None:
    before = PRICES.on("claude-sonnet-5-5", dt.date(2026, 10, 6)).rates
    after = PRICES.on("claude-sonnet-5-5", dt.date(2026, 10, 7)).rates
    assert (after.input, after.cache_write_5m, after.cache_write_1h, after.output) == (
        before.input,
        before.cache_write_5m,
        before.cache_write_1h,
        before.output,
    )
    assert (before.cache_read, after.cache_read) == (D("0.20"), D("0.10"))


def test_haiku_5_5_has_a_batch_price_at_half_in_both_size_bands() -> None:
    short = TokenUsage(uncached_input=1_000_000 // 10, output=1_000_000 // 10)  # 100,000: the base band
    long = TokenUsage(uncached_input=100_001, output=100_000)
    assert PRICES.price("claude-haiku-5-5", short, service_tier="batch").total == D("0.005") + D("0.025")
    # 0.25 / 1.25 per MTok above 100K (third-party figures, 0.5x of 0.50 / 2.50).
    expected = D("0.25") * 100_001 / 1_000_000 + D("1.25") * 100_000 / 1_000_000
    assert PRICES.price("claude-haiku-5-5", long, service_tier="batch").total == expected


def test_haiku_5_5_batch_figure_keeps_its_own_third_party_source() -> None:
    model = PRICES.resolve("claude-haiku-5-5")
    assert model.batch_source.startswith("[3P]") and model.batch_as_of is not None


def test_mythos_5_2_and_fable_5_2_are_listed_with_their_prices() -> None:
    for model_id, name in (
        ("claude-mythos-5-2", "Claude Mythos 5.2"),
        ("claude-fable-5-2", "Claude Fable 5.2"),
    ):
        model = PRICES.resolve(model_id)
        assert model.display_name == name and model.released == dt.date(2026, 11, 9)
        assert (model.rates.input, model.rates.cache_read, model.rates.output) == (D("8"), D("0.20"), D("40"))
        assert model.context is not None and model.context.window == 1_000_000
    with pytest.raises(BatchUnavailableError):
        PRICES.price("claude-mythos-5-2", MTOK(output=1), service_tier="batch")


@pytest.mark.parametrize(
    ("model_id", "on", "input_rate", "output_rate"),
    [
        ("claude-opus-5-5", dt.date(2026, 12, 1), "8", "40"),
        ("claude-fable-5-2", dt.date(2026, 12, 1), "16", "80"),
        ("claude-mythos-5-2", dt.date(2026, 12, 1), "16", "80"),
        ("claude-opus-5", dt.date(2026, 8, 1), "10", "50"),
        ("claude-opus-4-8", dt.date(2026, 11, 29), "10", "50"),
        ("claude-opus-4-7", dt.date(2026, 7, 23), "30", "150"),
        ("claude-opus-4-6", dt.date(2026, 3, 1), "30", "150"),
    ],
)
def test_fast_mode_is_priced_at_its_rates_while_in_force(
    model_id: str, on: dt.date, input_rate: str, output_rate: str
) -> None:
    usage = TokenUsage(uncached_input=100_000, output=100_000)  # under every long-context threshold
    cost = PRICES.price(model_id, usage, on=on, speed="fast")
    assert (cost.uncached_input * 10, cost.output * 10) == (D(input_rate), D(output_rate))


def test_opus_4_6_fast_mode_above_200k_stacks_on_the_long_context_premium() -> None:
    usage = TokenUsage(uncached_input=200_001, output=1_000)
    cost = PRICES.price("claude-opus-4-6", usage, on=dt.date(2026, 3, 1), speed="fast")
    # $60 / $225 per MTok: 6x the premium of $10 / $37.50 (fast-mode docs, Opus 4.6 era).
    assert cost.uncached_input == D("60") * 200_001 / 1_000_000
    assert cost.output == D("225") * 1_000 / 1_000_000


@pytest.mark.parametrize(
    ("model_id", "on"),
    [
        ("claude-opus-4-8", dt.date(2026, 11, 30)),  # removed 2026-11-30
        ("claude-opus-4-7", dt.date(2026, 7, 24)),
        ("claude-opus-5", dt.date(2026, 7, 23)),  # before it was added
        ("claude-sonnet-5", dt.date(2026, 12, 1)),  # never offered
    ],
)
def test_fast_mode_outside_its_dates_is_refused(model_id: str, on: dt.date) -> None:
    with pytest.raises(FastModeUnavailableError):
        PRICES.price(model_id, TokenUsage(output=1), on=on, speed="fast")


def test_fast_mode_is_not_on_the_batch_api() -> None:
    with pytest.raises(FastModeUnavailableError, match="Batch"):
        PRICES.price("claude-opus-5-5", TokenUsage(output=1), service_tier="batch", speed="fast")


def test_fast_mode_stacks_with_us_inference() -> None:
    usage = TokenUsage(uncached_input=1_000_000)
    cost = PRICES.price("claude-opus-5-5", usage, inference_geo="us", speed="fast")
    assert cost.total == D("8.8")  # $4 x 2 (fast) x 1.1 (US)


def test_opus_4_6_fast_mode_falls_back_to_standard_after_it_ended() -> None:
    view = PRICES.on("claude-opus-4-6", dt.date(2026, 9, 1))
    assert view.fast is None and view.fast_falls_back
    assert not PRICES.on("claude-opus-4-8", dt.date(2026, 12, 1)).fast_falls_back


@pytest.mark.parametrize(
    ("model_id", "last_day"),
    [
        ("claude-sonnet-4-5", dt.date(2026, 11, 29)),
        ("claude-sonnet-4-20250514", dt.date(2026, 6, 14)),
        ("claude-opus-4-20250514", dt.date(2026, 6, 14)),
        ("claude-opus-4-1", dt.date(2026, 6, 4)),
        ("claude-3-opus-20240229", dt.date(2026, 1, 4)),
        ("claude-3-7-sonnet-20250219", dt.date(2026, 2, 18)),
        ("claude-3-5-haiku-latest", dt.date(2026, 2, 18)),
        ("claude-opus-4-5", dt.date(2027, 1, 21)),
    ],
)
def test_a_model_is_retired_from_its_retirement_date(model_id: str, last_day: dt.date) -> None:
    assert not PRICES.on(model_id, last_day).retired
    assert PRICES.on(model_id, last_day + dt.timedelta(days=1)).retired
    assert not PRICES.on(model_id, None).retired  # today's rules price it for estimates


def test_the_dated_view_is_kept_per_model_and_day() -> None:
    assert PRICES.dated("claude-opus-5", 20_000) is PRICES.dated("claude-opus-5", 20_000)
    assert PRICES.dated("claude-opus-5", 20_000) is not PRICES.dated("claude-opus-5", 20_001)


def test_every_price_entry_and_dated_rule_keeps_its_source_and_as_of_date() -> None:
    for model in PRICES.models.values():
        assert model.source.strip() and model.as_of, model.id
        for rule in model.long_context:
            assert rule.source.strip() and rule.as_of is not None, model.id
        for change in model.rate_changes:
            assert change.source.strip() and change.as_of, model.id
        for fast in model.fast_modes:
            assert fast.source.strip() and fast.as_of, model.id
        if model.lifecycle is not None:
            assert model.lifecycle.source.strip(), model.id
        assert model.context is not None and model.context.source.strip(), model.id
    assert set(PRICES.sources) == {"web_search", "inference_geo.us"}


def test_unconfirmed_and_third_party_figures_stay_data_with_their_note() -> None:
    assert "UNCONFIRMED" in PRICES.resolve("claude-3-haiku-20240307").lifecycle.note  # type: ignore[union-attr]
    assert "UNCONFIRMED" in PRICES.resolve("claude-mythos-5-2").fast_modes[0].note
    assert "third-party" in PRICES.resolve("claude-fable-5-2").note
