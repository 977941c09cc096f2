"""Levers applied to a baseline: the fast engine's traffic plan and account for one side of a what-if.

Rules:
- The horizon starts at `now` (whole minutes) and ends `horizon Nd` later, or at the start of next
  month (UTC) by default.
- Traffic per stream = its fitted rate × the hour-of-week shape × growth (the fitted trend, or the
  `growth` lever) × `traffic`; `move P% A to B` sends that share of A's requests to B unchanged.
- `cache P%` sets cache reads to that share of each request's prompt (the rest keeps its split
  between uncached input and cache writes); `batch P%` the share sent to the Batch API; `output xN`
  scales output tokens; `price M xF` scales M's rates.
- Money: the fitted lots, auto-reload, tier and limits, changed by the money levers; an unknown balance
  (a source with no balance and no admin record) is treated as never running out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import numpy as np

from billbot.whatif.baseline import Baseline, Stream
from billbot.whatif.levers import LeverError, Levers
from sandbox.clock import NS_PER_MINUTE, to_ns
from sandbox.fast.plan import AccountPlan, Lane, LotPlan, ReloadPlan, TrafficPlan
from sandbox.pricing import PriceList, UnknownModelError
from sandbox.ratelimit import RateLimits

UNKNOWN_BALANCE = Decimal(10) ** 12


@dataclass(frozen=True, slots=True)
class Horizon:
    """The simulated stretch of time: [start, end)."""

    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        """Whole minutes in the horizon."""
        return int((self.end - self.start) / timedelta(minutes=1))


def horizon_for(levers: Levers, now: datetime) -> Horizon:
    """From `now` to `horizon Nd` later, or to the start of next month."""
    start = now.astimezone(UTC).replace(second=0, microsecond=0)
    if levers.horizon_days is not None:
        return Horizon(start, start + timedelta(days=levers.horizon_days))
    month = start.replace(day=1, hour=0, minute=0)
    next_month = (month + timedelta(days=32)).replace(day=1)
    if next_month - start < timedelta(hours=1):  # the last minutes of a month: forecast the next one
        next_month = (next_month + timedelta(days=32)).replace(day=1)
    return Horizon(start, next_month)


def traffic_plan(baseline: Baseline, levers: Levers, horizon: Horizon, prices: PriceList) -> TrafficPlan:
    """The lanes of one side: baseline streams with the traffic levers applied."""
    per_minute = _shape(baseline, levers, horizon)
    streams = _moved(baseline.streams, levers, prices)
    lanes = tuple(_lane(stream, share, levers, per_minute, prices) for stream, share in streams)
    return TrafficPlan(
        to_ns(horizon.start), horizon.minutes, tuple(lane for lane in lanes if lane is not None),
        daily_sigma=baseline.daily_sigma,
    )  # fmt: skip


def _shape(baseline: Baseline, levers: Levers, horizon: Horizon) -> np.ndarray:
    """Relative rate per minute: hour-of-week shape × growth × traffic factor."""
    minutes = np.arange(horizon.minutes)
    slot0 = horizon.start.weekday() * 24 + horizon.start.hour
    slots = (slot0 + (horizon.start.minute + minutes) // 60) % 168
    shape = np.asarray(baseline.hour_of_week)[slots]
    if levers.growth_per_week is not None:
        daily = float((1 + levers.growth_per_week) ** (Decimal(1) / 7)) - 1
    else:
        daily = baseline.growth_per_day
    growth = (1 + daily) ** (minutes / 1440.0)
    factor = float(levers.traffic) if levers.traffic is not None else 1.0
    return np.asarray(shape * growth * factor / 60.0)


def _canonical(model: str, prices: PriceList) -> str:
    try:
        return prices.resolve(model).id
    except UnknownModelError:
        raise LeverError(f"unknown model {model!r}") from None


def _moved(streams: tuple[Stream, ...], levers: Levers, prices: PriceList) -> list[tuple[Stream, float]]:
    """Streams with the share of their requests each keeps; moved shares become streams of the target."""
    result: list[tuple[Stream, float]] = [(s, 1.0) for s in streams]
    for move in levers.moves:
        source, target = _canonical(move.source, prices), _canonical(move.target, prices)
        moved: list[tuple[Stream, float]] = []
        touched = False
        for stream, share in result:
            if _canonical(stream.model, prices) == source:
                touched = True
                part = share * float(move.share)
                moved.append((stream, share - part))
                moved.append((_as_model(stream, target), part))
            else:
                moved.append((stream, share))
        if not touched:
            raise LeverError(f"move: the baseline has no traffic on {move.source}")
        result = moved
    return result


def _as_model(stream: Stream, model: str) -> Stream:
    return Stream(
        model, stream.workspace, stream.requests_per_hour, stream.uncached_input, stream.cache_write_5m,
        stream.cache_write_1h, stream.cache_read, stream.output, stream.web_search, stream.batch_share,
        stream.us_share,
    )  # fmt: skip


def _lane(
    stream: Stream, share: float, levers: Levers, per_minute: np.ndarray, prices: PriceList
) -> Lane | None:
    if share <= 0 or stream.requests_per_hour <= 0:
        return None
    uncached, write_5m, write_1h, read = (
        stream.uncached_input, stream.cache_write_5m, stream.cache_write_1h, stream.cache_read,
    )  # fmt: skip
    if levers.cache_ratio is not None:
        prompt = stream.input_per_request
        rest = uncached + write_5m + write_1h
        read = prompt * float(levers.cache_ratio)
        scale = (prompt - read) / rest if rest > 0 else 0.0
        uncached, write_5m, write_1h = uncached * scale, write_5m * scale, write_1h * scale
        if rest <= 0:
            uncached = prompt - read
    output = stream.output * (float(levers.output) if levers.output is not None else 1.0)
    factors = {_canonical(m, prices): float(f) for m, f in levers.prices.items()}
    return Lane(
        model=stream.model,
        workspace=stream.workspace,
        uncached_input=uncached,
        cache_write_5m=write_5m,
        cache_write_1h=write_1h,
        cache_read=read,
        output=output,
        web_search=stream.web_search,
        batch_share=float(levers.batch_share) if levers.batch_share is not None else stream.batch_share,
        us_share=stream.us_share,
        cost_factor=factors.get(_canonical(stream.model, prices), 1.0),
        per_minute=per_minute * stream.requests_per_hour * share,
    )


def account_plan(baseline: Baseline, levers: Levers, horizon: Horizon, prices: PriceList) -> AccountPlan:
    """The money side: fitted lots, reload, tier and limits, with the money levers applied."""
    money = baseline.money
    tier = levers.tier or money.tier
    lots = tuple(LotPlan(lot.amount, to_ns(lot.at)) for lot in money.lots)
    if money.balance is None:
        lots = (LotPlan(UNKNOWN_BALANCE, to_ns(horizon.start)),)
    topups = tuple(
        (to_ns(datetime.combine(day, time(), tzinfo=UTC)), amount)
        for amount, day in levers.topups
        if horizon.start <= datetime.combine(day, time(), tzinfo=UTC) < horizon.end
    )
    return AccountPlan(
        tier_profile="historic" if tier.startswith("Tier ") else "current",
        tier=tier,
        lots=lots,
        topups=topups,
        reload=_reload(baseline, levers),
        organization_limit=levers.organization_limit or money.organization_limit,
        workspace_limits={**money.workspace_limits, **levers.workspace_limits},
        rate_limit_overrides={} if levers.tier else _rate_limits(baseline, prices),
        month_to_date=money.month_to_date,
        workspace_month_to_date=money.workspace_month_to_date,
    )


def _reload(baseline: Baseline, levers: Levers) -> ReloadPlan | None:
    money = baseline.money
    if levers.autoreload_off:
        return None
    if levers.autoreload is not None:
        minimum, target = levers.autoreload
    elif money.reload_minimum is not None and money.reload_target is not None:
        minimum, target = money.reload_minimum, money.reload_target
    else:
        return None
    if levers.decline_reloads:
        return ReloadPlan(minimum, target, payment="probability", decline_probability=1.0)
    return ReloadPlan(minimum, target)


def _rate_limits(baseline: Baseline, prices: PriceList) -> dict[str, RateLimits]:
    limits: dict[str, RateLimits] = {}
    for model, (rpm, itpm, otpm) in baseline.money.rate_limits.items():
        try:
            limits[prices.resolve(model).rate_limit_class] = RateLimits(rpm, itpm, otpm)
        except UnknownModelError:
            continue
    return limits


def minute_of(horizon: Horizon, moment: datetime) -> int:
    """Minutes from the horizon's start to `moment`."""
    return int((to_ns(moment) - to_ns(horizon.start)) // NS_PER_MINUTE)
