"""The watch's inputs read from a `BillingData` source (Anthropic, a sandbox, the report cache).

What it asks for, each run:
- usage in 1-hour buckets for the last 50 days (seven weeks of history for baselines and the creep
  rule), grouped by key, workspace, model, tier, context window and geo, priced by the price list:
  estimated cost per hour for the organisation, each workspace, key and model (a model's leaves out
  web search, which the cost report bills with no model), and the cache-read and cache-write tokens;
- the cost report by workspace and description from the start of the month (or eight days back,
  whichever is earlier): billed whole days for the organisation, workspaces and models;
- for reconciliation, usage in 1-day buckets of the last seven billed days, priced per token type;
- usage in 1-minute buckets of the last 24 hours by model, for rate-limit peaks; the limits.
Days count as billed up to 00:00 UTC today (less `bill_settle`, for a provider whose cost report
takes a while to settle). The balance comes from the caller: a sandbox's state
(`balance_view_from_state`) or, for Anthropic, what admins recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from billbot.app.data import BillingData
from billbot.core.entries import UsageEntry
from billbot.core.estimate import UsagePricer
from billbot.core.limits import rate_use
from billbot.watch.budgets import Budget
from billbot.watch.inputs import BalanceView, CreditLot, ReconciliationLine, ReloadEvent, Tuning, WatchInputs
from billbot.watch.periods import DAY, HOUR, floor_day, floor_hour, month_start
from billbot.watch.pricing import WEB_SEARCH, LinePricer
from billbot.watch.scope import ORGANIZATION, Scope, workspace_scope
from billbot.watch.series import ZERO, HourlySeries
from sandbox.pricing import PriceList

USAGE_GROUPS = ("api_key_id", "workspace_id", "model", "service_tier", "context_window", "inference_geo")
PRICE_GROUPS = ("model", "service_tier", "context_window", "inference_geo")


@dataclass(frozen=True, slots=True)
class GatherOptions:
    """How far back to read, and when a day counts as billed."""

    history_days: int = 50
    reconcile_days: int = 7
    bill_settle: timedelta = timedelta(0)


def gather(
    data: BillingData,
    now: datetime,
    *,
    prices: PriceList,
    budgets: Sequence[Budget] = (),
    balance: BalanceView | None = None,
    tuning: Tuning | None = None,
    active: Mapping[tuple[str, str], str] | None = None,
    options: GatherOptions = GatherOptions(),
) -> WatchInputs:
    """Everything the rules read at `now`, from `data` (see the module docstring)."""
    start = floor_day(now) - DAY * options.history_days
    billed_through = floor_day(now - options.bill_settle)
    hourly, parents, reads, writes = _hourly(data, start, now, UsagePricer(prices))
    cost_start = min(month_start(now - 2 * HOUR), billed_through - DAY * (options.reconcile_days + 1))
    costs = (
        data.costs(cost_start, billed_through, ["workspace_id", "description"])
        if cost_start < billed_through
        else []
    )
    names = data.workspace_names()
    billed: dict[Scope, dict[datetime, Decimal]] = {}
    bill_lines: dict[tuple[datetime, str | None, str], Decimal] = {}
    for entry in costs:
        scopes = [ORGANIZATION, workspace_scope(entry.workspace_id, names)]
        if entry.model:
            scopes.append(Scope("model", entry.model, entry.model))
        for scope in scopes:
            days = billed.setdefault(scope, {})
            days[entry.day] = days.get(entry.day, ZERO) + entry.amount
        kind = entry.token_type or entry.cost_type or "other"
        # Web search is one line a day, whatever model a report files it under (the analytics API
        # names the model, the legacy report does not), as on the estimate's side.
        key = (entry.day, None if kind == WEB_SEARCH else entry.model, kind)
        bill_lines[key] = bill_lines.get(key, ZERO) + entry.amount
    minutes = data.usage(now - DAY, now, "1m", ["model"])
    return WatchInputs(
        now=now,
        hourly=hourly,
        billed_daily=billed,
        billed_through=billed_through,
        reconciliation=_reconciliation(data, billed_through, options, bill_lines, LinePricer(prices)),
        rate_use=rate_use(data.rate_limit_groups(), minutes),
        limits=data.monthly_limits(),
        balance=balance,
        budgets=budgets,
        parents=parents,
        tuning=tuning or Tuning(),
        active=active or {},
        cache_reads=HourlySeries(start, reads),
        cache_writes=HourlySeries(start, writes),
    )


def _hourly(
    data: BillingData, start: datetime, now: datetime, pricer: UsagePricer
) -> tuple[dict[Scope, HourlySeries], dict[Scope, Scope], list[Decimal], list[Decimal]]:
    hours = int((floor_hour(now) - start) // HOUR) + 1
    values: dict[Scope, list[Decimal]] = {ORGANIZATION: [ZERO] * hours}
    reads, writes = [ZERO] * hours, [ZERO] * hours
    parents: dict[Scope, Scope] = {}
    workspaces, keys = data.workspace_names(), data.key_names()
    for entry in data.usage(start, now, "1h", list(USAGE_GROUPS)):
        index = int((entry.start - start) // HOUR)
        if not 0 <= index < hours:
            continue
        price = pricer.estimate([entry]).amount
        workspace = workspace_scope(entry.workspace_id, workspaces)
        scopes = [ORGANIZATION, workspace]
        if entry.api_key_id is not None:
            key = Scope("api_key", entry.api_key_id, keys.get(entry.api_key_id, entry.api_key_id))
            parents[key] = workspace
            scopes.append(key)
        for scope in scopes:
            values.setdefault(scope, [ZERO] * hours)[index] += price
        if entry.model is not None:
            tokens_only = _without_search(entry, pricer, price)
            values.setdefault(Scope("model", entry.model, entry.model), [ZERO] * hours)[index] += tokens_only
        reads[index] += entry.cache_read
        writes[index] += entry.cache_write_5m + entry.cache_write_1h
    series = {scope: HourlySeries(start, hourly) for scope, hourly in values.items()}
    return series, parents, reads, writes


def _without_search(entry: UsageEntry, pricer: UsagePricer, price: Decimal) -> Decimal:
    # The cost report bills web search apart, with no model: a model's cost is its tokens.
    if not entry.web_search_requests:
        return price
    return pricer.estimate([replace(entry, web_search_requests=0)]).amount


def _reconciliation(
    data: BillingData,
    billed_through: datetime,
    options: GatherOptions,
    bill_lines: Mapping[tuple[datetime, str | None, str], Decimal],
    pricer: LinePricer,
) -> tuple[ReconciliationLine, ...]:
    first = billed_through - DAY * options.reconcile_days
    estimated: dict[tuple[datetime, str | None, str], Decimal] = {}
    for entry in data.usage(first, billed_through, "1d", list(PRICE_GROUPS)):
        for kind, amount in (pricer.by_type(entry) or {}).items():
            key = (entry.start, None if kind == WEB_SEARCH else entry.model, kind)
            estimated[key] = estimated.get(key, ZERO) + amount
    keys = {k for k in bill_lines if k[0] >= first} | set(estimated)
    return tuple(
        ReconciliationLine(
            day,
            model,
            kind,
            bill_lines.get((day, model, kind), ZERO),
            estimated.get((day, model, kind), ZERO),
        )
        for day, model, kind in sorted(keys, key=lambda k: (k[0], k[1] or "", k[2]))
    )


def balance_view_from_state(state: Mapping[str, Any]) -> BalanceView:
    """A sandbox's exact balance, lots and reload attempts from its `/sandbox/v1/state` JSON."""
    balance, reload = state["balance"], state["auto_reload"]
    lots = tuple(
        CreditLot(
            Decimal(lot["remaining_usd"]),
            None if lot["expires_at"] is None else _instant(lot["expires_at"]),
            _instant(lot["granted_at"]),
            lot["kind"],
        )
        for lot in balance["lots"]
    )
    reloads = tuple(
        ReloadEvent(
            _instant(a["at"]), Decimal(a["amount_usd"]), bool(a["succeeded"]) and not a.get("clawed_back")
        )
        for a in reload["attempts"]
    )
    minimum = None if not reload["enabled"] else Decimal(reload["minimum_usd"])
    amount = None
    if minimum is not None:
        target, fixed = reload.get("target_usd"), reload.get("fixed_amount_usd")
        amount = (
            Decimal(fixed)
            if fixed is not None
            else (Decimal(target) - minimum if target is not None else None)
        )
    return BalanceView(Decimal(balance["balance_usd"]), False, lots, minimum, amount, reloads)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
