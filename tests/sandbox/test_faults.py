"""Fault plans: half-open windows, seeded probabilities, downtime for SLA accounting."""

import pytest

from sandbox.clock import NS_PER_HOUR
from sandbox.faults import Faults, Window


def test_windows_are_half_open() -> None:
    faults = Faults(outage_windows=[Window(100, 200)], overload_windows=[Window(300, 400)])
    assert [faults.in_outage(t) for t in (99, 100, 199, 200)] == [False, True, True, False]
    assert [faults.overloaded(t) for t in (299, 300, 399, 400)] == [False, True, True, False]


def test_probabilities_are_reproducible_from_the_seed() -> None:
    def draws(seed: int) -> list[bool]:
        faults = Faults(seed=seed, overload_probability=0.3)
        return [faults.overloaded(0) for _ in range(200)]

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)
    assert 30 < sum(draws(7)) < 90


def test_an_interrupted_stream_stops_before_its_full_output() -> None:
    faults = Faults(seed=1, interrupt_probability=1.0)
    cuts = [faults.interruption(500) for _ in range(100)]
    assert all(c is not None and 0 <= c < 500 for c in cuts)
    assert Faults(interrupt_probability=0.0).interruption(500) is None


def test_downtime_counts_overlapping_outages_once() -> None:
    faults = Faults(outage_windows=[Window(0, 2 * NS_PER_HOUR), Window(NS_PER_HOUR, 3 * NS_PER_HOUR)])
    assert faults.downtime_ns(0, 10 * NS_PER_HOUR) == 3 * NS_PER_HOUR
    assert faults.downtime_ns(2 * NS_PER_HOUR, 10 * NS_PER_HOUR) == NS_PER_HOUR


def test_invalid_fault_plans_are_refused() -> None:
    with pytest.raises(ValueError, match="overload_probability"):
        Faults(overload_probability=1.5)
    with pytest.raises(ValueError, match="end after"):
        Window(5, 5)
