"""The baseline of a what-if: the organisation's recent traffic and its money, fitted from `BillingData`.

Fitted on the last 28 days of 1-hour usage buckets by model, workspace, service tier and geography:
- traffic per model and workspace (requests per hour, mean tokens per request by type, batch and
  US-only shares), and each key's share of the tokens;
- an hour-of-week shape (168 relative rates, mean one) and the day-to-day variation left once that
  shape and the trend are taken out (log-normal spread), plus the trend itself (growth per day);
- the balance, its lots (the balance allocated to purchases newest first, each expiring a year after
  purchase), auto-reload, tier, spend limits, rate limits and this month's spend so far.
The usage report counts tokens, not requests: requests are estimated at `ASSUMED_INPUT_PER_REQUEST`
prompt tokens each, and the answer says so. Pure apart from the reads through `data`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np

from billbot.app.data import BalanceRecord, BillingData
from billbot.core.balance import Purchase, one_year_after
from billbot.core.entries import UsageEntry

WINDOW_DAYS = 28
ASSUMED_INPUT_PER_REQUEST = 5_000  # prompt tokens per request when the source cannot count requests
HOURS_PER_WEEK = 168
MAX_GROWTH_PER_DAY = 0.05
_FIT_GROUPS = ("model", "workspace_id", "service_tier", "inference_geo")


@dataclass(frozen=True, slots=True)
class Stream:
    """One model in one workspace: its rate and what a request of it is made of, on average."""

    model: str
    workspace: str | None
    requests_per_hour: float
    uncached_input: float
    cache_write_5m: float
    cache_write_1h: float
    cache_read: float
    output: float
    web_search: float
    batch_share: float
    us_share: float

    @property
    def input_per_request(self) -> float:
        """All prompt tokens of a request."""
        return self.uncached_input + self.cache_write_5m + self.cache_write_1h + self.cache_read


@dataclass(frozen=True, slots=True)
class Money:
    """Balance, lots, auto-reload, tier and limits, as the baseline starts from them."""

    balance: Decimal | None  # None: the source cannot tell (no sandbox, no admin record)
    lots: tuple[Purchase, ...]  # what is left of each purchase, by purchase instant
    reload_minimum: Decimal | None
    reload_target: Decimal | None
    tier: str
    tier_cap: Decimal | None
    organization_limit: Decimal | None
    workspace_limits: dict[str, Decimal]
    rate_limits: dict[str, tuple[int | None, int | None, int | None]]  # model → (rpm, itpm, otpm)
    month_to_date: Decimal
    workspace_month_to_date: dict[str, Decimal]


@dataclass(frozen=True, slots=True)
class Baseline:
    """Everything a what-if starts from, and what it was fitted on."""

    start: datetime
    end: datetime
    streams: tuple[Stream, ...]
    hour_of_week: tuple[float, ...]
    daily_sigma: float
    growth_per_day: float
    key_shares: dict[str, float]
    money: Money
    observed_cost: Decimal
    source: str
    requests_estimated: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def requests(self) -> int:
        """Requests in the window (estimated when the source counts only tokens)."""
        return round(sum(s.requests_per_hour for s in self.streams) * self.hours)

    @property
    def hours(self) -> float:
        """Length of the window in hours."""
        return (self.end - self.start) / timedelta(hours=1)

    def fitted_on(self) -> str:
        """What the baseline was fitted on, e.g. "last 28 days, ~412k requests"."""
        days = round(self.hours / 24)
        approx = "~" if self.requests_estimated else ""
        return f"last {days} days, {approx}{_compact(self.requests)} requests"


def _compact(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 10_000:
        return f"{n / 1000:.0f}k"
    return f"{n:,}"


def fit_baseline(
    data: BillingData,
    now: datetime,
    *,
    window_days: int = WINDOW_DAYS,
    balance_record: BalanceRecord | None = None,
) -> Baseline:
    """Fit the baseline on the `window_days` before `now` (whole hours)."""
    end = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=window_days)
    names = data.workspace_names()
    rows = data.usage(start, end, "1h", _FIT_GROUPS)
    hours = int((end - start) / timedelta(hours=1))
    per_hour = _hourly_requests(rows, start, hours)
    shape, sigma, growth = _shape(per_hour, start)
    costs = data.costs(start, end, ())
    return Baseline(
        start=start,
        end=end,
        streams=_streams(rows, names, hours),
        hour_of_week=shape,
        daily_sigma=sigma,
        growth_per_day=growth,
        key_shares=_key_shares(data, start, end),
        money=_money(data, now, names, balance_record),
        observed_cost=sum((c.amount for c in costs), Decimal(0)),
        source=data.label,
    )


def _requests(entry: UsageEntry) -> float:
    return entry.input_tokens / ASSUMED_INPUT_PER_REQUEST


def _hourly_requests(rows: list[UsageEntry], start: datetime, hours: int) -> np.ndarray:
    series = np.zeros(hours)
    for row in rows:
        index = int((row.start - start) / timedelta(hours=1))
        if 0 <= index < hours:
            series[index] += _requests(row)
    return series


def _shape(per_hour: np.ndarray, start: datetime) -> tuple[tuple[float, ...], float, float]:
    """Hour-of-week shape (mean one), day-to-day log spread, growth per day."""
    flat = tuple([1.0] * HOURS_PER_WEEK)
    if per_hour.sum() <= 0:
        return flat, 0.0, 0.0
    slot0 = start.weekday() * 24 + start.hour
    slots = (slot0 + np.arange(len(per_hour))) % HOURS_PER_WEEK
    sums = np.bincount(slots, weights=per_hour, minlength=HOURS_PER_WEEK)
    seen = np.bincount(slots, minlength=HOURS_PER_WEEK)
    mean_by_slot = np.where(seen > 0, sums / np.maximum(seen, 1), per_hour.mean())
    shape = mean_by_slot / mean_by_slot.mean()
    days = len(per_hour) // 24
    if days < 3:
        return tuple(float(x) for x in shape), 0.0, 0.0
    actual = per_hour[: days * 24].reshape(days, 24).sum(axis=1)
    expected = (shape[slots[: days * 24]] * per_hour.mean()).reshape(days, 24).sum(axis=1)
    ok = (actual > 0) & (expected > 0)
    if ok.sum() < 3:
        return tuple(float(x) for x in shape), 0.0, 0.0
    logs = np.log(actual[ok] / expected[ok])
    day_index = np.arange(days)[ok]
    slope, intercept = np.polyfit(day_index, logs, 1)
    residual = logs - (slope * day_index + intercept)
    growth = math.exp(float(np.clip(slope, -MAX_GROWTH_PER_DAY, MAX_GROWTH_PER_DAY))) - 1
    return tuple(float(x) for x in shape), float(residual.std()), growth


def _streams(rows: list[UsageEntry], names: dict[str, str], hours: int) -> tuple[Stream, ...]:
    totals: dict[tuple[str, str | None], np.ndarray] = defaultdict(lambda: np.zeros(9))
    for row in rows:
        if row.model is None:
            continue
        workspace = None if row.workspace_id is None else names.get(row.workspace_id, row.workspace_id)
        requests = _requests(row)
        batch = requests if row.service_tier == "batch" else 0.0
        us = requests if row.inference_geo == "us" else 0.0
        totals[(row.model, workspace)] += (
            requests, row.uncached_input, row.cache_write_5m, row.cache_write_1h, row.cache_read,
            row.output, row.web_search_requests, batch, us,
        )  # fmt: skip
    streams = []
    for (model, workspace), t in sorted(totals.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        n = max(float(t[0]), 1e-9)
        streams.append(Stream(model, workspace, float(t[0]) / hours, *(float(v) / n for v in t[1:9])))
    return tuple(streams)


def _key_shares(data: BillingData, start: datetime, end: datetime) -> dict[str, float]:
    keys = data.key_names()
    tokens: dict[str, float] = defaultdict(float)
    for row in data.usage(start, end, "1d", ("api_key_id",)):
        if row.api_key_id is not None:
            tokens[keys.get(row.api_key_id, row.api_key_id)] += row.input_tokens + row.output
    total = sum(tokens.values()) or 1.0
    return {name: value / total for name, value in sorted(tokens.items(), key=lambda kv: -kv[1])}


def _money(data: BillingData, now: datetime, names: dict[str, str], record: BalanceRecord | None) -> Money:
    limits = data.monthly_limits()
    month_start = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_costs = data.costs(month_start, now, ("workspace_id",))
    by_workspace: dict[str, Decimal] = defaultdict(Decimal)
    for entry in month_costs:
        if entry.workspace_id is not None:
            by_workspace[names.get(entry.workspace_id, entry.workspace_id)] += entry.amount
    balance, purchases, threshold = _balance(data, now, record)
    return Money(
        balance=balance,
        lots=_lots(balance, purchases, now),
        reload_minimum=threshold,
        # The source names the threshold, not the target: assume the Console's usual "twice the minimum".
        reload_target=None if threshold is None else threshold * 2,
        tier=limits.tier if limits else "Custom",
        tier_cap=limits.tier_cap if limits else None,
        organization_limit=limits.organization if limits else None,
        workspace_limits={
            names.get(w, w): amount for w, amount in (limits.workspaces if limits else {}).items()
        },
        rate_limits={
            model: (group.rpm, group.itpm, group.otpm)
            for group in data.rate_limit_groups()
            for model in group.models
        },
        month_to_date=sum((e.amount for e in month_costs), Decimal(0)),
        workspace_month_to_date=dict(by_workspace),
    )


def _balance(
    data: BillingData, now: datetime, record: BalanceRecord | None
) -> tuple[Decimal | None, tuple[Purchase, ...], Decimal | None]:
    simulated = data.simulated_balance()
    if simulated is not None:
        return simulated.balance, simulated.purchases, simulated.reload_threshold
    if record is None:
        return None, (), None
    billed = sum((c.amount for c in data.costs(record.anchored_at, now, ())), Decimal(0))
    topups = sum((p.amount for p in record.purchases if p.at > record.anchored_at), Decimal(0))
    return record.anchor + topups - billed, record.purchases, record.reload_threshold


def _lots(balance: Decimal | None, purchases: tuple[Purchase, ...], now: datetime) -> tuple[Purchase, ...]:
    """What is left of each purchase: soonest-expiry-first drawing leaves the newest ones."""
    if balance is None or balance <= 0:
        return ()
    left, lots = balance, []
    for purchase in sorted(purchases, key=lambda p: p.at, reverse=True):
        if one_year_after(purchase.at) <= now or left <= 0:
            continue
        share = min(purchase.amount, left)
        lots.append(Purchase(share, purchase.at))
        left -= share
    if left > 0:  # credit no recorded purchase explains (promotional, or bought before the records)
        lots.append(Purchase(left, now))
    return tuple(sorted(lots, key=lambda p: p.at))
