"""Running a what-if: both sides through the fast engine's Monte Carlo, summarised side by side.

Each side reports P10/P50/P90 of what the horizon costs, the runway date (the P50 run's first credit
refusal; None when at least half the runs never run out), reloads (P50 count and dollars), requests
refused by cause (P50), each limit that bites (how often, and the P50 moment of its first bite),
every rate-limit class's busiest minute against its limits (P50 run) and the probability that any
request fails for money or limits. Same baseline + same levers + same seed + same `now` → same
numbers, byte for byte in `to_json`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import partial
from typing import Any

import numpy as np

from billbot.whatif.baseline import Baseline
from billbot.whatif.inputs import Horizon, account_plan, horizon_for, traffic_plan
from billbot.whatif.levers import Levers
from sandbox.clock import rfc3339, to_datetime, to_ns
from sandbox.fast.engine import RunResult
from sandbox.fast.montecarlo import monte_carlo, percentiles
from sandbox.pricing import PriceList
from sandbox.simulate import REJECTION_REASONS

DEFAULT_RUNS = 1000
CHART_POINTS = 20  # Slack's line chart takes at most 20 categories
_CENT = Decimal("0.01")


def _usd(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(_CENT, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class Band:
    """P10, P50 and P90 of a dollar amount over the runs."""

    p10: Decimal
    p50: Decimal
    p90: Decimal

    @classmethod
    def of(cls, values: list[float] | np.ndarray) -> Band:
        """The band of these run values."""
        p10, p50, p90 = percentiles(values)
        return cls(_usd(p10), _usd(p50), _usd(p90))

    def to_json(self) -> dict[str, str]:
        """Decimal strings."""
        return {"p10": str(self.p10), "p50": str(self.p50), "p90": str(self.p90)}


@dataclass(frozen=True, slots=True)
class LimitHit:
    """A limit that refuses requests in some runs: how often, and when it first bites (P50)."""

    what: str
    when: datetime
    probability: float


@dataclass(frozen=True, slots=True)
class PeakMinute:
    """A class's busiest minute against its limits (None: unlimited)."""

    model_class: str
    requests: int
    input_tokens: int
    output_tokens: int
    rpm: int | None
    itpm: int | None
    otpm: int | None
    utilisation: float


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a what-if (the baseline, or the scenario with its levers)."""

    spend: Band
    runway_date: datetime | None
    reloads: int
    reload_usd: Decimal
    reloads_declined: int
    rejected: dict[str, int]
    limit_hits: tuple[LimitHit, ...]
    peaks: tuple[PeakMinute, ...]
    failure_probability: float
    curve: tuple[Band, ...]  # cumulative spend at the chart's points
    month_to_date: Decimal

    def to_json(self) -> dict[str, Any]:
        """The side as JSON-ready values."""
        return {
            "spend_usd": self.spend.to_json(),
            "month_to_date_usd": str(self.month_to_date),
            "runway_date": None if self.runway_date is None else self.runway_date.date().isoformat(),
            "reloads": {
                "count": self.reloads,
                "usd": str(self.reload_usd),
                "declined": self.reloads_declined,
            },
            "rejected": self.rejected,
            "limit_hits": [
                {
                    "what": h.what,
                    "when": h.when.isoformat().replace("+00:00", "Z"),
                    "probability": h.probability,
                }
                for h in self.limit_hits
            ],
            "peak_minute": [
                {
                    "class": p.model_class,
                    "requests": p.requests,
                    "input_tokens": p.input_tokens,
                    "output_tokens": p.output_tokens,
                    "limits": {"rpm": p.rpm, "itpm": p.itpm, "otpm": p.otpm},
                    "utilisation": round(p.utilisation, 4),
                }
                for p in self.peaks
            ],
            "failure_probability": self.failure_probability,
        }


@dataclass(frozen=True, slots=True)
class WhatIfResult:
    """Baseline and scenario side by side, with what they were computed from."""

    baseline: Side
    scenario: Side
    runs: int
    seed: int
    levers: tuple[str, ...]
    horizon: Horizon
    checkpoints: tuple[datetime, ...]
    fitted_on: str
    source: str
    limit_line: tuple[str, Decimal] | None  # the tightest monthly limit, for the chart

    def to_dict(self) -> dict[str, Any]:
        """`{"baseline": {...}, "scenario": {...}, "runs": N, "seed": S, ...}`."""
        return {
            "baseline": self.baseline.to_json(),
            "scenario": self.scenario.to_json(),
            "runs": self.runs,
            "seed": self.seed,
            "levers": list(self.levers),
            "horizon": {"start": _iso(self.horizon.start), "end": _iso(self.horizon.end)},
            "fitted_on": self.fitted_on,
            "source": self.source,
        }

    def to_json(self) -> str:
        """Stable JSON (sorted keys): equal results are byte-identical."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def run_whatif(
    baseline: Baseline,
    levers: Levers,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    now: datetime | None = None,
    *,
    prices: PriceList | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> WhatIfResult:
    """Both sides over the horizon; `levers.runs` / `levers.seed` override `runs` / `seed`.

    `on_progress(done, total)` is called after every run (both sides count), for progress messages.
    """
    prices = prices or PriceList.default()
    moment = now if now is not None else baseline.end
    runs, seed = levers.runs or runs, levers.seed if levers.seed is not None else seed
    horizon = horizon_for(levers, moment)
    checkpoints = _checkpoints(horizon)
    marks = np.array([to_ns(c) for c in checkpoints], dtype=np.int64)
    sides = []
    for index, side_levers in enumerate((Levers(horizon_days=levers.horizon_days), levers)):
        plan = traffic_plan(baseline, side_levers, horizon, prices)
        account = account_plan(baseline, side_levers, horizon, prices)
        report = None
        if on_progress is not None:
            report = partial(_report, on_progress, index * runs, 2 * runs)
        results = monte_carlo(
            plan, account, runs=runs, seed=seed, checkpoints=marks, prices=prices, on_run=report
        )
        sides.append(_side(results, account.month_to_date))
    return WhatIfResult(
        baseline=sides[0],
        scenario=sides[1],
        runs=runs,
        seed=seed,
        levers=levers.words,
        horizon=horizon,
        checkpoints=checkpoints,
        fitted_on=baseline.fitted_on(),
        source=baseline.source,
        limit_line=_limit_line(baseline, levers),
    )


def _report(on_progress: Callable[[int, int], None], before: int, total: int, done: int) -> None:
    on_progress(before + done, total)


def _checkpoints(horizon: Horizon) -> tuple[datetime, ...]:
    """Up to `CHART_POINTS` instants from the horizon's start to its end, evenly spaced."""
    span = horizon.end - horizon.start
    return tuple(horizon.start + span * (i + 1) / CHART_POINTS for i in range(CHART_POINTS))


def _limit_line(baseline: Baseline, levers: Levers) -> tuple[str, Decimal] | None:
    money = baseline.money
    candidates: list[tuple[str, Decimal]] = []
    limit = levers.organization_limit or money.organization_limit
    if limit is not None:
        candidates.append(("Spend limit", limit))
    if levers.tier is None and money.tier_cap is not None:
        candidates.append((f"{money.tier} cap", money.tier_cap))
    elif levers.tier is not None:
        from sandbox.tiers import tier_profile

        profile = "historic" if levers.tier.startswith("Tier ") else "current"
        cap = tier_profile(profile).tier(levers.tier).monthly_cap
        if cap is not None:
            candidates.append((f"{levers.tier} cap", cap))
    return min(candidates, key=lambda c: c[1]) if candidates else None


def _side(results: list[RunResult], month_to_date: Decimal) -> Side:
    spend = [r.total_cost for r in results]
    curves = np.array([r.spend_curve for r in results])
    return Side(
        spend=Band.of(spend),
        runway_date=_runway(results),
        reloads=int(np.median([sum(1 for e in r.reloads if e.status != "declined") for r in results])),
        reload_usd=_usd(
            float(np.median([sum(e.amount for e in r.reloads if e.status != "declined") for r in results]))
        ),
        reloads_declined=int(
            np.median([sum(1 for e in r.reloads if e.status == "declined") for r in results])
        ),
        rejected={
            reason: round(float(np.median([r.rejected[reason] for r in results])))
            for reason in REJECTION_REASONS
        },
        limit_hits=_hits(results),
        peaks=_peaks(results),
        failure_probability=round(sum(r.failed_for_money_or_limits for r in results) / len(results), 4),
        curve=tuple(Band.of(curves[:, i]) for i in range(curves.shape[1])),
        month_to_date=month_to_date,
    )


def _runway(results: list[RunResult]) -> datetime | None:
    never = float("inf")
    times = sorted(never if r.first_exhaustion_ns is None else float(r.first_exhaustion_ns) for r in results)
    middle = times[(len(times) - 1) // 2]
    return None if middle == never else to_datetime(int(middle))


def _hits(results: list[RunResult]) -> tuple[LimitHit, ...]:
    first: dict[str, list[int]] = defaultdict(list)
    for run in results:
        seen: dict[str, int] = {}
        for hit in run.hits:
            seen.setdefault(hit.what, hit.at_ns)
        for what, at_ns in seen.items():
            first[what].append(at_ns)
    hits = [
        LimitHit(what, to_datetime(int(np.median(times))), round(len(times) / len(results), 4))
        for what, times in first.items()
    ]
    return tuple(sorted(hits, key=lambda h: (h.when, h.what)))


def _peaks(results: list[RunResult]) -> tuple[PeakMinute, ...]:
    by_class: dict[str, list[tuple[float, PeakMinute]]] = defaultdict(list)
    for run in results:
        for p in run.peaks:
            minute = PeakMinute(
                p.model_class, round(p.requests), round(p.input_tokens), round(p.output_tokens),
                p.rpm, p.itpm, p.otpm, p.utilisation,
            )  # fmt: skip
            by_class[p.model_class].append((p.utilisation, minute))
    chosen = []
    for name in sorted(by_class):
        ranked = sorted(by_class[name], key=lambda item: item[0])
        chosen.append(ranked[(len(ranked) - 1) // 2][1])
    return tuple(chosen)


def days_between(start: datetime, end: datetime) -> float:
    """Days from `start` to `end`."""
    return (end - start) / timedelta(days=1)


__all__ = ["Band", "LimitHit", "PeakMinute", "Side", "WhatIfResult", "rfc3339", "run_whatif"]
