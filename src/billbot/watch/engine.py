"""Run every watch rule over one `WatchInputs`: the findings of one instant, in a stable order.

The rules are pure; what they compute from past hours (baselines, weekly profiles, daily totals)
never changes once those hours are over, so a `RuleCache` may keep it between runs over the same
growing data (the backtest does, over thousands of runs). A fresh cache gives the same findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from billbot.watch.findings import Finding
from billbot.watch.inputs import WatchInputs
from billbot.watch.periods import floor_hour, month_window, period_window
from billbot.watch.rules.anomaly import RULE as ANOMALY
from billbot.watch.rules.anomaly import AnomalyConfig, anomaly_findings
from billbot.watch.rules.balance import BalanceConfig, balance_findings
from billbot.watch.rules.budget import budget_finding
from billbot.watch.rules.cache import CacheConfig, cache_finding
from billbot.watch.rules.creep import CreepConfig, creep_findings
from billbot.watch.rules.limits import LimitRule, limit_finding
from billbot.watch.rules.model_switch import RULE as MODEL_SWITCH
from billbot.watch.rules.model_switch import ModelSwitchConfig, model_switch_findings
from billbot.watch.rules.ratelimit import rate_findings
from billbot.watch.rules.reconcile import ReconcileConfig, reconcile_findings
from billbot.watch.rules.reloads import WINDOW as RELOAD_WINDOW
from billbot.watch.rules.reloads import runaway_finding
from billbot.watch.rules.spend import window_spend
from billbot.watch.scope import ORGANIZATION, Scope
from billbot.watch.series import Baseline, HourlySeries, Profile, baseline, expected_profile, project

PERIOD_GRACE = timedelta(hours=2)
RULES = (
    "budget",
    "tier_cap",
    "spend_limit",
    "rate_limit",
    "balance_low",
    "reload_declined",
    "credits_expiring",
    "runaway_reload",
    ANOMALY,
    MODEL_SWITCH,
    "cache_miss",
    "creep",
    "reconciliation",
)


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """The knobs of every rule (defaults tuned on the sandbox, see docs/WATCH.md)."""

    anomaly: AnomalyConfig = field(default_factory=AnomalyConfig)
    creep: CreepConfig = field(default_factory=CreepConfig)
    reconcile: ReconcileConfig = field(default_factory=ReconcileConfig)
    balance: BalanceConfig = field(default_factory=BalanceConfig)
    cache: CacheConfig = field(default_factory=CacheConfig)
    model_switch: ModelSwitchConfig = field(default_factory=ModelSwitchConfig)


class RuleCache:
    """Baselines, weekly profiles and daily totals of past hours, by scope key and position."""

    def __init__(self) -> None:
        self._baselines: dict[tuple[str, int], Baseline | None] = {}
        self._profiles: dict[tuple[str, int], Profile] = {}
        self._days: dict[tuple[str, int], Decimal] = {}
        self._memo: dict[tuple[object, ...], list[Finding]] = {}

    def baseline(self, scope: Scope, series: HourlySeries, index: int) -> Baseline | None:
        """`series.baseline` of hour `index`, computed once."""
        key = (scope.key, index)
        if key not in self._baselines:
            self._baselines[key] = baseline(series, index)
        return self._baselines[key]

    def profile(self, scope: Scope, series: HourlySeries, index: int) -> tuple[Profile, int]:
        """The weekly profile from the start of the day holding hour `index`, and `index`'s offset in it."""
        day_start = index - index % 24
        key = (scope.key, day_start)
        found = self._profiles.get(key)
        if found is None:
            found = self._profiles[key] = expected_profile(series, day_start)
        return found, index - day_start

    def memo(self, key: tuple[object, ...], compute: Callable[[], list[Finding]]) -> list[Finding]:
        """A rule's findings for inputs that only change now and then (the key names them)."""
        found = self._memo.get(key)
        if found is None:
            self._memo.clear()  # only the latest is ever asked again
            found = self._memo[key] = compute()
        return found

    def day_total(self, scope: Scope, series: HourlySeries, day: int) -> Decimal:
        """The cost of a complete day of the series, computed once."""
        key = (scope.key, day)
        found = self._days.get(key)
        if found is None:
            found = self._days[key] = series.total(24 * day, 24 * day + 24)
        return found


def evaluate(
    inputs: WatchInputs, config: WatchConfig | None = None, cache: RuleCache | None = None
) -> list[Finding]:
    """Every rule's findings at `inputs.now`, ordered by rule, scope and period."""
    config = config or WatchConfig()
    cache = cache or RuleCache()
    found: list[Finding] = []
    found += _budgets(inputs, cache)
    found += _limits(inputs, cache)
    found += rate_findings(inputs.rate_use, inputs.now)
    found += _balance(inputs, config)
    found += anomaly_findings(
        inputs.hourly,
        inputs.now,
        parents=inputs.parents,
        tuning=inputs.tuning,
        active=inputs.active,
        config=config.anomaly,
        base_of=cache.baseline,
    )
    found += model_switch_findings(
        inputs.hourly, inputs.now, active=inputs.active, tuning=inputs.tuning,
        config=config.model_switch, base_of=cache.baseline,
    )  # fmt: skip
    found += creep_findings(
        inputs.hourly, inputs.now, tuning=inputs.tuning, active=inputs.active, config=config.creep,
        day_total=cache.day_total,
    )  # fmt: skip
    if inputs.cache_reads is not None and inputs.cache_writes is not None:
        cached = cache_finding(
            inputs.cache_reads, inputs.cache_writes, inputs.now, inputs.active, config.cache
        )
        found += [cached] if cached is not None else []
    models = {scope: series for scope, series in inputs.hourly.items() if scope.kind == "model"}
    lines = inputs.reconciliation
    if lines:  # lines change only when a day is billed: the findings are remembered until then
        key = ("reconciliation", lines[0].day, lines[-1].day, len(lines))
        found += cache.memo(key, lambda: reconcile_findings(lines, models, config.reconcile))
    order = {rule: index for index, rule in enumerate(RULES)}
    return sorted(found, key=lambda f: (order.get(f.rule, len(order)), f.scope.key, f.period_key))


def _budgets(inputs: WatchInputs, cache: RuleCache) -> list[Finding]:
    found = []
    now = inputs.now
    for budget in inputs.budgets:
        window = period_window(budget.period, now)
        series = inputs.hourly.get(budget.scope)
        billed = inputs.billed_daily.get(budget.scope)
        windows = [window]
        if now - window.start < PERIOD_GRACE:
            # A level crossed in the last minutes of a period is reported just after it ends.
            windows.insert(0, period_window(budget.period, window.start - timedelta(microseconds=1)))
        for each in windows:
            spend = window_spend(each, now, series, billed, inputs.billed_through)
            forecast = None
            if budget.forecast and series is not None and each is window:
                profile, offset = cache.profile(budget.scope, series, series.index(floor_hour(now)))
                forecast = project(profile, now, window.end, budget.amount - spend.total, offset)
            finding = budget_finding(budget, each, spend, now, forecast)
            if finding is not None:
                found.append(finding)
    return found


def _limits(inputs: WatchInputs, cache: RuleCache) -> list[Finding]:
    limits = inputs.limits
    if limits is None:
        return []
    month = month_window(inputs.now)
    checks: list[tuple[LimitRule, Scope, Decimal]] = []
    if limits.tier_cap is not None:
        checks.append(("tier_cap", ORGANIZATION, limits.tier_cap))
    if limits.organization is not None:
        checks.append(("spend_limit", ORGANIZATION, limits.organization))
    scopes = {scope.id: scope for scope in inputs.hourly if scope.kind == "workspace"}
    for workspace_id, amount in sorted(limits.workspaces.items()):
        checks.append(("spend_limit", scopes.get(workspace_id) or Scope("workspace", workspace_id), amount))
    found = []
    for rule, scope, amount in checks:
        series = inputs.hourly.get(scope)
        spend = window_spend(month, inputs.now, series, inputs.billed_daily.get(scope), inputs.billed_through)
        forecast = None
        if series is not None:
            profile, offset = cache.profile(scope, series, series.index(floor_hour(inputs.now)))
            forecast = project(profile, inputs.now, month.end, amount - spend.total, offset)
        finding = limit_finding(rule, scope, amount, month, spend, inputs.now, forecast)
        if finding is not None:
            found.append(finding)
    return found


def _balance(inputs: WatchInputs, config: WatchConfig) -> list[Finding]:
    view = inputs.balance
    if view is None:
        return []
    org = inputs.hourly.get(ORGANIZATION)
    burn = spend_in_window = Decimal(0)
    if org is not None:
        current = org.index(floor_hour(inputs.now))
        burn = org.total(current - 7 * 24, current) / 7
        spend_in_window = org.total(org.index(floor_hour(inputs.now - RELOAD_WINDOW)), current + 1)
    found = balance_findings(view, burn, inputs.now, inputs.active, config.balance)
    runaway = runaway_finding(view, spend_in_window, inputs.now, inputs.active)
    return found + ([runaway] if runaway is not None else [])
