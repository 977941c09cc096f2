"""The watch's backtest: replay sandbox scenarios through the exact engine, watch every 10 minutes, score.

Each run (`backtest_plan`) builds a scenario's world and steps it in simulated time; at every step
the feed hands the rules what the reports would say, `evaluate` finds, and the lifecycle opens,
escalates and recovers alerts exactly as the service would (in memory). Then:
- an incident is detected by a rule when that rule's finding is present (its alert firing) at a run
  during the incident or soon after (`SLACK_AFTER`), on a scope where it shows (the key, its
  workspace, the organisation, a model); the delay counts from its start to the first such run —
  for reconciliation from the end of the day, when the bill can show it;
- an alert of a detecting rule that matches no labelled incident is a false alert; rates are per
  scope the rule watches, per 30 days;
- budget crossings: the instant spend (usage × price list, request by request) crossed each level,
  against the first run whose alert had that level;
- the other rules (limits, balance, rate limits) report what they raised, for volume.
`run_backtest` returns a `BacktestReport` (`.to_json()`, `.to_text()`; see `backtest_report`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from billbot.watch.alerts import Alert
from billbot.watch.backtest_plan import RunPlan, plans
from billbot.watch.backtest_report import DETECTS, BacktestReport, score
from billbot.watch.budgets import Budget
from billbot.watch.engine import RuleCache, WatchConfig, evaluate
from billbot.watch.feed import SimulatedFeed
from billbot.watch.findings import Finding
from billbot.watch.lifecycle import AlertKey, Transition, active_periods, apply_findings
from billbot.watch.periods import floor_hour, period_window
from billbot.watch.scope import ORGANIZATION, Scope
from sandbox.build import build_simulation
from sandbox.clock import NS_PER_DAY, to_datetime
from sandbox.incidents import scenario_incidents
from sandbox.messages import Outcome

STEP = timedelta(minutes=10)
DEFAULT_SEEDS = (1, 2, 3)
FULL_SEEDS = tuple(range(1, 11))
DEFAULT_INCIDENT_SEEDS = (1,)
FULL_INCIDENT_SEEDS = (1, 2, 3)


@dataclass(frozen=True, slots=True)
class Opening:
    """An alert opening or reopening: the moment a person hears of it."""

    rule: str
    scope_key: str
    period: str
    at: datetime
    kind: str  # "open" or "reopen"
    level: str = ""


@dataclass(frozen=True, slots=True)
class Sighting:
    """A stretch of runs in which a detecting rule's finding on one scope was present."""

    rule: str
    scope_key: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class LevelSeen:
    """The first run at which a budget alert held `rank`."""

    budget_id: int
    period: str
    rank: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Label:
    """A labelled incident of a run, as the scorer reads it."""

    kind: str
    start: datetime
    end: datetime
    scope: str
    detail: str


@dataclass(frozen=True, slots=True)
class Crossing:
    """The instant a budget's spend crossed a level (truth, from the request log)."""

    budget_id: int
    period: str
    rank: int
    at: datetime


@dataclass
class RunResult:
    """What one replay produced, for scoring."""

    name: str
    family: str
    size: str
    seed: int
    days: int
    scopes: dict[str, int]
    parents: dict[str, str]
    labels: list[Label]
    openings: list[Opening]
    sightings: list[Sighting]
    levels: list[LevelSeen]
    crossings: list[Crossing]
    forecasts: list[tuple[int, str, bool]] = field(default_factory=list)  # budget, period, exceeded
    seconds: float = 0.0
    overcharged_usd: Decimal = Decimal(0)


def replay(plan: RunPlan, config: WatchConfig | None = None, step: timedelta = STEP) -> RunResult:
    """Run one plan through the engine and the watch; what happened, for `score`."""
    began = time.perf_counter()
    config = config or WatchConfig()
    simulation = build_simulation(plan.scenario, seed=plan.seed)
    feed = SimulatedFeed(simulation)
    budgets = _budgets(plan, feed)
    cache = RuleCache()
    alerts: dict[AlertKey, Alert] = {}
    openings: list[Opening] = []
    present: dict[tuple[str, str], datetime] = {}  # (rule, scope) → since when
    sightings: list[Sighting] = []
    levels: dict[tuple[int, str, int], datetime] = {}
    step_ns = int(step.total_seconds() * 1e9)
    end_ns = simulation.start_ns + plan.scenario.days * NS_PER_DAY
    now_ns = simulation.start_ns
    while now_ns < end_ns:
        now_ns += step_ns
        feed.advance(now_ns)
        inputs = feed.inputs(budgets=budgets, active=active_periods(alerts))
        findings = evaluate(inputs, config, cache)
        for change in apply_findings(alerts, findings, inputs.now):
            if change.after is not None:
                alerts[change.key] = change.after
            _record(change, inputs.now, openings, levels)
        _sight(findings, inputs.now, present, sightings)
    sightings += [Sighting(rule, scope, since, feed.now) for (rule, scope), since in present.items()]
    labels = [
        Label(i.kind, to_datetime(i.start_ns), to_datetime(i.end_ns), i.scope, i.detail)
        for i in scenario_incidents(plan.scenario, simulation)
        if i.start_ns < end_ns  # a staged incident after the run's end never happened
    ]
    crossings, forecasts = _truth(feed, budgets, openings)
    twice = [o for o in simulation.world.records.requests if o.times_charged > 1]
    return RunResult(
        name=plan.name,
        family=plan.family,
        size=plan.size,
        seed=plan.seed,
        days=plan.scenario.days,
        scopes=_watched(feed),
        parents={key.key: ws.key for key, ws in feed.parents.items()},
        labels=labels,
        openings=openings,
        sightings=sightings,
        levels=[LevelSeen(b, p, r, at) for (b, p, r), at in sorted(levels.items(), key=lambda kv: kv[1])],
        crossings=crossings,
        forecasts=forecasts,
        seconds=time.perf_counter() - began,
        overcharged_usd=sum((o.cost / 2 for o in twice), Decimal(0)),
    )


def run_backtest(
    seeds: Sequence[int] | None = None,
    *,
    full: bool = False,
    incident_seeds: Sequence[int] | None = None,
    config: WatchConfig | None = None,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
) -> BacktestReport:
    """Replay clean and incident runs and score every rule (`full`: ten clean seeds, three per size)."""
    clean = tuple(seeds) if seeds is not None else (FULL_SEEDS if full else DEFAULT_SEEDS)
    staged = (
        tuple(incident_seeds)
        if incident_seeds is not None
        else (FULL_INCIDENT_SEEDS if full else DEFAULT_INCIDENT_SEEDS)
    )
    todo = plans(clean, staged)
    results: list[RunResult] = []
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(replay, todo, [config] * len(todo)):
                results.append(result)
                if progress is not None:
                    progress(f"{result.name}: {result.seconds:.0f}s")
    else:
        for plan in todo:
            result = replay(plan, config)
            results.append(result)
            if progress is not None:
                progress(f"{result.name}: {result.seconds:.0f}s")
    return score(results)


def _budgets(plan: RunPlan, feed: SimulatedFeed) -> tuple[Budget, ...]:
    world = feed.simulation.world
    by_name = {
        "workspace": {w.name: w.id for w in world.org.workspaces.values()},
        "api_key": {k.name: k.id for k in world.org.api_keys.values()},
    }
    found = []
    for number, spec in enumerate(plan.budgets, start=1):
        if spec.kind == "organization":
            scope = ORGANIZATION
        elif spec.kind == "model":
            scope = feed.scope_for("model", spec.name)
        else:
            scope = feed.scope_for(spec.kind, by_name[spec.kind][spec.name or ""])
        found.append(Budget(scope, spec.amount, spec.period, id=number))
    return tuple(found)


def _sight(
    findings: Sequence[Finding],
    now: datetime,
    present: dict[tuple[str, str], datetime],
    sightings: list[Sighting],
) -> None:
    seen = {(f.rule, f.scope.key) for f in findings if f.rule in DETECTS}
    for key in [key for key in present if key not in seen]:
        sightings.append(Sighting(key[0], key[1], present.pop(key), now))
    for key in seen:
        present.setdefault(key, now)


def _record(
    change: Transition, now: datetime, openings: list[Opening], levels: dict[tuple[int, str, int], datetime]
) -> None:
    after = change.after
    if after is None:
        return
    rule, scope_key, period = change.key
    for post in change.posts:
        if post.kind == "open" or post.once_key.startswith("reopened"):
            kind = "open" if post.kind == "open" else "reopen"
            openings.append(Opening(rule, scope_key, period, now, kind, after.finding.level))
    if rule == "budget" and after.status == "firing":
        budget_id = int(after.finding.data["budget_id"])
        window_key = period.split("/")[0]
        levels.setdefault((budget_id, window_key, after.fired_rank), now)


def _watched(feed: SimulatedFeed) -> dict[str, int]:
    inputs = feed.inputs()
    kinds = [scope.kind for scope in inputs.hourly]
    return {
        "anomaly": len(kinds),
        "cache_miss": 1,
        "model_switch": sum(1 for kind in kinds if kind == "model"),
        "creep": sum(1 for kind in kinds if kind in ("organization", "workspace")),
        "reconciliation": 1,
        "runaway_reload": 1,
    }


def _truth(
    feed: SimulatedFeed, budgets: Sequence[Budget], openings: Sequence[Opening]
) -> tuple[list[Crossing], list[tuple[int, str, bool]]]:
    world = feed.simulation.world
    end = feed.now
    spent: dict[tuple[int, str], Decimal] = {}
    crossings: list[Crossing] = []
    for outcome in world.records.requests:
        if outcome.status != 200:
            continue
        at = to_datetime(outcome.at_ns)
        price = outcome.cost / outcome.times_charged
        searches = outcome.usage.web_search_requests if outcome.usage is not None else 0
        for budget in budgets:
            if not _in_scope(budget.scope, outcome, feed):
                continue
            if budget.scope.kind == "model":  # the cost report bills web search with no model
                price = outcome.cost / outcome.times_charged - world.prices.web_search_per_request * searches
            window = period_window(budget.period, at)
            key = (budget.id or 0, window.key)
            before = spent.get(key, Decimal(0))
            after = before + price
            spent[key] = after
            for threshold in budget.thresholds:
                level = budget.amount * threshold / 100
                if before < level <= after:
                    crossings.append(Crossing(budget.id or 0, window.key, threshold * 10, at))
    forecasts = []
    for opening in openings:
        if opening.rule == "budget" and opening.level == "forecast":
            budget_id = int(opening.period.split("budget-")[1])
            window_key = opening.period.split("/")[0]
            budget = next(b for b in budgets if b.id == budget_id)
            if period_window(budget.period, opening.at).end <= floor_hour(end):
                forecasts.append(
                    (budget_id, window_key, spent.get((budget_id, window_key), Decimal(0)) >= budget.amount)
                )
    return crossings, forecasts


def _in_scope(scope: Scope, outcome: Outcome, feed: SimulatedFeed) -> bool:
    kind = scope.kind
    if kind == "organization":
        return True
    if kind == "model":
        return outcome.model == scope.id
    if kind == "api_key":
        return outcome.api_key_id == scope.id
    return feed.scope_for("workspace", outcome.workspace_id) == scope
