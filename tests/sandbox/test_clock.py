"""The simulated clock: integer time, scheduling order, real time at a speed factor."""

from datetime import UTC, datetime

import pytest

from sandbox.clock import (
    NS_PER_DAY,
    NS_PER_SECOND,
    RealtimeClock,
    VirtualClock,
    rfc3339,
    seconds,
    to_datetime,
    to_ns,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def test_conversions_round_trip_and_refuse_naive_datetimes() -> None:
    assert to_datetime(to_ns(T0)) == T0
    assert rfc3339(to_ns(T0)) == "2026-11-01T00:00:00Z"
    assert rfc3339(to_ns(T0) + 1_500_000) == "2026-11-01T00:00:00.001500Z"
    with pytest.raises(ValueError, match="naive"):
        to_ns(datetime(2026, 11, 1))


def test_scheduled_actions_run_in_time_order_and_fifo_for_ties() -> None:
    clock = VirtualClock(T0)
    log: list[tuple[str, int]] = []
    t0 = clock.now_ns()
    clock.call_at(t0 + 3, lambda: log.append(("c", clock.now_ns() - t0)))
    clock.call_at(t0 + 1, lambda: log.append(("a", clock.now_ns() - t0)))
    clock.call_at(t0 + 1, lambda: log.append(("b", clock.now_ns() - t0)))
    clock.advance(2)
    assert log == [("a", 1), ("b", 1)]
    assert clock.now_ns() == t0 + 2 and clock.pending() == 1
    clock.advance(10)
    assert log[-1] == ("c", 3)


def test_an_action_can_schedule_another_within_the_same_advance() -> None:
    clock = VirtualClock(T0)
    ticks: list[int] = []

    def tick() -> None:
        ticks.append(clock.now_ns())
        if len(ticks) < 3:
            clock.call_later(NS_PER_SECOND, tick)

    clock.call_later(0, tick)
    clock.advance(seconds(10))
    assert [t - to_ns(T0) for t in ticks] == [0, NS_PER_SECOND, 2 * NS_PER_SECOND]


def test_a_simulated_year_in_minute_steps_has_no_drift() -> None:
    clock = VirtualClock(T0)
    for _ in range(365 * 24 * 60):
        clock.advance(60 * NS_PER_SECOND)
    assert clock.now() == datetime(2027, 11, 1, tzinfo=UTC)


def test_advance_refuses_to_go_backwards_but_a_jump_can() -> None:
    clock = VirtualClock(T0)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance_to(to_ns(T0) - 1)
    clock.jump_to(to_ns(T0) - NS_PER_DAY)
    assert clock.now() == datetime(2026, 10, 31, tzinfo=UTC)


def test_realtime_clock_runs_at_its_speed_from_its_start() -> None:
    fake_monotonic = [0]
    clock = RealtimeClock(T0, speed=60.0, monotonic_ns=lambda: fake_monotonic[0])
    fake_monotonic[0] = 2 * NS_PER_SECOND
    assert clock.now() == datetime(2026, 11, 1, 0, 2, tzinfo=UTC)
    clock.set_speed(1.0)
    fake_monotonic[0] += NS_PER_SECOND
    assert clock.now() == datetime(2026, 11, 1, 0, 2, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="speed"):
        RealtimeClock(T0, speed=0)
