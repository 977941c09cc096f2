"""Stateful property test of the rate limiter over several scopes, dimensions and clock faults.

The limiter boundary rules (B-n, docs/SANDBOX-ENGINE.md), each checked after every step:
- B-1 continuous integer refill: refilling in two steps gives exactly the level of one step;
- B-2 a bucket starts full;
- B-3 a refusal changes nothing and its retry-after is exact (one ns earlier refused, at it admitted);
- B-4 a quantity above a bucket's capacity is permanent (no retry-after), and only then;
- B-5 settle acts once per request id;
- B-6 admission is atomic across dimensions and scopes, and the refusal names a bucket that fails;
- B-7 `reset` is the instant the bucket is full; token `remaining` headers are rounded to 1,000;
- B-8 a zero-quantity check and the header computation are pure peeks.
Also: no bucket ever holds more than its capacity, RPM and ITPM never go negative.
"""

from __future__ import annotations

import copy
from datetime import datetime

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from sandbox.clock import NS_PER_MINUTE, NS_PER_SECOND, to_ns
from sandbox.ratelimit import RateLimiter, RateLimits, Scope, rate_limit_headers
from sandbox.ratelimit_headers import round_to_thousand

T0 = 1_794_268_800 * NS_PER_SECOND
ORG_A = ("org", "sonnet")
ORG_B = ("org", "haiku")
WS_A = ("ws", "wrkspc_apps", "sonnet")
UNCONFIGURED = ("ws", "wrkspc_none", "haiku")
SCOPE_SETS: tuple[tuple[Scope, ...], ...] = ((ORG_A,), (ORG_A, WS_A), (ORG_B,), (ORG_B, UNCONFIGURED))

# Mostly limits that do not divide a minute's nanoseconds, so waits need exact rounding up.
limits_strategy = st.builds(
    RateLimits,
    st.none() | st.sampled_from((1, 3, 7, 13)),
    st.none() | st.sampled_from((700, 3_333, 4_999)),
    st.none() | st.sampled_from((70, 999, 1_300)),
)


class LimiterMachine(RuleBasedStateMachine):
    """Random traffic, settlements and clock moves against one limiter."""

    otpm_mode = "actual"

    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.limiter = RateLimiter(burst_seconds=30, otpm_mode=self.otpm_mode)
        self.settled: set[str] = set()
        self.count = 0

    @initialize(a=limits_strategy, b=limits_strategy, ws=limits_strategy)
    def configure(self, a: RateLimits, b: RateLimits, ws: RateLimits) -> None:
        self.limiter.configure(ORG_A, a)
        self.limiter.configure(ORG_B, b)
        self.limiter.configure(WS_A, ws)
        for scope in (ORG_A, ORG_B, WS_A):  # B-2: every bucket starts full
            for bucket in self.limiter.buckets(scope).values():
                assert bucket.level_at(self.now) == bucket.capacity * NS_PER_MINUTE

    @rule(
        scopes=st.sampled_from(SCOPE_SETS),
        counted=st.integers(0, 6_000),
        max_tokens=st.integers(0, 2_500),
    )
    def admit(self, scopes: tuple[Scope, ...], counted: int, max_tokens: int) -> None:
        self.count += 1
        rid = f"req_{self.count}"
        levels_before = self._levels(scopes)
        before = self.limiter.snapshot()
        probe = copy.deepcopy(self.limiter)
        admission = self.limiter.admit(rid, scopes, counted, max_tokens, self.now)
        reserve = self.otpm_mode == "reserve"
        asked = {"requests": 1, "input-tokens": counted, "output-tokens": max_tokens if reserve else 1}
        too_big = any(
            asked[name] > bucket.capacity
            for scope in scopes
            for name, bucket in self.limiter.buckets(scope).items()
        )
        assert admission.permanent == too_big  # B-4
        if not admission.allowed:
            assert self.limiter.snapshot() == before  # B-3, B-6: a refusal consumes nothing
            self._check_refusal_names_a_failing_bucket(probe, admission.scope, admission.dimension, asked)
            if admission.permanent:
                assert admission.retry_after_ns is None
            else:
                self._check_retry_is_exact(probe, scopes, counted, max_tokens, admission.retry_after_ns)
            return
        taken = {"requests": 1, "input-tokens": counted, "output-tokens": max_tokens if reserve else 0}
        for key, level in self._levels(scopes).items():
            assert level == levels_before[key] - taken[key[1]] * NS_PER_MINUTE

    def _check_refusal_names_a_failing_bucket(
        self, probe: RateLimiter, scope: Scope | None, dimension: str | None, asked: dict[str, int]
    ) -> None:
        # B-6: the 429 names the dimension that failed, with that bucket's own limit.
        assert scope is not None and dimension is not None
        bucket = probe.buckets(scope)[dimension]
        assert bucket.wait_ns(asked[dimension], self.now) != 0

    def _check_retry_is_exact(
        self, probe: RateLimiter, scopes: tuple[Scope, ...], counted: int, max_tokens: int, wait: int | None
    ) -> None:
        assert wait is not None and wait > 0
        early = copy.deepcopy(probe)
        assert not early.admit("probe", scopes, counted, max_tokens, self.now + wait - 1).allowed
        assert probe.admit("probe", scopes, counted, max_tokens, self.now + wait).allowed

    def _levels(self, scopes: tuple[Scope, ...]) -> dict[tuple[Scope, str], int]:
        return {
            (scope, name): bucket.level_at(self.now)
            for scope in scopes
            for name, bucket in self.limiter.buckets(scope).items()
        }

    @precondition(lambda self: bool(self.limiter.pending()))
    @rule(data=st.data(), output=st.integers(0, 3_000))
    def settle_pending(self, data: st.DataObject, output: int) -> None:
        rid = data.draw(st.sampled_from(sorted(self.limiter.pending())))
        self.limiter.settle(rid, output, self.now)
        after_first = self.limiter.snapshot()
        self.limiter.settle(rid, output, self.now)
        assert self.limiter.snapshot() == after_first  # B-5
        assert rid not in self.limiter.pending()
        self.settled.add(rid)

    @precondition(lambda self: bool(self.settled))
    @rule(data=st.data(), output=st.integers(0, 3_000))
    def settle_again(self, data: st.DataObject, output: int) -> None:
        rid = data.draw(st.sampled_from(sorted(self.settled)))
        before = self.limiter.snapshot()
        self.limiter.settle(rid, output, self.now)
        assert self.limiter.snapshot() == before  # B-5

    @rule(delta=st.integers(0, 2 * NS_PER_MINUTE))
    def advance(self, delta: int) -> None:
        self.now += delta

    @rule(first=st.integers(0, NS_PER_MINUTE), second=st.integers(0, NS_PER_MINUTE))
    def refill_in_two_steps(self, first: int, second: int) -> None:
        # B-1: refill is exact integer arithmetic, so observing the bucket midway changes nothing.
        for scope in (ORG_A, ORG_B, WS_A):
            for bucket in self.limiter.buckets(scope).values():
                split = copy.deepcopy(bucket)
                split.debit(0, self.now + first)
                assert split.level_at(self.now + first + second) == bucket.level_at(self.now + first + second)

    @rule(scopes=st.sampled_from(SCOPE_SETS))
    def peek(self, scopes: tuple[Scope, ...]) -> None:
        # B-8: asking for nothing, or reading the headers, is a pure peek.
        before = self.limiter.snapshot()
        for scope in scopes:
            for bucket in self.limiter.buckets(scope).values():
                wait = bucket.try_take(0, self.now)  # waits only while an over-debit is repaid
                assert (wait == 0) == (bucket.level_at(self.now) >= 0)
        headers = rate_limit_headers(self.limiter, scopes, self.now)
        assert self.limiter.snapshot() == before
        self._check_headers(scopes, headers)

    def _check_headers(self, scopes: tuple[Scope, ...], headers: dict[str, str]) -> None:
        # B-7: each reset is the instant its bucket is full again; token counts are in thousands.
        prefix = "anthropic-ratelimit-"
        for name in ("requests", "input-tokens", "output-tokens"):
            buckets = [found[name] for scope in scopes if name in (found := self.limiter.buckets(scope))]
            if not buckets:
                assert f"{prefix}{name}-limit" not in headers
                continue
            remaining = int(headers[f"{prefix}{name}-remaining"])
            fewest = min(max(0, bucket.peek(self.now)) for bucket in buckets)
            assert remaining == (fewest if name == "requests" else round_to_thousand(fewest))
            reset = to_ns(datetime.fromisoformat(headers[f"{prefix}{name}-reset"]))
            limit = int(headers[f"{prefix}{name}-limit"])
            chosen = [b for b in buckets if b.limit == limit and abs(b.reset_ns(self.now) - reset) < 1000]
            assert chosen, (name, headers)
            bucket, full = chosen[0], chosen[0].capacity * NS_PER_MINUTE
            at = bucket.reset_ns(self.now)
            assert bucket.level_at(at) == full
            assert at == self.now or bucket.level_at(at - 1) < full  # full then, not one ns before

    @rule(delta=st.integers(1, NS_PER_MINUTE))
    def jump_backwards(self, delta: int) -> None:
        self.now -= delta

    @invariant()
    def no_bucket_exceeds_capacity(self) -> None:
        for scope in (ORG_A, ORG_B, WS_A):
            for bucket in self.limiter.buckets(scope).values():
                assert bucket.level_at(self.now) <= bucket.capacity * NS_PER_MINUTE
                assert bucket.peek(self.now) <= bucket.capacity

    @invariant()
    def rpm_and_itpm_never_go_negative(self) -> None:
        for scope in (ORG_A, ORG_B, WS_A):
            for name, bucket in self.limiter.buckets(scope).items():
                if name != "output-tokens":
                    assert bucket.level_at(self.now) >= 0


class ReserveLimiterMachine(LimiterMachine):
    """The same machine with OTPM reserving max_tokens at admission (older docs)."""

    otpm_mode = "reserve"


CI = settings(max_examples=150, stateful_step_count=40, deadline=None, derandomize=True)
TestLimiterActualMode = LimiterMachine.TestCase
TestLimiterActualMode.settings = CI
TestLimiterReserveMode = ReserveLimiterMachine.TestCase
TestLimiterReserveMode.settings = CI
