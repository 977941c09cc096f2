"""Stateful property test of the rate limiter over several scopes, dimensions and clock faults.

Invariants: no bucket ever holds more than its capacity; a refused admission changes nothing; an
admission consumes exactly its quantities from every bucket of every scope (atomicity); settle acts
once; a refusal's retry-after is exact (one ns earlier still refused, at the instant admitted).
"""

from __future__ import annotations

import copy

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from sandbox.clock import NS_PER_MINUTE, NS_PER_SECOND
from sandbox.ratelimit import RateLimiter, RateLimits, Scope

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
        if not admission.allowed:
            assert self.limiter.snapshot() == before
            if admission.permanent:
                assert admission.retry_after_ns is None
            else:
                self._check_retry_is_exact(probe, scopes, counted, max_tokens, admission.retry_after_ns)
            return
        reserve = self.otpm_mode == "reserve"
        taken = {"requests": 1, "input-tokens": counted, "output-tokens": max_tokens if reserve else 0}
        for key, level in self._levels(scopes).items():
            assert level == levels_before[key] - taken[key[1]] * NS_PER_MINUTE

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
        assert self.limiter.snapshot() == after_first
        assert rid not in self.limiter.pending()
        self.settled.add(rid)

    @precondition(lambda self: bool(self.settled))
    @rule(data=st.data(), output=st.integers(0, 3_000))
    def settle_again(self, data: st.DataObject, output: int) -> None:
        rid = data.draw(st.sampled_from(sorted(self.settled)))
        before = self.limiter.snapshot()
        self.limiter.settle(rid, output, self.now)
        assert self.limiter.snapshot() == before

    @rule(delta=st.integers(0, 2 * NS_PER_MINUTE))
    def advance(self, delta: int) -> None:
        self.now += delta

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
