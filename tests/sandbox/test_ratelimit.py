"""Worked examples for the rate limiter, its headers and its 429 message (rules B-1…B-8, SANDBOX-ENGINE)."""

from __future__ import annotations

import pytest

from sandbox.bucket import InvalidLimitError, InvalidQuantityError
from sandbox.clock import NS_PER_MINUTE, NS_PER_SECOND
from sandbox.ratelimit import (
    Admission,
    AdmissionNotRejectedError,
    DuplicateRequestError,
    InvalidOtpmModeError,
    RateLimiter,
    RateLimits,
    rate_limit_headers,
)
from sandbox.ratelimit_headers import round_to_thousand

T0 = 1_794_268_800 * NS_PER_SECOND  # 2026-11-10T00:00:00Z
S = NS_PER_SECOND
ORG = ("org", "sonnet")
WS = ("ws", "wrkspc_apps", "sonnet")
ORG_ID = "1815e560-bf0c-433e-b03a-793524e11fda"
TAIL = (
    " For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers"
    " for current usage. Please reduce the prompt length or the maximum tokens requested, or try again"
    " later. You may also contact sales at https://claude.com/contact-sales to discuss your options"
    " for a rate limit increase."
)


def limiter_with(limits: RateLimits, *, burst_seconds: int = 60, otpm_mode: str = "actual") -> RateLimiter:
    limiter = RateLimiter(burst_seconds=burst_seconds, otpm_mode=otpm_mode)
    limiter.configure(ORG, limits)
    return limiter


def test_five_rpm_sixth_request_waits_exactly_twelve_seconds() -> None:
    limiter = limiter_with(RateLimits(5, None, None))
    assert all(limiter.admit(f"r{i}", (ORG,), 10, 10, T0).allowed for i in range(5))
    sixth = limiter.admit("r5", (ORG,), 10, 10, T0)
    assert sixth == Admission(False, False, 12 * S, "requests", ORG, 5)
    assert sixth.retry_after_seconds == 12
    assert not limiter.admit("r5", (ORG,), 10, 10, T0 + 12 * S - 1).allowed
    assert limiter.admit("r5", (ORG,), 10, 10, T0 + 12 * S).allowed


def test_five_rpm_headers_after_five_requests_are_exact() -> None:
    limiter = limiter_with(RateLimits(5, 50_000, 8_000))
    for i in range(5):
        limiter.admit(f"r{i}", (ORG,), 9_600, 4_000, T0)
        limiter.settle(f"r{i}", 300, T0)
    assert rate_limit_headers(limiter, (ORG,), T0) == {
        "anthropic-ratelimit-requests-limit": "5",
        "anthropic-ratelimit-requests-remaining": "0",
        "anthropic-ratelimit-requests-reset": "2026-11-10T00:01:00Z",
        "anthropic-ratelimit-input-tokens-limit": "50000",
        "anthropic-ratelimit-input-tokens-remaining": "2000",
        "anthropic-ratelimit-input-tokens-reset": "2026-11-10T00:00:57.600000Z",
        "anthropic-ratelimit-output-tokens-limit": "8000",
        "anthropic-ratelimit-output-tokens-remaining": "7000",  # 6,500 rounds half up
        "anthropic-ratelimit-output-tokens-reset": "2026-11-10T00:00:11.250000Z",
        "anthropic-ratelimit-tokens-limit": "58000",
        "anthropic-ratelimit-tokens-remaining": "9000",  # 2,000 + 6,500
        "anthropic-ratelimit-tokens-reset": "2026-11-10T00:00:57.600000Z",
    }


def test_a_refusal_in_one_dimension_consumes_nothing_in_the_others() -> None:
    limiter = limiter_with(RateLimits(5, 1_000, 8_000))
    assert limiter.admit("fits-exactly", (ORG,), 999, 10, T0).allowed  # 1 input token left
    before = limiter.snapshot()
    refused = limiter.admit("next", (ORG,), 2, 10, T0)
    # One input token short at 1,000 per minute: 60 ms; RPM and OTPM keep their units.
    assert (refused.dimension, refused.retry_after_ns) == ("input-tokens", 60_000_000)
    assert limiter.snapshot() == before
    assert limiter.buckets(ORG)["requests"].peek(T0) == 4


def test_a_workspace_refusal_leaves_the_organisation_untouched() -> None:
    limiter = limiter_with(RateLimits(50, 100_000, 20_000))
    limiter.configure(WS, RateLimits(None, 5_000, None))
    limiter.admit("a", (ORG, WS), 4_000, 100, T0)
    before = limiter.snapshot()
    refused = limiter.admit("b", (ORG, WS), 2_000, 100, T0)
    assert (refused.scope, refused.dimension, refused.limit) == (WS, "input-tokens", 5_000)
    assert refused.retry_after_ns == 12 * S
    assert limiter.snapshot() == before


def test_the_refusal_reports_the_largest_wait_among_failing_buckets() -> None:
    limiter = limiter_with(RateLimits(5, 60_000, None))
    for i in range(5):
        limiter.admit(f"r{i}", (ORG,), 12_000, 0, T0)
    # RPM needs 12 s for one request; ITPM needs 30 s for 30,000 tokens: the refusal names ITPM.
    refused = limiter.admit("x", (ORG,), 30_000, 0, T0)
    assert (refused.dimension, refused.retry_after_ns, refused.limit) == ("input-tokens", 30 * S, 60_000)
    assert not limiter.admit("x", (ORG,), 30_000, 0, T0 + 30 * S - 1).allowed
    assert limiter.admit("x", (ORG,), 30_000, 0, T0 + 30 * S).allowed


def test_input_above_capacity_is_permanent_without_retry_after() -> None:
    limiter = limiter_with(RateLimits(50, 50_000, 8_000), burst_seconds=10)
    refused = limiter.admit("huge", (ORG,), 8_334, 100, T0)
    assert refused == Admission(False, True, None, "input-tokens", ORG, 50_000)
    assert refused.retry_after_seconds is None
    assert limiter.admit("ok", (ORG,), 8_333, 100, T0).allowed


def test_actual_mode_does_not_reserve_max_tokens_and_settle_debits_output() -> None:
    limiter = limiter_with(RateLimits(None, None, 8_000))
    assert limiter.admit("a", (ORG,), 0, 64_000, T0).allowed  # max_tokens above OTPM capacity is fine
    assert limiter.buckets(ORG)["output-tokens"].peek(T0) == 8_000
    limiter.settle("a", 9_000, T0)
    assert limiter.buckets(ORG)["output-tokens"].peek(T0) == -1_000
    refused = limiter.admit("b", (ORG,), 0, 10, T0)
    # 1,001 tokens short at 8,000 per minute: 7.5075 s.
    assert (refused.dimension, refused.retry_after_ns) == ("output-tokens", 7_507_500_000)
    assert refused.retry_after_seconds == 8
    assert not limiter.admit("b", (ORG,), 0, 10, T0 + 7_507_500_000 - 1).allowed
    assert limiter.admit("b", (ORG,), 0, 10, T0 + 7_507_500_000).allowed


def test_reserve_mode_takes_max_tokens_and_settle_returns_the_unused_part() -> None:
    limiter = limiter_with(RateLimits(None, None, 8_000), otpm_mode="reserve")
    assert limiter.admit("a", (ORG,), 0, 5_000, T0).allowed
    assert limiter.buckets(ORG)["output-tokens"].peek(T0) == 3_000
    refused = limiter.admit("b", (ORG,), 0, 4_000, T0)
    assert (refused.dimension, refused.retry_after_ns) == ("output-tokens", 7_500_000_000)
    limiter.settle("a", 1_200, T0)
    assert limiter.buckets(ORG)["output-tokens"].peek(T0) == 6_800
    permanent = limiter.admit("c", (ORG,), 0, 8_001, T0)
    assert permanent.permanent and permanent.retry_after_ns is None


def test_settle_twice_changes_nothing_the_second_time() -> None:
    limiter = limiter_with(RateLimits(5, 50_000, 8_000))
    limiter.admit("a", (ORG,), 100, 100, T0)
    limiter.settle("a", 700, T0 + S)
    after_first = limiter.snapshot()
    limiter.settle("a", 700, T0 + 2 * S)
    limiter.settle("never-admitted", 700, T0 + 2 * S)
    assert limiter.snapshot() == after_first
    assert limiter.buckets(ORG)["output-tokens"].peek(T0 + S) == 7_300


def test_a_scope_never_configured_is_unlimited_and_sends_no_headers() -> None:
    limiter = RateLimiter()
    assert not limiter.has_scope(ORG)
    assert all(limiter.admit(f"r{i}", (ORG,), 10**9, 10**9, T0).allowed for i in range(100))
    assert rate_limit_headers(limiter, (ORG,), T0) == {}


def test_retry_after_seconds_rounds_up_and_is_never_zero() -> None:
    assert Admission(False, False, 1).retry_after_seconds == 1
    assert Admission(False, False, 12 * S).retry_after_seconds == 12
    assert Admission(False, False, 12 * S + 1).retry_after_seconds == 13


@pytest.mark.parametrize(
    ("limits", "counted", "expected_of"),
    [
        (RateLimits(50, None, None), 0, "of 50 requests per minute"),
        (RateLimits(None, 50_000, None), 50_001, "of 50,000 input tokens per minute"),
        (RateLimits(None, None, 8_000), 0, "of 8,000 output tokens per minute"),
    ],
)
def test_rejection_message_matches_anthropic_word_for_word(
    limits: RateLimits, counted: int, expected_of: str
) -> None:
    limiter = limiter_with(limits)
    limiter.admit("a", (ORG,), 0, 0, T0)
    limiter.settle("a", 8_000, T0)
    for i in range(50):
        limiter.admit(f"fill{i}", (ORG,), 0, 0, T0)
    refused = limiter.admit("b", (ORG,), counted, 0, T0)
    assert not refused.allowed
    # The current wording (reference addendum §4, seen from about February 2026) names the model asked for.
    model = "claude-sonnet-4-20250514"
    names = f"(org: {ORG_ID}, model: {model})."
    assert limiter.rejection_message(refused, ORG_ID, model) == (
        f"This request would exceed your organization's rate limit {expected_of} {names}" + TAIL
    )


def test_rejection_message_for_a_workspace_limit_names_the_workspace() -> None:
    limiter = limiter_with(RateLimits(50, None, None))
    limiter.configure(WS, RateLimits(1, None, None))
    limiter.admit("a", (ORG, WS), 0, 0, T0)
    refused = limiter.admit("b", (ORG, WS), 0, 0, T0)
    message = limiter.rejection_message(refused, ORG_ID, "claude-sonnet-5")
    assert message.startswith("This request would exceed your workspace's rate limit of 1 request")
    assert f"(org: {ORG_ID}, workspace: wrkspc_apps, model: claude-sonnet-5)" in message


def test_tokens_headers_with_a_workspace_show_the_most_restrictive_bucket() -> None:
    limiter = limiter_with(RateLimits(50, 100_000, 20_000))
    limiter.configure(WS, RateLimits(None, 30_000, 10_000))
    limiter.admit("a", (ORG, WS), 25_000, 0, T0)
    headers = rate_limit_headers(limiter, (ORG, WS), T0)
    assert headers["anthropic-ratelimit-input-tokens-limit"] == "30000"
    assert headers["anthropic-ratelimit-input-tokens-remaining"] == "5000"
    assert headers["anthropic-ratelimit-tokens-limit"] == "30000"
    assert headers["anthropic-ratelimit-tokens-remaining"] == "5000"
    assert headers["anthropic-ratelimit-tokens-reset"] == "2026-11-10T00:00:50Z"
    assert headers["anthropic-ratelimit-requests-remaining"] == "49"


def test_token_remaining_rounds_to_the_nearest_thousand_halves_up() -> None:
    assert [round_to_thousand(n) for n in (0, 499, 500, 1_499, 1_500, 2_500, 49_999)] == [
        0, 0, 1_000, 1_000, 2_000, 3_000, 50_000,
    ]  # fmt: skip


def test_configure_at_runtime_keeps_what_was_used_and_a_new_dimension_starts_full() -> None:
    limiter = limiter_with(RateLimits(5, None, None))
    limiter.admit("a", (ORG,), 0, 0, T0)
    limiter.configure(ORG, RateLimits(50, 10_000, None))
    assert limiter.buckets(ORG)["requests"].peek(T0) == 49
    assert limiter.buckets(ORG)["input-tokens"].peek(T0) == 10_000
    limiter.configure(ORG, RateLimits(None, 10_000, None))
    assert "requests" not in limiter.buckets(ORG)
    assert limiter.limits(ORG) == RateLimits(None, 10_000, None)


def test_set_burst_shrinks_every_bucket_to_that_many_seconds() -> None:
    limiter = limiter_with(RateLimits(60, 60_000, None))
    limiter.set_burst(1)
    assert limiter.burst_seconds == 1
    assert limiter.admit("a", (ORG,), 1_000, 0, T0).allowed
    refused = limiter.admit("b", (ORG,), 0, 0, T0)
    assert (refused.dimension, refused.retry_after_ns) == ("requests", S)
    assert limiter.admit("c", (ORG,), 1_001, 0, T0 + S).permanent


def test_a_simulated_year_at_exactly_the_limit_is_never_refused() -> None:
    limiter = limiter_with(RateLimits(1, 7, None))
    minutes = 365 * 24 * 60
    for k in range(minutes):
        admission = limiter.admit("r", (ORG,), 7, 0, T0 + k * NS_PER_MINUTE)
        assert admission.allowed, k
    end = T0 + minutes * NS_PER_MINUTE
    early = limiter.admit("r", (ORG,), 7, 0, end - 1)
    assert (early.dimension, early.retry_after_ns) == ("requests", 1)
    assert limiter.admit("r", (ORG,), 7, 0, end).allowed


def test_invalid_configuration_and_quantities_are_refused_naming_the_value() -> None:
    with pytest.raises(InvalidOtpmModeError, match="'estimate'"):
        RateLimiter(otpm_mode="estimate")
    with pytest.raises(InvalidLimitError, match="burst_seconds"):
        RateLimiter(burst_seconds=0)
    limiter = RateLimiter()
    with pytest.raises(InvalidLimitError, match="itpm must be a positive integer, got 0"):
        limiter.configure(ORG, RateLimits(5, 0, None))
    with pytest.raises(InvalidQuantityError, match="got -3"):
        limiter.admit("a", (ORG,), -3, 0, T0)
    with pytest.raises(InvalidQuantityError, match="got -1"):
        limiter.settle("a", -1, T0)


def test_admitting_an_unsettled_request_id_again_is_an_error() -> None:
    limiter = limiter_with(RateLimits(None, None, 8_000))
    limiter.admit("a", (ORG,), 0, 0, T0)
    with pytest.raises(DuplicateRequestError, match="'a'"):
        limiter.admit("a", (ORG,), 0, 0, T0)
    limiter.settle("a", 10, T0)
    assert limiter.admit("a", (ORG,), 0, 0, T0).allowed


def test_rejection_message_of_an_allowed_admission_is_an_error() -> None:
    with pytest.raises(AdmissionNotRejectedError):
        RateLimiter().rejection_message(Admission(True), ORG_ID)
