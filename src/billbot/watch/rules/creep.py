"""Slow creep: daily cost drifting up over days, too gradual for the hourly anomaly rule to see.

Rules: for the organisation and each workspace, each complete day's estimated cost is divided by its
reference, the median of the same weekday 3 to 6 weeks earlier (far enough back that the creep itself
is not in it; the weekday keeps weekends comparable). An EWMA of these ratios over the last 14 days
(weight 0.3 on the newest) above 1.35, with the last week costing at least $10 a day more than its
reference, is a creep. Normal growth (a few percent a week) stays under it. Needs seven weeks of
history: six for the reference, one to judge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billbot.core.money import percent, usd
from billbot.watch.findings import Finding
from billbot.watch.inputs import Tuning
from billbot.watch.periods import DAY, floor_day
from billbot.watch.rules.episodes import episode_key
from billbot.watch.scope import Scope
from billbot.watch.series import ZERO, HourlySeries, median

RULE = "creep"
DayTotal = Callable[[Scope, HourlySeries, int], Decimal]


@dataclass(frozen=True, slots=True)
class CreepConfig:
    """Knobs of the creep rule."""

    rise: Decimal = Decimal("0.35")
    min_excess_per_day_usd: Decimal = Decimal("10")
    smoothing: Decimal = Decimal("0.3")
    recent_days: int = 14
    reference_weeks: tuple[int, ...] = (3, 4, 5, 6)


def direct_day_total(scope: Scope, series: HourlySeries, day: int) -> Decimal:
    """The cost of day `day` of the series (its hours 24·day to 24·day + 24); cache it across runs."""
    return series.total(24 * day, 24 * day + 24)


def creep_findings(
    hourly: Mapping[Scope, HourlySeries],
    now: datetime,
    *,
    tuning: Tuning,
    active: Mapping[tuple[str, str], str],
    config: CreepConfig = CreepConfig(),
    day_total: DayTotal = direct_day_total,
) -> list[Finding]:
    """A finding per organisation or workspace scope whose daily cost crept up (see the module rules)."""
    found = []
    for scope, series in hourly.items():
        if scope.kind not in ("organization", "workspace"):
            continue
        finding = _scope_creep(scope, series, now, tuning.factor(RULE, scope.key), active, config, day_total)
        if finding is not None:
            found.append(finding)
    return found


def _scope_creep(
    scope: Scope,
    series: HourlySeries,
    now: datetime,
    factor: Decimal,
    active: Mapping[tuple[str, str], str],
    config: CreepConfig,
    day_total: DayTotal,
) -> Finding | None:
    days = int((floor_day(now) - series.start) // DAY)  # complete days in the series
    oldest = max(days - config.recent_days, 7 * max(config.reference_weeks))
    if days - oldest < 7:
        return None  # a week of days with a full reference is the least to judge a trend by
    level = Decimal(1)
    recent_cost = reference_cost = ZERO
    for day in range(oldest, days):
        cost = day_total(scope, series, day)
        reference = median([day_total(scope, series, day - 7 * weeks) for weeks in config.reference_weeks])
        ratio = cost / reference if reference > 0 else Decimal(1)
        level = (1 - config.smoothing) * level + config.smoothing * ratio
        if day >= days - 7:
            recent_cost += cost
            reference_cost += reference
    excess_per_day = (recent_cost - reference_cost) / 7
    if level < 1 + config.rise * factor or excess_per_day < config.min_excess_per_day_usd * factor:
        return None
    start = series.start + DAY * (days - 7)
    change = percent(recent_cost / reference_cost - 1, signed=True) if reference_cost else "more"
    return Finding(
        rule=RULE,
        scope=scope,
        severity="warning",
        period_key=episode_key(active, RULE, scope, start),
        amount_usd=excess_per_day,
        message=(
            f"{scope.title}'s daily cost has crept up: the last 7 days cost {usd(recent_cost)}, "
            f"{change} on the same weekdays a month earlier (+{usd(excess_per_day)} a day, estimate)"
        ),
        figures=(
            ("Last 7 days", usd(recent_cost)),
            ("Same weekdays, 3–6 weeks earlier", usd(reference_cost)),
            ("Smoothed ratio", f"{level:.2f}"),
        ),
        evidence=(f"EWMA of daily cost over its reference, last {config.recent_days} days",),
        basis="estimate",
        data={"ratio": f"{level:.3f}", "recent_usd": str(recent_cost), "reference_usd": str(reference_cost)},
    )
