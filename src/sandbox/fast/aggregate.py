"""A `TrafficPlan` as cells, drawn afresh for each Monte Carlo run.

Lanes are merged into groups that the rules tell apart: one per rate-limit class that its traffic could
bring to its limit, one for everything no per-minute limit can stop (the Batch API, and classes far
below their limits, whose busiest minute is then reported from its expectation), each per workspace
with a spend limit of its own. Each run draws a
day-to-day factor (log-normal, mean one) for every day and Poisson counts for every group-minute.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.fast.plan import AccountPlan, Lane, TrafficPlan
from sandbox.fast.prices import mean_request_cost
from sandbox.pricing import PriceList

MINUTES_PER_DAY = 1440


@dataclass(frozen=True, slots=True)
class CompiledPlan:
    """Group rates per minute and per-request means, ready to draw runs from."""

    start_ns: int
    minutes: int
    rate: np.ndarray  # [minutes, groups] expected requests
    cost: np.ndarray  # [groups] dollars per request
    counted_input: np.ndarray  # [groups] input tokens the limiter counts, per request
    output: np.ndarray  # [groups] output tokens per request
    group_class: np.ndarray
    group_workspace: np.ndarray
    classes: tuple[str, ...]
    workspaces: tuple[str, ...]
    daily_sigma: float
    poisson: bool
    expected_peaks: dict[str, tuple[float, float, float]]  # class → busiest expected minute, before variation


@dataclass(slots=True)
class _Group:
    rate: np.ndarray
    volume: float = 0.0
    cost: float = 0.0
    counted: float = 0.0
    output: float = 0.0


def compile_plan(plan: TrafficPlan, account: AccountPlan, prices: PriceList) -> CompiledPlan:
    """Merge the plan's lanes into the groups the engine's rules need."""
    classes = tuple(sorted({prices.resolve(lane.model).rate_limit_class for lane in plan.lanes}))
    workspaces = tuple(
        sorted({ln.workspace for ln in plan.lanes if ln.workspace in account.workspace_limits})
    )
    peaks = _expected_peaks(plan, account, prices, classes)
    limited = {name for name in classes if _may_bind(peaks[name], account, name, plan.daily_sigma)}
    groups: dict[tuple[int, int], _Group] = {}
    for lane in plan.lanes:
        model = prices.resolve(lane.model)
        ws = workspaces.index(lane.workspace) if lane.workspace in workspaces else -1
        batch = lane.batch_share if model.batch_available else 0.0
        cls = classes.index(model.rate_limit_class) if model.rate_limit_class in limited else -1
        for group_class, share, in_batch in ((cls, 1 - batch, False), (-1, batch, True)):
            if share <= 0:
                continue
            group = groups.setdefault((group_class, ws), _Group(np.zeros(plan.minutes)))
            rate = lane.per_minute[: plan.minutes] * share
            volume = float(rate.sum())
            group.rate += rate
            cost, counted = _per_request(lane, account, prices, in_batch, model.rate_limit_class)
            group.cost += cost * volume
            group.counted += counted * volume
            group.output += lane.output * volume
            group.volume += volume
    keys = sorted(groups)
    volumes = np.array([max(groups[k].volume, 1e-12) for k in keys])
    return CompiledPlan(
        start_ns=plan.start_ns,
        minutes=plan.minutes,
        # float32: half the memory traffic per run; money is summed in float64 (`grid.by_partition`).
        rate=(
            np.stack([groups[k].rate for k in keys], axis=1) if keys else np.zeros((plan.minutes, 0))
        ).astype(np.float32),
        cost=np.array([groups[k].cost for k in keys]) / volumes,
        counted_input=np.array([groups[k].counted for k in keys]) / volumes,
        output=np.array([groups[k].output for k in keys]) / volumes,
        group_class=np.array([k[0] for k in keys], dtype=np.int32),
        group_workspace=np.array([k[1] for k in keys], dtype=np.int32),
        classes=classes,
        workspaces=workspaces,
        daily_sigma=plan.daily_sigma,
        poisson=plan.poisson,
        expected_peaks={name: peaks[name] for name in classes if name not in limited},
    )


def _expected_peaks(
    plan: TrafficPlan, account: AccountPlan, prices: PriceList, classes: tuple[str, ...]
) -> dict[str, tuple[float, float, float]]:
    demand = {name: [np.zeros(plan.minutes) for _ in range(3)] for name in classes}
    for lane in plan.lanes:
        model = prices.resolve(lane.model)
        batch = lane.batch_share if model.batch_available else 0.0
        rate = lane.per_minute[: plan.minutes] * (1 - batch)
        _, counted = _per_request(lane, account, prices, False, model.rate_limit_class)
        for used, per_request in zip(
            demand[model.rate_limit_class], (1.0, counted, lane.output), strict=True
        ):
            used += rate * per_request
    return {name: (float(r.max()), float(i.max()), float(o.max())) for name, (r, i, o) in demand.items()}


def _may_bind(peak: tuple[float, float, float], account: AccountPlan, name: str, sigma: float) -> bool:
    limits = account.rate_limits(name)
    if limits is None:
        return False
    # Room for a busy day (four spreads up) and a busy minute (five Poisson spreads, and then some).
    day = float(np.exp(4 * sigma))
    for expected, cap in zip(peak, (limits.rpm, limits.itpm, limits.otpm), strict=True):
        if cap is not None and expected * day * 1.25 + 5 * np.sqrt(expected * day) >= cap:
            return True
    return False


def _per_request(
    lane: Lane, account: AccountPlan, prices: PriceList, batch: bool, model_class: str
) -> tuple[float, float]:
    tokens = (lane.uncached_input, lane.cache_write_5m, lane.cache_write_1h, lane.cache_read, lane.output)
    cost = mean_request_cost(
        prices, lane.model, tokens, lane.web_search, 1.0 if batch else 0.0, lane.us_share
    )
    cost *= lane.cost_factor
    if not batch and account.faults.interrupt_probability > 0:
        # A cut stream bills the output produced before the cut: on average half of it.
        output_only = mean_request_cost(prices, lane.model, (0, 0, 0, 0, lane.output), 0, 0.0, lane.us_share)
        cost -= account.faults.interrupt_probability * lane.stream_share * output_only / 2
    counted = lane.uncached_input + lane.cache_write_5m + lane.cache_write_1h
    if account.cache_reads_count(model_class):
        counted += lane.cache_read
    return cost, counted


def daily_factors(compiled: CompiledPlan, rng: np.random.Generator) -> np.ndarray:
    """One run's factor per day: log-normal with mean one (all ones without variation)."""
    days = -(-compiled.minutes // MINUTES_PER_DAY)
    sigma = compiled.daily_sigma
    if sigma <= 0:
        return np.ones(days)
    return np.asarray(np.exp(rng.normal(-sigma * sigma / 2, sigma, days)))


def sample_counts(compiled: CompiledPlan, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One run's requests per minute and group, `[minutes, groups]`, and its factor per day.

    Poisson counts. A group no rate limit can stop is drawn per hour and spread evenly over the hour's
    minutes (money does not care which minute a request falls in; sixty times fewer draws); where a
    group-minute expects many requests, the normal approximation (same mean and spread) is used.
    """
    minutes = compiled.minutes
    days = daily_factors(compiled, rng)
    expected = compiled.rate * np.repeat(days, MINUTES_PER_DAY)[:minutes, None].astype(np.float32)
    if not compiled.poisson:
        return expected, days
    counts = np.empty_like(expected)
    limited = compiled.group_class >= 0
    if limited.any():
        counts[:, limited] = _draw(expected[:, limited], rng)
    if (~limited).any():
        counts[:, ~limited] = _draw_hourly(expected[:, ~limited], rng)
    return counts, days


def _draw(expected: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if float(expected.min(initial=0.0)) >= _NORMAL_FROM:
        draws = rng.standard_normal(expected.shape, dtype=np.float32)
        draws *= np.sqrt(expected, dtype=np.float32)
        draws += expected
        return np.maximum(draws, 0.0, out=draws)
    return rng.poisson(expected).astype(np.float32)


def _draw_hourly(expected: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    minutes, groups = expected.shape
    hours = -(-minutes // 60)
    padded = np.zeros((hours * 60, groups), dtype=np.float32)
    padded[:minutes] = expected
    per_hour = padded.reshape(hours, 60, groups)
    totals = per_hour.sum(axis=1)
    drawn = _draw(totals, rng)
    share = np.divide(
        per_hour, totals[:, None, :], out=np.full_like(per_hour, 1 / 60), where=totals[:, None, :] > 0
    )
    return np.asarray((share * drawn[:, None, :]).reshape(hours * 60, groups)[:minutes])


_NORMAL_FROM = 30.0  # expected requests per group-minute above which the normal approximation is used
