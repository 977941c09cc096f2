"""Synthetic traffic: same seed, same calls; spikes, weekends and caches shape the day."""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, to_ns
from sandbox.scenario import TrafficSpec
from sandbox.traffic import TrafficModel

MONDAY = to_ns(datetime(2026, 11, 2, tzinfo=UTC))


def _spec(**overrides: object) -> TrafficSpec:
    base: dict[str, object] = {
        "requests_per_day": 2000,
        "models": [{"model": "claude-sonnet-5", "share": 3}, {"model": "claude-haiku-4-5", "share": 1}],
    }
    return TrafficSpec.model_validate(base | overrides)


def _model(spec: TrafficSpec, seed: int = 7) -> TrafficModel:
    return TrafficModel(spec, start_ns=MONDAY, key_weights=[1.0] * 5, seed=seed, batch_models=frozenset())


def test_same_seed_gives_the_same_day_whatever_was_generated_before() -> None:
    first = _model(_spec()).day(3)
    model = _model(_spec())
    model.day(0)
    model.day(1)
    assert model.day(3) == first


def test_another_seed_gives_other_calls() -> None:
    assert _model(_spec(), seed=1).day(0) != _model(_spec(), seed=2).day(0)


def test_calls_fall_inside_their_day_in_time_order() -> None:
    calls = _model(_spec()).day(2)
    times = [c.at_ns for c in calls]
    assert times == sorted(times)
    assert times[0] >= MONDAY + 2 * NS_PER_DAY and times[-1] < MONDAY + 3 * NS_PER_DAY
    assert 1800 < len(calls) < 2200


def test_spike_multiplies_the_hours_it_covers() -> None:
    spec = _spec(diurnal=False, spikes=[{"day": 0, "start_hour": 13, "hours": 2, "factor": 10}])
    calls = _model(spec).day(0)
    in_spike = sum(1 for c in calls if 13 * NS_PER_HOUR <= c.at_ns - MONDAY < 15 * NS_PER_HOUR)
    before = sum(1 for c in calls if 11 * NS_PER_HOUR <= c.at_ns - MONDAY < 13 * NS_PER_HOUR)
    assert in_spike > 6 * before


def test_weekend_is_damped() -> None:
    model = _model(_spec(weekend_factor=0.1))
    assert len(model.day(5)) < len(model.day(4)) / 5  # Saturday vs Friday


def test_cache_hits_move_prompt_tokens_to_cache_reads() -> None:
    calls = _model(_spec(cache={"hit_rate": 1.0, "cached_fraction": 0.5})).day(0)
    assert all(c.cache_read > 0 and c.cache_write_5m == 0 for c in calls if c.uncached_input > 1)
    no_cache = _model(_spec()).day(0)
    assert all(c.cache_read == 0 for c in no_cache)


def test_batch_only_for_models_that_offer_it() -> None:
    spec = _spec(batch_share=1.0)
    model = TrafficModel(
        spec, start_ns=MONDAY, key_weights=[1.0], seed=1, batch_models=frozenset({"claude-haiku-4-5"})
    )
    calls = model.day(0)
    assert {c.service_tier for c in calls if c.model == "claude-haiku-4-5"} == {"batch"}
    assert {c.service_tier for c in calls if c.model == "claude-sonnet-5"} == {"standard"}


def test_day_arrays_are_the_same_draws_as_the_calls() -> None:
    calls = _model(_spec(batch_share=0.3, stream_share=0.5)).day(1)
    arrays = _model(_spec(batch_share=0.3, stream_share=0.5)).day_arrays(1)
    assert arrays is not None
    assert arrays.at_ns.tolist() == [c.at_ns for c in calls]
    assert arrays.output_tokens.tolist() == [c.output_tokens for c in calls]
    assert arrays.cache_read.tolist() == [c.cache_read for c in calls]
