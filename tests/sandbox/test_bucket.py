"""Worked examples for the token bucket, exact values: boundary rules B-1…B-4, B-7, B-8 (SANDBOX-ENGINE)."""

from __future__ import annotations

import pytest

from sandbox.bucket import (
    PERMANENT,
    InvalidLimitError,
    InvalidQuantityError,
    TokenBucket,
    capacity_for,
)
from sandbox.clock import NS_PER_DAY, NS_PER_MINUTE, NS_PER_SECOND

T0 = 1_794_268_800 * NS_PER_SECOND  # 2026-11-10T00:00:00Z
S = NS_PER_SECOND


def test_five_rpm_bucket_starts_full_and_sixth_take_waits_exactly_twelve_seconds() -> None:
    bucket = TokenBucket(5, T0)
    assert bucket.peek(T0) == 5
    assert [bucket.try_take(1, T0) for _ in range(5)] == [0, 0, 0, 0, 0]
    assert bucket.try_take(1, T0) == 12 * S
    assert bucket.try_take(1, T0 + 12 * S - 1) == 1
    assert bucket.try_take(1, T0 + 12 * S) == 0
    assert bucket.peek(T0 + 12 * S) == 0


def test_asking_five_with_two_left_at_one_per_second_waits_three_seconds() -> None:
    # redis-cell's worked case: 60 per minute, capacity 5, 3 taken → 2 left, 5 asked.
    bucket = TokenBucket(60, T0, capacity=5)
    assert bucket.try_take(3, T0) == 0
    before = bucket.state()
    assert bucket.try_take(5, T0) == 3 * S
    assert bucket.state() == before
    assert bucket.try_take(5, T0 + 3 * S - 1) == 1
    assert bucket.try_take(5, T0 + 3 * S) == 0


@pytest.mark.parametrize(
    ("limit", "capacity", "taken", "qty", "expected_wait"),
    [
        (5, 5, 5, 1, 12 * S),
        (7, 7, 7, 1, 8_571_428_572),  # 60 s / 7 rounded up to the next whole ns
        (50_000, 50_000, 50_000, 1_000, 1_200_000_000),
        (50_000, 50_000, 49_000, 1_000, 0),
        (60, 60, 60, 60, NS_PER_MINUTE),
        (3, 3, 0, 4, PERMANENT),
    ],
)
def test_wait_is_the_least_whole_ns_until_the_quantity_fits(
    limit: int, capacity: int, taken: int, qty: int, expected_wait: int
) -> None:
    bucket = TokenBucket(limit, T0, capacity)
    assert bucket.try_take(taken, T0) == 0
    assert bucket.wait_ns(qty, T0) == expected_wait
    if expected_wait > 0:
        assert bucket.wait_ns(qty, T0 + expected_wait - 1) > 0
        assert bucket.wait_ns(qty, T0 + expected_wait) == 0


def test_quantity_above_capacity_is_permanent_and_consumes_nothing() -> None:
    bucket = TokenBucket(8_000, T0)
    before = bucket.state()
    assert bucket.try_take(8_001, T0) == PERMANENT
    assert bucket.try_take(8_001, T0 + NS_PER_DAY) == PERMANENT
    assert bucket.state() == before
    assert bucket.try_take(8_000, T0) == 0


def test_zero_quantity_is_a_pure_peek_even_on_an_empty_bucket() -> None:
    bucket = TokenBucket(5, T0)
    bucket.try_take(5, T0)
    before = bucket.state()
    assert bucket.try_take(0, T0 + 3 * S) == 0
    assert bucket.state() == before


def test_reset_is_the_instant_the_bucket_is_full_not_when_one_unit_fits() -> None:
    bucket = TokenBucket(5, T0)
    assert bucket.reset_ns(T0) == T0
    bucket.try_take(1, T0)
    assert bucket.reset_ns(T0) == T0 + 12 * S
    bucket.try_take(4, T0)
    assert bucket.reset_ns(T0) == T0 + 60 * S
    assert bucket.reset_ns(T0 + 30 * S) == T0 + 60 * S
    assert bucket.reset_ns(T0 + 90 * S) == T0 + 90 * S


@pytest.mark.parametrize(
    ("limit", "burst_seconds", "capacity"),
    [(60, 60, 60), (60, 1, 1), (5, 1, 1), (50_000, 10, 8_333), (4_000_000, 6, 400_000)],
)
def test_capacity_is_burst_seconds_worth_of_the_limit_and_at_least_one(
    limit: int, burst_seconds: int, capacity: int
) -> None:
    assert capacity_for(limit, burst_seconds) == capacity


def test_refill_never_exceeds_capacity_after_a_long_idle() -> None:
    bucket = TokenBucket(60, T0, capacity=10)
    bucket.try_take(10, T0)
    assert bucket.peek(T0 + 365 * NS_PER_DAY) == 10


def test_clock_going_backwards_refills_nothing_and_waits_from_the_latest_instant() -> None:
    bucket = TokenBucket(5, T0)
    bucket.try_take(5, T0 + 60 * S)
    assert bucket.peek(T0) == 0
    assert bucket.peek(T0 - NS_PER_DAY) == 0
    # Seen from T0, one unit fits 12 s after the latest instant (T0 + 60 s).
    assert bucket.wait_ns(1, T0) == 72 * S
    assert bucket.try_take(1, T0 + 72 * S - 1) > 0
    assert bucket.try_take(1, T0 + 72 * S) == 0
    # Going back again and forward to where it was must not refill the same interval twice.
    assert bucket.peek(T0) == 0
    assert bucket.peek(T0 + 72 * S) == 0


def test_backwards_clock_on_a_full_bucket_never_overfills() -> None:
    bucket = TokenBucket(5, T0 + NS_PER_DAY)
    assert bucket.peek(T0) == 5
    assert bucket.try_take(2, T0) == 0
    assert bucket.peek(T0 + NS_PER_DAY + NS_PER_DAY) == 5


def test_debit_may_take_the_level_below_zero_and_delays_the_next_take() -> None:
    bucket = TokenBucket(5, T0)
    bucket.try_take(5, T0)
    bucket.debit(3, T0)
    assert bucket.peek(T0) == -3
    assert bucket.wait_ns(1, T0) == 48 * S
    assert bucket.reset_ns(T0) == T0 + 96 * S


def test_refund_gives_back_unused_units_but_never_above_capacity() -> None:
    bucket = TokenBucket(5, T0)
    bucket.try_take(3, T0)
    bucket.refund(2, T0)
    assert bucket.peek(T0) == 4
    bucket.refund(100, T0)
    assert bucket.peek(T0) == 5


def test_reconfigure_keeps_the_amount_already_used() -> None:
    bucket = TokenBucket(5, T0)
    bucket.try_take(3, T0)
    bucket.reconfigure(50, 50)
    assert bucket.peek(T0) == 47
    bucket.reconfigure(2, 2)
    assert bucket.peek(T0) == -1


def test_a_simulated_year_of_steady_traffic_has_no_drift() -> None:
    # 7 units per minute, 100 taken every 100/7 minutes: the intervals are not whole nanoseconds,
    # so each take is due at the exact rational instant rounded up, and one ns earlier must fail.
    bucket = TokenBucket(7, T0, capacity=700)
    assert bucket.try_take(700, T0) == 0
    takes = 365 * 24 * 60 * 7 // 100
    for k in range(1, takes + 1):
        due = T0 + -(-k * 100 * NS_PER_MINUTE // 7)
        assert bucket.wait_ns(100, due - 1) == 1
        assert bucket.try_take(100, due) == 0
    end = T0 + 365 * NS_PER_DAY
    assert bucket.peek(end) == (end - T0) * 7 // NS_PER_MINUTE - takes * 100


@pytest.mark.parametrize(("limit", "capacity"), [(0, None), (-5, None), (5, 0)])
def test_non_positive_limits_are_refused_naming_the_value(limit: int, capacity: int | None) -> None:
    with pytest.raises(InvalidLimitError, match=r"got (0|-5)"):
        TokenBucket(limit, T0, capacity)


def test_negative_quantities_are_refused() -> None:
    bucket = TokenBucket(5, T0)
    for action in (bucket.try_take, bucket.debit, bucket.refund):
        with pytest.raises(InvalidQuantityError, match="got -1"):
            action(-1, T0)


def test_zero_burst_is_refused() -> None:
    with pytest.raises(InvalidLimitError, match="burst_seconds"):
        capacity_for(60, 0)
