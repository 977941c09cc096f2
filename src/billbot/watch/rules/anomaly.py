"""Anomalies in estimated hourly cost per workspace, API key and model (and the organisation as a whole).

Rules:
- Each hour is compared with its robust seasonal baseline (`billbot.watch.series.baseline`): expected
  cost `e`, spread `s` (1.4826 × MAD, at least 25% of `e` and 10 cents). score = (observed − e) / s.
- A window of recent time is elevated when it clears both floors — it costs the dollar floor more per
  hour than usual and `min_ratio` times usual — and a score. The dollar floor is `min_excess_usd`
  ($2.50) or half the organisation's median hour of the last week, whichever is more. A window's
  expected cost and variance are the sums of its hours' (the hour in progress counts pro rata).
- Anomalous, checked at every run, in this order: the last complete hour far out on its own
  (`high_score` and three times the dollar floor); the last two complete hours, or the last complete
  hour with the hour in progress (from 10 minutes in), elevated together (`persist_score`) with each
  part at least 1.5× usual; the hour in progress far out on its own. One expensive request lifts one
  hour, not two in a row, and rarely costs three times the floor: persistence or size, not a blip.
- While history is short (the "daily" baseline), thresholds are 1.5× higher; with under two days of
  history nothing is judged.
- Feedback "expected" on an earlier alert of this scope multiplies its floors and scores (`Tuning`).
- One incident shows in many scopes (a key, its workspace, the organisation, its models): related
  anomalies are reported once, at the most specific scope that explains at least 60% of the largest
  excess, keeping the scope of an alert already firing when it is among them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from billbot.core.money import usd
from billbot.watch.findings import Finding, Severity
from billbot.watch.inputs import Tuning
from billbot.watch.periods import HOUR, floor_hour
from billbot.watch.rules.episodes import episode_key
from billbot.watch.scope import ORGANIZATION, Scope
from billbot.watch.series import Baseline, HourlySeries, baseline, median

RULE = "anomaly"
SPECIFICITY = {"api_key": 3, "model": 2, "workspace": 1, "organization": 0}
EXPLAINS = Decimal("0.6")
BaselineOf = Callable[[Scope, HourlySeries, int], Baseline | None]


@dataclass(frozen=True, slots=True)
class AnomalyConfig:
    """Knobs of the anomaly rule (tuned on the sandbox: docs/WATCH.md)."""

    min_excess_usd: Decimal = Decimal("2.50")
    org_share: Decimal = Decimal("0.5")
    min_ratio: Decimal = Decimal("1.5")
    high_score: Decimal = Decimal("6")
    persist_score: Decimal = Decimal("3.0")
    spread_floor_share: Decimal = Decimal("0.25")
    spread_floor_usd: Decimal = Decimal("0.10")
    high_floor_factor: Decimal = Decimal("3")
    short_history_factor: Decimal = Decimal("1.5")
    partial_minutes: int = 10
    part_ratio: Decimal = Decimal("1.5")


@dataclass(frozen=True, slots=True)
class WindowCheck:
    """Recent hours (the last perhaps in progress) against their baselines."""

    first: int  # index of the window's first hour
    minutes: int
    observed: Decimal
    expected: Decimal
    score: Decimal
    baseline: Baseline  # of the window's last hour (its mode and spread are what the evidence shows)

    @property
    def excess(self) -> Decimal:
        """How much more than expected it cost."""
        return self.observed - self.expected


@dataclass(frozen=True, slots=True)
class Anomaly:
    """An anomalous scope: the check that made it one, when it began, and related anomalies it explains."""

    scope: Scope
    check: WindowCheck
    onset: datetime
    related: tuple[Scope, ...] = ()


def direct_baseline(scope: Scope, series: HourlySeries, index: int) -> Baseline | None:
    """The baseline computed afresh (callers with many runs pass a cached one instead)."""
    return baseline(series, index)


def check_window(
    series: HourlySeries,
    parts: Sequence[tuple[int, Decimal]],
    bases: Sequence[Baseline | None],
    config: AnomalyConfig,
) -> WindowCheck | None:
    """The hours `parts` (index, share elapsed) against their baselines; None when one has none."""
    observed = expected = variance = Decimal(0)
    last: Baseline | None = None
    for (index, share), base in zip(parts, bases, strict=True):
        if base is None or index < 0:
            return None
        spread = max(base.spread, base.expected * config.spread_floor_share, config.spread_floor_usd)
        observed += series.at(index)
        expected += base.expected * share
        variance += spread * spread * share
        last = base
    assert last is not None
    minutes = int(sum(share for _, share in parts) * 60)
    return WindowCheck(
        parts[0][0], minutes, observed, expected, (observed - expected) / variance.sqrt(), last
    )


def elevated(
    check: WindowCheck | None, config: AnomalyConfig, factor: Decimal, score: Decimal, floor: Decimal
) -> bool:
    """Whether a window clears the dollar `floor`, the relative floor and `score` (scaled by `factor`)."""
    if check is None:
        return False
    if check.baseline.mode == "daily":
        factor *= config.short_history_factor
    ratio = 1 + (config.min_ratio - 1) * factor
    return (
        check.excess >= floor * factor
        and check.observed >= check.expected * ratio
        and check.score >= score * factor
    )


def scope_anomaly(
    scope: Scope,
    series: HourlySeries,
    now: datetime,
    config: AnomalyConfig,
    factor: Decimal,
    base_of: BaselineOf,
    dollars: Decimal | None = None,
) -> Anomaly | None:
    """Whether `scope` is anomalous at `now` (`dollars`: the dollar floor), by the module rules' checks."""
    hour = floor_hour(now)
    current = series.index(hour)
    minutes = int((now - hour) // (HOUR / 60))
    share = Decimal(minutes) / 60
    full = Decimal(1)
    base = {i: base_of(scope, series, i) for i in (current - 2, current - 1, current)}

    def window(*parts: tuple[int, Decimal]) -> WindowCheck | None:
        return check_window(series, parts, [base[i] for i, _ in parts], config)

    def up(index: int, part: Decimal) -> bool:
        single = window((index, part))
        return (
            single is not None
            and single.observed >= single.expected * config.part_ratio
            and single.excess > 0
        )

    floor = config.min_excess_usd if dollars is None else dollars
    big = floor * config.high_floor_factor
    if not _may_be_elevated(series, current, share, base, floor, big):
        return None
    high, persist = config.high_score, config.persist_score
    partial = minutes >= config.partial_minutes
    last = window((current - 1, full))
    if elevated(last, config, factor, high, big):
        assert last is not None
        return Anomaly(scope, last, series.start + HOUR * (current - 1))
    two = window((current - 2, full), (current - 1, full))
    if elevated(two, config, factor, persist, 2 * floor) and up(current - 2, full) and up(current - 1, full):
        assert two is not None
        return Anomaly(scope, two, series.start + HOUR * (current - 2))
    if partial:
        going = window((current - 1, full), (current, share))
        if (
            elevated(going, config, factor, persist, (1 + share) * floor)
            and up(current - 1, full)
            and up(current, share)
        ):
            assert going is not None
            return Anomaly(scope, going, series.start + HOUR * (current - 1))
        now_part = window((current, share))
        if elevated(now_part, config, factor, high, big):
            assert now_part is not None
            return Anomaly(scope, now_part, series.start + HOUR * current)
    return None


def _may_be_elevated(
    series: HourlySeries,
    current: int,
    share: Decimal,
    base: Mapping[int, Baseline | None],
    floor: Decimal,
    big: Decimal,
) -> bool:
    # A cheap necessary condition that rules out most scopes at most runs: each check needs its
    # window's excess over the baseline to reach its dollar floor (before `factor`, which is ≥ 1).
    excess = {}
    for index, part in ((current - 2, Decimal(1)), (current - 1, Decimal(1)), (current, share)):
        known = base[index]
        if known is not None:
            excess[index] = series.at(index) - known.expected * part
    last, before, now_ = (excess.get(i) for i in (current - 1, current - 2, current))
    if last is not None and (last >= big or (before is not None and last + before >= 2 * floor)):
        return True
    return now_ is not None and (now_ >= big or (last is not None and last + now_ >= (1 + share) * floor))


def dollar_floor(org: HourlySeries | None, now: datetime, config: AnomalyConfig) -> Decimal:
    """The excess an hour must reach: `min_excess_usd`, or a share of the organisation's typical hour."""
    if org is None:
        return config.min_excess_usd
    current = org.index(floor_hour(now))
    typical = median([org.at(i) for i in range(current - 168, current)])
    return max(config.min_excess_usd, typical * config.org_share)


def related(a: Scope, b: Scope, parents: Mapping[Scope, Scope]) -> bool:
    """Whether one incident can show in both scopes (a key and its workspace, anything and a model…)."""
    if a == b or "organization" in (a.kind, b.kind):
        return True
    if a.kind == "model" or b.kind == "model":
        return a.kind != b.kind
    if a.kind == b.kind:
        return False
    key, workspace = (a, b) if a.kind == "api_key" else (b, a)
    return parents.get(key) == workspace


def consolidate(
    anomalies: Sequence[Anomaly], parents: Mapping[Scope, Scope], firing: frozenset[Scope] = frozenset()
) -> list[Anomaly]:
    """One anomaly per incident: the most specific scope explaining 60% of the largest related excess."""
    remaining = sorted(anomalies, key=lambda a: (-a.check.excess, a.scope.key))
    reported = []
    while remaining:
        top = remaining[0]
        group = [a for a in remaining if related(a.scope, top.scope, parents)]
        explaining = [a for a in group if a.check.excess >= top.check.excess * EXPLAINS]
        kept = [a for a in group if a.scope in firing]
        best = kept[0] if kept else max(explaining, key=lambda a: (SPECIFICITY[a.scope.kind], a.check.excess))
        others = tuple(a.scope for a in group if a is not best)
        reported.append(replace(best, related=others))
        remaining = [a for a in remaining if a not in group]
    return reported


def anomaly_findings(
    hourly: Mapping[Scope, HourlySeries],
    now: datetime,
    *,
    parents: Mapping[Scope, Scope],
    tuning: Tuning,
    active: Mapping[tuple[str, str], str],
    config: AnomalyConfig = AnomalyConfig(),
    base_of: BaselineOf = direct_baseline,
) -> list[Finding]:
    """Anomaly findings at `now`, one per incident (see the module rules)."""
    floor = dollar_floor(hourly.get(ORGANIZATION), now, config)
    found = []
    for scope, series in hourly.items():
        anomaly = scope_anomaly(scope, series, now, config, tuning.factor(RULE, scope.key), base_of, floor)
        if anomaly is not None:
            found.append(anomaly)
    firing = frozenset(a.scope for a in found if (RULE, a.scope.key) in active)
    return [_finding(anomaly, active) for anomaly in consolidate(found, parents, firing)]


def _finding(anomaly: Anomaly, active: Mapping[tuple[str, str], str]) -> Finding:
    check, scope = anomaly.check, anomaly.scope
    span = f"in the last {check.minutes} minutes" if check.minutes != 60 else "in the last hour"
    usual = usd(check.expected)
    message = (
        f"{scope.title} cost {usd(check.observed)} {span}, usually {usual} "
        f"(+{usd(check.excess)}, estimate: usage × price list)"
    )
    evidence = [
        f"Baseline: {check.baseline.mode} median of {check.baseline.samples} comparable hours; "
        f"score {check.score:.1f}",
        f"Began around {anomaly.onset:%a %d %b %H}:00 UTC",
    ]
    if anomaly.related:
        evidence.append("Also shows in: " + ", ".join(s.label for s in anomaly.related[:8]))
    big = check.excess >= 5 * check.expected and check.excess >= 10
    severity: Severity = "critical" if big else "warning"
    return Finding(
        rule=RULE,
        scope=scope,
        severity=severity,
        period_key=episode_key(active, RULE, scope, anomaly.onset),
        amount_usd=check.excess,
        message=message,
        figures=(
            (f"Cost, last {check.minutes} min", usd(check.observed)),
            ("Usual", usual),
            ("Excess", usd(check.excess)),
            ("Score", f"{check.score:.1f}"),
        ),
        evidence=tuple(evidence),
        basis="estimate",
        data={
            "onset": anomaly.onset.isoformat(),
            "minutes": str(check.minutes),
            "observed_usd": str(check.observed),
            "expected_usd": str(check.expected),
            "score": f"{check.score:.2f}",
            "related": ",".join(s.key for s in anomaly.related),
        },
    )
