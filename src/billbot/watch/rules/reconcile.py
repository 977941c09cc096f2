"""Reconciliation: the bill (cost report) against usage × the published price list, day by day.

Rules:
- For every complete billed day, each model and token type's billed cost is set beside its usage ×
  the price list. A line differs when the gap exceeds both $0.50 and 2% of the expected cost (a bucket
  cannot see per-request price rules, such as Haiku 5.5 above 100K tokens, so small gaps are noise).
- One finding per day with a differing line whose whole gap is beyond the same tolerances (lines that
  differ but cancel out are a report filing cost under another line, not a billing error): the
  amount is the whole day's gap, billed minus usage ×
  price list over every line (positive: billed more than usage explains; a bug that doubles every
  request also doubles lines too small to differ on their own). More than $5 over is critical, any
  other overcharge a warning, and being billed less an info finding. The evidence lists the differing
  lines side by side, what the others add up to, and the hours of that day in which the models
  concerned had usage (the bill is daily; those are the hours it covers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billbot.core.money import usd
from billbot.watch.findings import Finding, Severity
from billbot.watch.inputs import ReconciliationLine
from billbot.watch.periods import DAY
from billbot.watch.scope import ORGANIZATION, Scope
from billbot.watch.series import ZERO, HourlySeries

RULE = "reconciliation"


@dataclass(frozen=True, slots=True)
class ReconcileConfig:
    """Knobs of the reconciliation rule."""

    tolerance_usd: Decimal = Decimal("0.50")
    tolerance_share: Decimal = Decimal("0.02")
    critical_usd: Decimal = Decimal("5")
    lookback_days: int = 7


def differs(line: ReconciliationLine, config: ReconcileConfig) -> bool:
    """Whether a line's gap is beyond both tolerances."""
    gap = abs(line.billed - line.estimated)
    return gap > config.tolerance_usd and gap > line.estimated * config.tolerance_share


def reconcile_findings(
    lines: Sequence[ReconciliationLine],
    model_hours: Mapping[Scope, HourlySeries],
    config: ReconcileConfig = ReconcileConfig(),
) -> list[Finding]:
    """A finding per billed day whose lines differ from usage × price list (see the module rules)."""
    by_day: dict[datetime, list[ReconciliationLine]] = {}
    for line in lines:
        by_day.setdefault(line.day, []).append(line)
    found = []
    for day in sorted(by_day):
        day_lines = by_day[day]
        bad = [line for line in day_lines if differs(line, config)]
        total = ReconciliationLine(
            day,
            None,
            "all",
            sum((x.billed for x in day_lines), ZERO),
            sum((x.estimated for x in day_lines), ZERO),
        )
        if bad and differs(total, config):
            found.append(_finding(day, day_lines, bad, model_hours, config))
    return found


def _finding(
    day: datetime,
    day_lines: list[ReconciliationLine],
    bad: list[ReconciliationLine],
    model_hours: Mapping[Scope, HourlySeries],
    config: ReconcileConfig,
) -> Finding:
    billed = sum((line.billed for line in day_lines), ZERO)
    expected = sum((line.estimated for line in day_lines), ZERO)
    gap = billed - expected
    severity: Severity = "info" if gap < 0 else ("critical" if gap > config.critical_usd else "warning")
    more = "more" if gap >= 0 else "less"
    hours = _hours({line.model for line in bad if line.model}, day, model_hours)
    evidence = [_side_by_side(line) for line in sorted(bad, key=lambda line: line.estimated - line.billed)]
    rest = [line for line in day_lines if line not in bad]
    if rest:
        small = sum((line.billed - line.estimated for line in rest), ZERO)
        evidence.append(
            f"{len(rest)} more lines within tolerance, together {'+' if small >= 0 else ''}{usd(small)}"
        )
    evidence.append(f"Hours with usage of these models that day (UTC): {hours or 'none'}")
    return Finding(
        rule=RULE,
        scope=ORGANIZATION,
        severity=severity,
        period_key=f"{day:%Y-%m-%d}",
        amount_usd=gap,
        message=(
            f"The bill for {day:%a %d %b} is {usd(abs(gap))} {more} than usage × the price list explains "
            f"({usd(billed)} billed, {usd(expected)} expected)"
        ),
        figures=(("Billed", usd(billed)), ("Usage × price list", usd(expected)), ("Difference", usd(gap))),
        evidence=tuple(evidence),
        period_end=day + DAY,
        basis="billed",
        data={
            "day": f"{day:%Y-%m-%d}",
            "billed_usd": str(billed),
            "estimated_usd": str(expected),
            "difference_usd": str(gap),
            "models": ",".join(sorted({line.model or "other" for line in bad})),
            "affected_hours": hours,
        },
    )


def _side_by_side(line: ReconciliationLine) -> str:
    gap = line.billed - line.estimated
    sign = "+" if gap >= 0 else ""
    return (
        f"{line.model or 'other'} · {line.token_type}: billed {usd(line.billed)}, "
        f"usage × price list {usd(line.estimated)} ({sign}{usd(gap)})"
    )


def _hours(models: set[str], day: datetime, model_hours: Mapping[Scope, HourlySeries]) -> str:
    used: set[int] = set()
    for scope, series in model_hours.items():
        if scope.kind == "model" and scope.id in models:
            first = series.index(day)
            used.update(h for h in range(24) if series.at(first + h) > 0)
    return _ranges(sorted(used))


def _ranges(hours: list[int]) -> str:
    spans: list[tuple[int, int]] = []
    for hour in hours:
        if spans and spans[-1][1] == hour - 1:
            spans[-1] = (spans[-1][0], hour)
        else:
            spans.append((hour, hour))
    return ", ".join(f"{a:02d}:00–{b + 1:02d}:00" for a, b in spans)
