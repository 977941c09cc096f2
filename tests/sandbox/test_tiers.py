"""Usage tiers as data: caps, rate limits per model class, model-ID mapping and typed errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.pricing import PriceList
from sandbox.ratelimit import RateLimits
from sandbox.tiers import (
    UnknownModelClassError,
    UnknownModelIdError,
    UnknownProfileError,
    UnknownTierError,
    model_class_for,
    profile_names,
    tier_profile,
)


def test_current_profile_caps_are_500_1000_200000_and_custom_has_none() -> None:
    profile = tier_profile("current")
    caps = {name: profile.tier(name).monthly_cap for name in profile.tier_names()}
    assert caps == {
        "Evaluation": Decimal(100),
        "Start": Decimal(500),
        "Build": Decimal(1000),
        "Scale": Decimal(200_000),
        "Custom": None,
    }


def test_evaluation_cap_and_custom_limits_are_marked_assumed() -> None:
    profile = tier_profile("current")
    assert profile.tier("Evaluation").assumed
    assert profile.tier("Custom").assumed
    assert not profile.tier("Start").assumed


def test_start_tier_fable_is_1000_rpm_500k_itpm_100k_otpm() -> None:
    assert tier_profile("current").rate_limits("Start", "fable-5") == RateLimits(1_000, 500_000, 100_000)


def test_scale_tier_opus_5_is_10000_rpm_10m_itpm_2m_otpm() -> None:
    assert tier_profile("current").rate_limits("Scale", "opus-5") == RateLimits(10_000, 10_000_000, 2_000_000)


def test_build_tier_haiku_3_5_is_2000_rpm_200k_itpm_40k_otpm() -> None:
    assert tier_profile("current").tier("Build").rate_limits("haiku-3-5") == RateLimits(
        2_000, 200_000, 40_000
    )


def test_only_haiku_3_5_and_retired_models_count_cache_reads() -> None:
    profile = tier_profile("current")
    assert profile.cache_reads_count("haiku-3-5")
    assert not profile.cache_reads_count("opus-4")
    assert not profile.cache_reads_count("haiku-4-5")


def test_every_priced_model_has_a_class_in_the_current_profile() -> None:
    # World looks up cache_reads_count for whatever model a request names.
    classes = set(tier_profile("current").model_classes())
    prices = PriceList.default()
    for model_id in ("claude-opus-4-6", "claude-3-haiku-20240307", "claude-haiku-5-5", "claude-fable-5-2"):
        assert prices.resolve(model_id).rate_limit_class in classes


@pytest.mark.parametrize(
    ("model_id", "model_class"),
    [
        ("claude-opus-4-6", "opus-4"),
        ("claude-sonnet-4-5-20250929", "sonnet-4"),
        ("claude-fable-5-1", "fable-5"),
        ("claude-fable-5", "fable-5"),
        ("claude-opus-5-5", "opus-5-5"),  # its own table since the docs of 2026-10-17
        ("claude-sonnet-5-5", "sonnet-5-5"),
        ("claude-haiku-5-5", "haiku-5"),
        ("claude-haiku-4-5-20251001", "haiku-4-5"),
        ("claude-3-5-haiku-20241022", "haiku-3-5"),
        ("claude-mythos-5-1", "mythos-5"),
    ],
)
def test_model_id_maps_to_its_rate_limit_class(model_id: str, model_class: str) -> None:
    assert model_class_for(model_id) == model_class


def test_model_class_mapping_agrees_with_the_price_list() -> None:
    prices = PriceList.default()
    for model_id in ("claude-opus-4-5-20251101", "claude-sonnet-4-6", "claude-3-7-sonnet-20250219"):
        assert model_class_for(model_id) == prices.resolve(model_id).rate_limit_class


def test_a_prefix_must_end_at_a_dash_so_opus_50_is_unknown() -> None:
    with pytest.raises(UnknownModelIdError) as caught:
        model_class_for("claude-opus-50")
    assert caught.value.value == "claude-opus-50"
    assert "claude-opus-5*" in str(caught.value)


def test_historic_tier_1_is_5_dollar_deposit_100_monthly_and_50_rpm() -> None:
    tier = tier_profile("historic").tier("Tier 1")
    assert (tier.deposit_threshold, tier.monthly_cap) == (Decimal(5), Decimal(100))
    assert tier.rate_limits("opus-4") == RateLimits(50, 30_000, 8_000)
    assert tier.rate_limits("haiku-4-5") == RateLimits(50, 50_000, 10_000)


def test_historic_tier_4_monthly_cap_is_200000() -> None:
    assert tier_profile("historic").tier("Tier 4").monthly_cap == Decimal(200_000)


def test_historic_deposit_of_exactly_40_reaches_tier_2_but_39_99_does_not() -> None:
    profile = tier_profile("historic")
    reached = profile.tier_for_deposits(Decimal(40))
    assert reached is not None and reached.name == "Tier 2"
    below = profile.tier_for_deposits(Decimal("39.99"))
    assert below is not None and below.name == "Tier 1"
    assert profile.tier_for_deposits(Decimal("4.99")) is None


def test_profiles_carry_a_source_and_date() -> None:
    for name in profile_names():
        profile = tier_profile(name)
        assert profile.source and profile.as_of[:4] in {"2025", "2026"}


def test_unknown_profile_names_the_value_and_the_choices() -> None:
    with pytest.raises(UnknownProfileError, match=r"'future'.*current, historic"):
        tier_profile("future")


def test_unknown_tier_names_the_value_and_the_choices() -> None:
    with pytest.raises(UnknownTierError) as caught:
        tier_profile("current").tier("Tier 1")
    assert caught.value.value == "Tier 1"
    assert "Start" in caught.value.choices


def test_unknown_model_class_names_the_value_and_the_choices() -> None:
    profile = tier_profile("historic")
    with pytest.raises(UnknownModelClassError, match="'fable-5'"):
        profile.rate_limits("Tier 2", "fable-5")
    with pytest.raises(UnknownModelClassError, match="opus-4"):
        profile.cache_reads_count("fable-5")


def test_profile_is_loaded_once_and_shared() -> None:
    assert tier_profile("current") is tier_profile("current")
