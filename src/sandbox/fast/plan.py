"""What the fast engine is told: an organisation's money and limits (`AccountPlan`) and its traffic.

Traffic comes either as a scenario replayed request by request (`sandbox.fast.cells.replay_cells`) or
as an explicit `TrafficPlan`: lanes of expected requests per minute with mean tokens per request, drawn
afresh for every Monte Carlo run. Money amounts are Decimal here; the engine computes in float64 and
hands amounts back as Decimal (it is an estimate engine, checked against the exact one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

import numpy as np

from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, to_ns
from sandbox.ratelimit import RateLimits
from sandbox.scenario import AutoReloadSpec, FaultSpec, Scenario
from sandbox.tiers import tier_profile

Window = tuple[int, int]  # [start_ns, end_ns)
PaymentKind = Literal["always", "probability", "scripted"]


@dataclass(frozen=True, slots=True)
class LotPlan:
    """An opening lot of credit: its amount, when it was granted, and its kind."""

    amount: Decimal
    granted_ns: int
    kind: Literal["purchased", "promotional"] = "purchased"


@dataclass(frozen=True, slots=True)
class ReloadPlan:
    """Auto-reload: buy up to `target` (or `fixed_amount`) when the balance falls below `minimum`."""

    minimum: Decimal
    target: Decimal | None = None
    fixed_amount: Decimal | None = None
    payment: PaymentKind = "always"
    decline_probability: float = 0.0
    script: tuple[str, ...] = ()
    late_failure_ns: int = 48 * NS_PER_HOUR
    after_decline: tuple[int, Decimal] | None = None  # (delay, amount): a manual purchase after a decline


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """The faults of `sandbox.faults`, as windows and probabilities."""

    overload_probability: float = 0.0
    overload_windows: tuple[Window, ...] = ()
    outages: tuple[Window, ...] = ()
    duplicate_windows: tuple[Window, ...] = ()
    interrupt_probability: float = 0.0
    on_hold: bool = False


@dataclass(frozen=True, slots=True)
class AccountPlan:
    """An organisation's money, limits and faults: everything but its traffic."""

    tier_profile: str = "current"
    tier: str = "Build"
    lots: tuple[LotPlan, ...] = ()
    topups: tuple[tuple[int, Decimal], ...] = ()
    expiry: str = "one_year_after_purchase"
    expiry_days: int = 365
    reload: ReloadPlan | None = None
    organization_limit: Decimal | None = None
    workspace_limits: dict[str, Decimal] = field(default_factory=dict)
    rate_limit_overrides: dict[str, RateLimits] = field(default_factory=dict)
    burst_seconds: int = 60
    otpm_mode: Literal["actual", "reserve"] = "actual"
    faults: FaultPlan = FaultPlan()
    # Spend already recorded in the month the horizon starts in (what-ifs start mid-month).
    month_to_date: Decimal = Decimal(0)
    workspace_month_to_date: dict[str, Decimal] = field(default_factory=dict)

    @property
    def tier_cap(self) -> Decimal | None:
        """The tier's monthly spend cap (None: no cap)."""
        return tier_profile(self.tier_profile).tier(self.tier).monthly_cap

    @property
    def deposits_capped(self) -> bool:
        """Whether purchases per month are capped at the tier's cap (the historic profile)."""
        return tier_profile(self.tier_profile).deposits_capped

    def rate_limits(self, model_class: str) -> RateLimits | None:
        """The organisation's limits for a model class (None: a class the profile does not know)."""
        if model_class in self.rate_limit_overrides:
            return self.rate_limit_overrides[model_class]
        profile = tier_profile(self.tier_profile)
        if model_class not in profile.model_classes():
            return None
        return profile.rate_limits(self.tier, model_class)

    def cache_reads_count(self, model_class: str) -> bool:
        """Whether cache reads count towards ITPM for this class."""
        return tier_profile(self.tier_profile).cache_reads.get(model_class, False)


@dataclass(frozen=True, slots=True)
class Lane:
    """A stream of similar requests: one model, one workspace, mean tokens per request, a rate."""

    model: str
    workspace: str | None
    uncached_input: float
    cache_write_5m: float
    cache_write_1h: float
    cache_read: float
    output: float
    web_search: float = 0.0
    batch_share: float = 0.0
    us_share: float = 0.0
    stream_share: float = 0.0
    cost_factor: float = 1.0  # a price change on this lane's model (1: the price list's)
    # Expected requests per minute, one value per minute of the horizon (before day-to-day variation).
    per_minute: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True, slots=True)
class TrafficPlan:
    """Lanes over a horizon of whole minutes from `start_ns`, with day-to-day variation."""

    start_ns: int
    minutes: int
    lanes: tuple[Lane, ...]
    daily_sigma: float = 0.0  # log-normal spread of a whole day's volume around its expectation
    poisson: bool = True  # per-minute counts drawn as Poisson (False: the expectation itself)


def account_from_scenario(scenario: Scenario) -> AccountPlan:
    """The money, limits and faults a scenario file describes."""
    start = to_ns(scenario.start)
    profile = tier_profile(scenario.org.tier_profile)
    overrides: dict[str, RateLimits] = {}
    for model_class, spec in scenario.rate_limits.items():
        classes = profile.model_classes() if model_class == "*" else (model_class,)
        for name in classes:
            base = profile.rate_limits(scenario.org.tier, name)
            overrides[name] = RateLimits(spec.rpm or base.rpm, spec.itpm or base.itpm, spec.otpm or base.otpm)
    return AccountPlan(
        tier_profile=scenario.org.tier_profile,
        tier=scenario.org.tier,
        lots=tuple(
            LotPlan(lot.amount, start + int(lot.day * NS_PER_DAY), lot.kind)
            for lot in sorted(scenario.credits.lots, key=lambda lot: lot.day)
        ),
        topups=tuple((start + int(t.day * NS_PER_DAY), t.amount) for t in scenario.credits.topups),
        expiry=scenario.credits.expiry,
        expiry_days=scenario.credits.expiry_days,
        reload=_reload_plan(scenario.auto_reload),
        organization_limit=scenario.spend_limit,
        workspace_limits={
            w.name: w.spend_limit for w in scenario.org.workspaces if w.spend_limit is not None
        },
        rate_limit_overrides=overrides,
        burst_seconds=scenario.org.rate_limit_burst_seconds,
        otpm_mode=scenario.org.otpm_mode,
        faults=_fault_plan(scenario.faults, start),
    )


def _reload_plan(spec: AutoReloadSpec | None) -> ReloadPlan | None:
    if spec is None or not spec.enabled:
        return None
    reaction = spec.after_decline
    return ReloadPlan(
        minimum=spec.minimum,
        target=spec.target,
        fixed_amount=spec.fixed_amount,
        payment=spec.payment,
        decline_probability=spec.decline_probability,
        script=tuple(spec.script),
        late_failure_ns=int(spec.late_failure_hours * NS_PER_HOUR),
        after_decline=None
        if reaction is None
        else (int(reaction.delay_hours * NS_PER_HOUR), reaction.amount),
    )


def _fault_plan(spec: FaultSpec, start_ns: int) -> FaultPlan:
    def window(day: float, hours: float) -> Window:
        begin = start_ns + int(day * NS_PER_DAY)
        return (begin, begin + int(hours * NS_PER_HOUR))

    return FaultPlan(
        overload_probability=spec.overload_probability,
        overload_windows=tuple(window(w.day, w.hours) for w in spec.overload_windows),
        outages=tuple(window(w.day, w.hours) for w in spec.outages),
        duplicate_windows=tuple(window(d, 24) for d in spec.duplicate_charge_days),
        interrupt_probability=spec.interrupt_probability,
        on_hold=spec.on_hold,
    )
