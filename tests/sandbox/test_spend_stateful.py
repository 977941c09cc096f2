"""I-13 as a stateful property: with estimates (strict, pre-authorised hold mode) month-to-date
spend never exceeds any monthly limit, across month rollovers, and a model of the totals agrees."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, to_ns
from sandbox.spend import SpendLimits, month_bounds

T0 = to_ns(datetime(2026, 12, 30, tzinfo=UTC))
WORKSPACES = ("ws_a", "ws_b", None)
cents = st.integers(min_value=0, max_value=6_000).map(lambda n: Decimal(n).scaleb(-2))


class SpendMachine(RuleBasedStateMachine):
    """Random admissions near the limits, with time moving over month boundaries."""

    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.model: dict[tuple[int, str | None], Decimal] = defaultdict(Decimal)
        self.spend = SpendLimits(organization_limit=None, tier_cap=None)
        self.org_limit: Decimal | None = None
        self.tier_cap: Decimal | None = None
        self.ws_limit = Decimal(0)

    @initialize(
        org_limit=st.none() | st.integers(50, 150).map(Decimal),
        tier_cap=st.none() | st.sampled_from((Decimal(150), Decimal(200))),
        ws_limit=st.integers(0, 80).map(Decimal),
    )
    def configure(self, org_limit: Decimal | None, tier_cap: Decimal | None, ws_limit: Decimal) -> None:
        self.org_limit, self.tier_cap, self.ws_limit = org_limit, tier_cap, ws_limit
        self.spend = SpendLimits(organization_limit=org_limit, tier_cap=Decimal(150))
        self.spend.set_workspace_limit("ws_a", ws_limit)

    @rule(hours=st.integers(min_value=0, max_value=30))
    def advance(self, hours: int) -> None:
        self.now += hours * NS_PER_HOUR

    @rule(workspace=st.sampled_from(WORKSPACES), estimate=cents, fraction=st.integers(0, 100))
    def request(self, workspace: str | None, estimate: Decimal, fraction: int) -> None:
        refusal = self.spend.check(workspace, self.now, self.tier_cap, estimate=estimate)
        if refusal is not None:
            assert refusal.resets_at_ns == month_bounds(self.now)[1]
            # Refused when the limit is already reached, or this request's estimate would cross it.
            spent = refusal.month_to_date
            assert spent >= refusal.limit or spent + estimate > refusal.limit
            return
        actual = (estimate * fraction / 100).quantize(Decimal("0.01"))  # charges never exceed the hold
        self.spend.record(workspace, actual, self.now)
        month = month_bounds(self.now)[0]
        self.model[(month, None)] += actual
        if workspace is not None:
            self.model[(month, workspace)] += actual

    @invariant()
    def month_to_date_never_exceeds_a_limit(self) -> None:
        org_spend = self.spend.month_to_date(None, self.now)
        for limit in (self.org_limit, self.tier_cap):
            if limit is not None:
                assert org_spend <= limit
        assert self.spend.month_to_date("ws_a", self.now) <= self.ws_limit

    @invariant()
    def totals_match_a_model_of_each_month(self) -> None:
        month = month_bounds(self.now)[0]
        for workspace in WORKSPACES:
            assert self.spend.month_to_date(workspace, self.now) == self.model[(month, workspace)]
        assert month_bounds(month - NS_PER_DAY)[1] == month


SpendMachine.TestCase.settings = settings(
    max_examples=150, stateful_step_count=40, derandomize=True, deadline=None
)
TestSpendLimitsStateful = SpendMachine.TestCase
