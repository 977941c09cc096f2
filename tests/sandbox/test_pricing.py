"""The sandbox price list: worked costs for every model, multipliers, long context and the file format."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox import tokens
from sandbox.pricing import (
    BatchUnavailableError,
    PriceFileError,
    PriceList,
    UnknownInferenceGeoError,
    UnknownModelError,
    UnknownServiceTierError,
    UnknownTokenTypeError,
)
from sandbox.tokens import TokenUsage

D = Decimal
PRICES = PriceList.default()

# 10K uncached, 2K 5m writes, 1K 1h writes, 20K cache reads, 3K output: 33K prompt, under every threshold.
WORKED_USAGE = TokenUsage(
    uncached_input=10_000, cache_write_5m=2_000, cache_write_1h=1_000, cache_read=20_000, output=3_000
)

# Anthropic's pricing page (platform.claude.com/docs/en/about-claude/pricing), copied by hand: (input,
# 5m write, 1h write, cache read, output) per MTok, and the hand-summed total of WORKED_USAGE,
# e.g. Opus 5: 0.05 + 0.0125 + 0.01 + 0.01 + 0.075 = 0.1575.
REFERENCE_TABLE: dict[str, tuple[tuple[str, str, str, str, str], str]] = {
    "claude-fable-5-2": (("8", "10", "16", "0.20", "40"), "0.24"),
    "claude-mythos-5-2": (("8", "10", "16", "0.20", "40"), "0.24"),
    "claude-fable-5-1": (("10", "12.50", "20", "0.25", "50"), "0.30"),
    "claude-mythos-5-1": (("10", "12.50", "20", "0.25", "50"), "0.30"),
    "claude-fable-5": (("10", "12.50", "20", "1.00", "50"), "0.315"),
    "claude-mythos-5": (("10", "12.50", "20", "1.00", "50"), "0.315"),
    "claude-opus-5-5": (("4", "5", "8", "0.20", "20"), "0.122"),
    "claude-opus-5": (("5", "6.25", "10", "0.50", "25"), "0.1575"),
    # Today's rates: cache reads $0.10 since 2026-10-07 (release notes); $0.20 before (test_price_dates.py).
    "claude-sonnet-5-5": (("2", "2.50", "4", "0.10", "10"), "0.061"),
    "claude-sonnet-5": (("2", "2.50", "4", "0.20", "10"), "0.063"),
    "claude-haiku-5-5": (("0.10", "0.125", "0.20", "0.01", "0.50"), "0.00315"),
    "claude-opus-4-8": (("5", "6.25", "10", "0.50", "25"), "0.1575"),
    "claude-opus-4-7": (("5", "6.25", "10", "0.50", "25"), "0.1575"),
    "claude-opus-4-6": (("5", "6.25", "10", "0.50", "25"), "0.1575"),
    "claude-opus-4-5-20251101": (("5", "6.25", "10", "0.50", "25"), "0.1575"),
    "claude-opus-4-1-20250805": (("15", "18.75", "30", "1.50", "75"), "0.4725"),
    "claude-opus-4-20250514": (("15", "18.75", "30", "1.50", "75"), "0.4725"),
    "claude-sonnet-4-6": (("3", "3.75", "6", "0.30", "15"), "0.0945"),
    "claude-sonnet-4-5-20250929": (("3", "3.75", "6", "0.30", "15"), "0.0945"),
    "claude-sonnet-4-20250514": (("3", "3.75", "6", "0.30", "15"), "0.0945"),
    "claude-haiku-4-5-20251001": (("1", "1.25", "2", "0.10", "5"), "0.0315"),
    "claude-3-5-haiku-20241022": (("0.80", "1", "1.60", "0.08", "4"), "0.0252"),
    "claude-3-haiku-20240307": (("0.25", "0.30", "0.50", "0.03", "1.25"), "0.00795"),
    "claude-3-7-sonnet-20250219": (("3", "3.75", "6", "0.30", "15"), "0.0945"),
    "claude-3-opus-20240229": (("15", "18.75", "30", "1.50", "75"), "0.4725"),
}


def test_reference_table_covers_every_entry_in_the_price_list() -> None:
    assert set(REFERENCE_TABLE) == set(PRICES.models)


@pytest.mark.parametrize("model_id", sorted(REFERENCE_TABLE))
def test_worked_cost_of_33k_prompt_matches_the_reference_table(model_id: str) -> None:
    rates, total = REFERENCE_TABLE[model_id]
    cost = PRICES.price(model_id, WORKED_USAGE)
    counts = (10_000, 2_000, 1_000, 20_000, 3_000)
    expected = {
        name: D(rate) * count / 1_000_000
        for name, rate, count in zip(tokens.TOKEN_TYPES, rates, counts, strict=True)
    }
    assert cost.by_token_type() == expected
    assert cost.total == D(total)
    assert cost.web_search == 0
    assert cost.context_window == "0-200k"


def _per_mtok(model_id: str, usage: TokenUsage) -> Decimal:
    return PRICES.price(model_id, usage).total


@pytest.mark.parametrize(
    ("model_id", "write_5m", "write_1h", "read"),
    [
        ("claude-opus-5", "1.25", "2", "0.1"),
        ("claude-sonnet-5", "1.25", "2", "0.1"),
        ("claude-haiku-4-5", "1.25", "2", "0.1"),
        ("claude-fable-5", "1.25", "2", "0.1"),
        ("claude-fable-5-1", "1.25", "2", "0.025"),
        ("claude-mythos-5-1", "1.25", "2", "0.025"),
        ("claude-fable-5-2", "1.25", "2", "0.025"),
        ("claude-opus-5-5", "1.25", "2", "0.05"),
    ],
)
def test_cache_multipliers_of_input_price(model_id: str, write_5m: str, write_1h: str, read: str) -> None:
    base = _per_mtok(model_id, TokenUsage(uncached_input=1_000_000))
    assert _per_mtok(model_id, TokenUsage(cache_write_5m=1_000_000)) == base * D(write_5m)
    assert _per_mtok(model_id, TokenUsage(cache_write_1h=1_000_000)) == base * D(write_1h)
    assert _per_mtok(model_id, TokenUsage(cache_read=1_000_000)) == base * D(read)


def test_batch_halves_every_token_rate_of_opus_5() -> None:
    cost = PRICES.price("claude-opus-5", WORKED_USAGE, service_tier="batch")
    assert cost.total == D("0.07875")
    assert cost.output == D("0.0375")


@settings(max_examples=150, derandomize=True, deadline=None)
@given(
    model_id=st.sampled_from(sorted(m for m in REFERENCE_TABLE if PRICES.resolve(m).batch_available)),
    counts=st.tuples(*[st.integers(0, 2_000_000)] * 5),
)
def test_batch_costs_exactly_half_of_standard_for_any_usage(
    model_id: str, counts: tuple[int, int, int, int, int]
) -> None:
    usage = TokenUsage(*counts)
    standard = PRICES.price(model_id, usage, on=dt.date(2025, 1, 1))
    batch = PRICES.price(model_id, usage, service_tier="batch", on=dt.date(2025, 1, 1))
    assert batch.total * 2 == standard.total
    assert standard.total == sum(standard.by_token_type().values(), D(0))


@pytest.mark.parametrize("model_id", ["claude-mythos-5-2", "claude-mythos-5-1", "claude-3-opus-20240229"])
def test_batch_on_a_model_without_batch_price_is_refused(model_id: str) -> None:
    with pytest.raises(BatchUnavailableError) as caught:
        PRICES.price(model_id, WORKED_USAGE, service_tier="batch")
    assert caught.value.model_id == model_id


@pytest.mark.parametrize(
    ("model_id", "total"),
    [
        ("claude-opus-4-6", "0.17325"),  # 0.1575 x 1.1
        ("claude-sonnet-4-6", "0.10395"),  # 0.0945 x 1.1
        ("claude-opus-5", "0.17325"),
        ("claude-haiku-5-5", "0.003465"),
        ("claude-opus-4-5", "0.1575"),  # before 4.6: no US surcharge
        ("claude-sonnet-4-5", "0.0945"),
        ("claude-haiku-4-5", "0.0315"),
    ],
)
def test_us_only_inference_costs_1_1x_only_from_claude_4_6(model_id: str, total: str) -> None:
    assert PRICES.price(model_id, WORKED_USAGE, inference_geo="us").total == D(total)


def test_batch_and_us_inference_stack_on_opus_5() -> None:
    cost = PRICES.price("claude-opus-5", WORKED_USAGE, service_tier="batch", inference_geo="us")
    assert cost.total == D("0.086625")  # 0.1575 x 0.5 x 1.1


def test_haiku_5_5_at_100_000_prompt_tokens_stays_at_base_rates() -> None:
    usage = TokenUsage(uncached_input=90_000, cache_read=10_000, output=1_000)
    assert PRICES.price("claude-haiku-5-5", usage).total == D("0.0096")  # 0.009 + 0.0001 + 0.0005


def test_haiku_5_5_at_100_001_prompt_tokens_pays_5x_on_every_token() -> None:
    usage = TokenUsage(uncached_input=90_001, cache_read=10_000, output=1_000)
    cost = PRICES.price("claude-haiku-5-5", usage)
    assert cost.total == D("0.0480005")  # 0.0450005 + 0.0005 + 0.0025
    assert cost.context_window == "0-200k"


def test_haiku_5_5_long_prompt_rates_are_exactly_5x_the_base_rates() -> None:
    model = PRICES.resolve("claude-haiku-5-5")
    (rule,) = model.long_context
    assert rule.threshold == 100_000
    assert rule.rates.as_tuple() == model.rates.scaled(D(5)).as_tuple()


# 150K uncached + 50K 5m cache writes: the threshold counts cache writes, so this is exactly 200,000.
AT_200K = TokenUsage(uncached_input=150_000, cache_write_5m=50_000, output=1_000)
OVER_200K = TokenUsage(uncached_input=150_001, cache_write_5m=50_000, output=1_000)
PREMIUM_DAY = dt.date(2026, 3, 1)


def test_opus_4_6_at_200_000_tokens_during_premium_is_standard_price() -> None:
    cost = PRICES.price("claude-opus-4-6", AT_200K, on=PREMIUM_DAY)
    assert cost.total == D("1.0875")  # 0.75 + 0.3125 + 0.025
    assert cost.context_window == "0-200k"


def test_opus_4_6_at_200_001_tokens_during_premium_pays_premium_on_all_tokens() -> None:
    cost = PRICES.price("claude-opus-4-6", OVER_200K, on=PREMIUM_DAY)
    assert cost.total == D("2.16251")  # 150,001 x $10 + 50,000 x $12.50 + 1,000 x $37.50
    assert cost.context_window == "200k-1M"


def test_opus_4_6_premium_stacks_with_batch_and_us_inference() -> None:
    batch = PRICES.price("claude-opus-4-6", OVER_200K, service_tier="batch", on=PREMIUM_DAY)
    us = PRICES.price("claude-opus-4-6", OVER_200K, inference_geo="us", on=PREMIUM_DAY)
    assert batch.total == D("1.081255")
    assert us.total == D("2.378761")


@pytest.mark.parametrize("on", [None, dt.date(2026, 1, 1), dt.date(2026, 6, 1), dt.date(2026, 10, 1)])
def test_opus_4_6_over_200k_outside_premium_dates_is_standard_price(on: dt.date | None) -> None:
    cost = PRICES.price("claude-opus-4-6", OVER_200K, on=on)
    assert cost.total == D("1.087505")
    assert cost.context_window == "200k-1M"


def test_sonnet_4_5_over_200k_still_pays_6_and_22_50() -> None:
    usage = TokenUsage(uncached_input=200_001, output=1_000)
    assert PRICES.price("claude-sonnet-4-5", usage).total == D("1.222506")  # 1.200006 + 0.0225
    assert PRICES.price("claude-sonnet-4-5", usage, on=dt.date(2025, 9, 1)).total == D("0.615003")


def test_cache_reads_count_toward_the_200k_window_of_haiku_4_5_without_changing_price() -> None:
    cost = PRICES.price("claude-haiku-4-5", TokenUsage(uncached_input=1, cache_read=200_000))
    assert cost.context_window == "200k-1M"
    assert cost.total == D("0.020001")


def test_web_search_costs_10_dollars_per_thousand_with_no_batch_discount() -> None:
    usage = TokenUsage(output=1_000, web_search_requests=3)
    standard = PRICES.price("claude-opus-5", usage)
    batch = PRICES.price("claude-opus-5", usage, service_tier="batch")
    assert standard.web_search == batch.web_search == D("0.03")
    assert standard.total == D("0.055")
    assert tokens.OUTPUT in standard.by_token_type()
    assert "web_search" not in standard.by_token_type()


def test_by_token_type_lists_only_token_types_used() -> None:
    cost = PRICES.price("claude-sonnet-5", TokenUsage(uncached_input=9_000, output=700))
    assert cost.by_token_type() == {tokens.UNCACHED_INPUT: D("0.018"), tokens.OUTPUT: D("0.007")}


def test_unknown_model_raises_instead_of_costing_nothing() -> None:
    with pytest.raises(UnknownModelError) as caught:
        PRICES.price("claude-opus-9", WORKED_USAGE)
    assert caught.value.model_id == "claude-opus-9"
    with pytest.raises(UnknownModelError, match="claude-sonnet-5-20990101"):
        PRICES.resolve("claude-sonnet-5-20990101")


def test_unknown_service_tier_and_geo_are_named_in_the_error() -> None:
    with pytest.raises(UnknownServiceTierError, match="'priority'"):
        PRICES.price("claude-opus-5", WORKED_USAGE, service_tier="priority")
    with pytest.raises(UnknownInferenceGeoError, match="'eu'"):
        PRICES.price("claude-opus-5", WORKED_USAGE, inference_geo="eu")


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("claude-haiku-4-5", "claude-haiku-4-5-20251001"),
        ("claude-opus-4-5", "claude-opus-4-5-20251101"),
        ("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
        ("claude-opus-5[1m]", "claude-opus-5"),
        ("claude-opus-5-5[1m]", "claude-opus-5-5"),
        ("claude-haiku-4-5[1m]", "claude-haiku-4-5-20251001"),
    ],
)
def test_alias_resolves_to_the_dated_entry_and_same_price(alias: str, canonical: str) -> None:
    assert PRICES.resolve(alias).id == canonical
    assert PRICES.price(alias, WORKED_USAGE) == PRICES.price(canonical, WORKED_USAGE)


def test_opus_5_descriptions_match_the_cost_report() -> None:
    model = PRICES.resolve("claude-opus-5")
    assert [model.description(t) for t in (*tokens.TOKEN_TYPES, "web_search")] == [
        "Claude Opus 5 Usage - Input Tokens",
        "Claude Opus 5 Usage - Cache Write (5m) Tokens",
        "Claude Opus 5 Usage - Cache Write (1h) Tokens",
        "Claude Opus 5 Usage - Cache Read Tokens",
        "Claude Opus 5 Usage - Output Tokens",
        "Web Search Usage",
    ]
    with pytest.raises(UnknownTokenTypeError):
        model.description("code_execution")


@pytest.mark.parametrize(
    ("model_id", "display_name", "rate_limit_class", "batch"),
    [
        ("claude-sonnet-5", "Claude Sonnet 5", "sonnet-5", True),
        ("claude-opus-5", "Claude Opus 5", "opus-5", True),
        ("claude-haiku-4-5", "Claude Haiku 4.5", "haiku-4-5", True),
        ("claude-opus-4-6", "Claude Opus 4.6", "opus-4", True),
        ("claude-fable-5-1", "Claude Fable 5.1", "fable-5", True),
        ("claude-haiku-5-5", "Claude Haiku 5.5", "haiku-5", True),  # batch 0.5x since the 2026-12 reference
    ],
)
def test_demo_scenario_models_exist(
    model_id: str, display_name: str, rate_limit_class: str, batch: bool
) -> None:
    model = PRICES.resolve(model_id)
    assert (model.display_name, model.rate_limit_class, model.batch_available) == (
        display_name,
        rate_limit_class,
        batch,
    )


def test_every_entry_has_a_source_a_date_and_a_family_major_class() -> None:
    for model in PRICES.models.values():
        assert model.source.strip(), model.id
        assert dt.date(2025, 1, 1) <= model.as_of <= dt.date(2026, 12, 31), model.id
        assert re.fullmatch(r"(fable|mythos|opus|sonnet|haiku)-\d(-5)?", model.rate_limit_class), model.id
        assert all(rule.source.strip() for rule in model.long_context), model.id


def test_conflicting_sources_carry_a_note() -> None:
    assert "0.10" in PRICES.resolve("claude-sonnet-5-5").note
    assert "third-party" in PRICES.resolve("claude-fable-5-2").note


def test_default_price_list_is_loaded_once() -> None:
    assert PriceList.default() is PriceList.default()


CUSTOM_FILE = """
schema = 1
[web_search]
per_1000_requests = "12"
source = "test"
as_of = 2026-01-01
[inference_geo.us]
multiplier = "1.2"
source = "test"
as_of = 2026-01-01
[models.acme-large-1]
display_name = "Acme Large 1"
rate_limit_class = "acme-1"
aliases = ["acme-large"]
batch_multiplier = "0.6"
us_inference = true
rates = { input = "1", cache_write_5m = "1.5", cache_write_1h = "2", cache_read = "0.2", output = "3" }
source = "acme price sheet"
as_of = 2026-01-01
"""


def test_custom_price_file_prices_its_own_models(tmp_path: Path) -> None:
    path = tmp_path / "prices.toml"
    path.write_text(CUSTOM_FILE, encoding="utf-8")
    prices = PriceList.from_path(path)
    usage = TokenUsage(uncached_input=1_000_000, output=1_000_000, web_search_requests=1)
    cost = prices.price("acme-large", usage, service_tier="batch", inference_geo="us")
    assert cost.total == D("2.892")  # (1 + 3) x 0.6 x 1.2 + 0.012
    with pytest.raises(UnknownModelError):
        prices.resolve("claude-opus-5")


def _load_broken(tmp_path: Path, old: str, new: str) -> PriceFileError:
    path = tmp_path / "broken.toml"
    path.write_text(CUSTOM_FILE.replace(old, new), encoding="utf-8")
    with pytest.raises(PriceFileError) as caught:
        PriceList.from_path(path)
    assert str(path) in str(caught.value)
    return caught.value


def test_float_rate_fails_naming_entry_and_field(tmp_path: Path) -> None:
    error = _load_broken(tmp_path, 'input = "1"', "input = 1.0")
    assert error.location == "models.acme-large-1.rates.input"
    assert "decimal string" in str(error)


def test_missing_source_fails_naming_entry_and_field(tmp_path: Path) -> None:
    error = _load_broken(tmp_path, 'source = "acme price sheet"\n', "")
    assert error.location == "models.acme-large-1.source"
    assert "Field required" in str(error)


def test_negative_rate_and_misspelt_field_are_refused(tmp_path: Path) -> None:
    assert (
        _load_broken(tmp_path, 'output = "3"', 'output = "-3"').location == "models.acme-large-1.rates.output"
    )
    error = _load_broken(tmp_path, "us_inference", "us_inferense")
    assert error.location == "models.acme-large-1.us_inferense"


def test_alias_colliding_with_another_name_is_refused(tmp_path: Path) -> None:
    error = _load_broken(tmp_path, '["acme-large"]', '["acme-large", "acme-large-1"]')
    assert error.location == "models.acme-large-1.aliases"


def test_invalid_toml_is_refused(tmp_path: Path) -> None:
    assert "not valid TOML" in str(_load_broken(tmp_path, "schema = 1", "schema = "))
