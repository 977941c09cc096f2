"""Silent model switches: one model's spend stops while another's rises by at least as much.

An alias repointed to a pricier model, a config change nobody reviewed, a gateway that falls back to
another model: the requests keep coming, but billed as another model. The cost anomaly rule sees it
only once the extra dollars clear its floor (hours, for a small switch); in the per-model series it
shows within minutes, as a pair: the model that usually carries this hour has (almost) nothing, and
another model has more than usual by at least half of what the first one is missing.

Rules: the window is the hour in progress (judged from `min_minutes` in) or, failing that, the last
complete hour together with the hour in progress. Each side is compared with its seasonal baseline
(`series.baseline`, the same as the anomaly rule's), scaled to the part of the window elapsed: the
usual cost, and its variance (the spread squared, per hour). A model used by a few requests an hour
falls silent by chance, so the missing model must be busy enough that silence is not luck: for a
compound Poisson cost, usual² / variance is at most the expected number of requests, and it must be
at least `min_requests` (nine: a chance silence below 1 in 8,000), with at least `min_missing_usd`
usually spent in the window and at most `vanished` of it now. The other model must cost more than
usual by at least `min_rise_usd`, `rise_share` of the missing amount, and `noise` of its own
standard deviations. An outage (every model drops) or a quiet hour is no switch. One alert per
episode, on the model the traffic moved to; "expected" feedback (a planned migration) makes it less
eager on that model, as for every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billbot.core.money import usd
from billbot.watch.findings import Finding
from billbot.watch.inputs import Tuning
from billbot.watch.periods import HOUR, floor_hour
from billbot.watch.rules.episodes import episode_key
from billbot.watch.scope import Scope
from billbot.watch.series import Baseline, HourlySeries, baseline

RULE = "model_switch"
BaselineOf = Callable[[Scope, HourlySeries, int], Baseline | None]


@dataclass(frozen=True, slots=True)
class ModelSwitchConfig:
    """Knobs of the model-switch rule (tuned on the sandbox's backtest, docs/WATCH.md)."""

    min_minutes: int = 20
    min_missing_usd: Decimal = Decimal("0.10")
    min_requests: Decimal = Decimal(12)
    vanished: Decimal = Decimal("0.02")
    min_rise_usd: Decimal = Decimal("0.10")
    rise_share: Decimal = Decimal(1)
    noise: Decimal = Decimal(3)


@dataclass(frozen=True, slots=True)
class _Side:
    scope: Scope
    usual: Decimal
    variance: Decimal
    now: Decimal


def model_switch_findings(
    hourly: Mapping[Scope, HourlySeries],
    now: datetime,
    *,
    active: Mapping[tuple[str, str], str],
    tuning: Tuning | None = None,
    config: ModelSwitchConfig | None = None,
    base_of: BaselineOf | None = None,
) -> list[Finding]:
    """A finding for each model that took over another model's traffic (see the module rules)."""
    tuning, config = tuning or Tuning(), config or ModelSwitchConfig()
    models = {scope: series for scope, series in hourly.items() if scope.kind == "model"}
    if len(models) < 2:
        return []
    hour = floor_hour(now)
    elapsed = Decimal(int((now - hour).total_seconds())) / 3600
    windows = [(0, elapsed)] if elapsed * 60 >= config.min_minutes else []
    windows.append((1, 1 + elapsed))  # the last complete hour with the hour in progress
    for back, length in windows:
        ordered = sorted(models.items(), key=lambda item: item[0].key)
        sides = [_side(scope, series, hour, back, length, base_of) for scope, series in ordered]
        found = _pairs([side for side in sides if side is not None], config, tuning, active, now, back)
        if found:
            return found
    return []


def _side(
    scope: Scope, series: HourlySeries, hour: datetime, back: int, length: Decimal, base_of: BaselineOf | None
) -> _Side | None:
    current = series.index(hour)
    usual = variance = Decimal(0)
    for offset in range(back, -1, -1):
        index = current - offset
        base = base_of(scope, series, index) if base_of is not None else baseline(series, index)
        if base is None:
            return None
        share = length - back if offset == 0 else Decimal(1)
        usual += base.expected * share
        variance += base.spread * base.spread * share
    return _Side(scope, usual, variance, series.total(current - back, current + 1))


def _pairs(
    sides: list[_Side],
    config: ModelSwitchConfig,
    tuning: Tuning,
    active: Mapping[tuple[str, str], str],
    now: datetime,
    back: int,
) -> list[Finding]:
    missing = [
        side
        for side in sides
        if side.usual >= config.min_missing_usd
        and side.usual * side.usual >= side.variance * config.min_requests
        and side.now <= side.usual * config.vanished
    ]
    found: dict[str, Finding] = {}
    for gone in missing:
        shortfall = gone.usual - gone.now
        for other in sides:
            if other is gone or other.scope.key in found:
                continue
            factor = tuning.factor(RULE, other.scope.key)
            rise = other.now - other.usual
            noise = other.variance.sqrt() * config.noise
            needed = max(config.min_rise_usd, shortfall * config.rise_share, noise) * factor
            if rise >= needed:
                found[other.scope.key] = _finding(gone, other, shortfall, rise, active, now, back)
    return list(found.values())


def _finding(
    gone: _Side,
    took: _Side,
    shortfall: Decimal,
    rise: Decimal,
    active: Mapping[tuple[str, str], str],
    now: datetime,
    back: int,
) -> Finding:
    since = floor_hour(now) - HOUR * back
    old, new = gone.scope.title, took.scope.title
    return Finding(
        rule=RULE,
        scope=took.scope,
        severity="warning",
        period_key=episode_key(active, RULE, took.scope, since),
        amount_usd=rise.quantize(Decimal("0.01")),
        message=(
            f"Spend on {old} stopped since {since:%H}:00 UTC (usually {usd(gone.usual)} by now) while "
            f"{new} cost {usd(rise)} more than usual: if nobody moved this traffic, requests for {old} "
            f"may be served and billed as {new} (a repointed alias or a fallback)"
        ),
        figures=(
            (f"{old}, usual by now", usd(gone.usual)),
            (f"{old}, now", usd(gone.now)),
            (f"{new}, more than usual", usd(rise)),
        ),
        evidence=(
            f"Per-model estimated cost (usage × price list) since {since:%H}:00 UTC against the same "
            "hours of recent weeks",
        ),
        basis="estimate",
        data={
            "from_model": str(gone.scope.id),
            "to_model": str(took.scope.id),
            "missing": f"{shortfall:.2f}",
        },
    )
