"""Watch inputs from a sandbox simulation as it runs: what `gather` would read, built incrementally.

The backtest steps the exact engine (`Simulation.run_until`) every few simulated minutes and asks the
rules what they see. Reading the reports through the Admin API at every step would cost hours, so this
feed keeps what they would say as the simulation goes:
- estimated cost per hour per scope (organisation, workspace, key, model): each served request's usage
  priced by the price list (its charge divided by the times it was charged: a duplicate charge is not
  usage); a model's cost leaves out web search, which the cost report bills with no model; the hour
  in progress holds what it has so far, as the usage report's last bucket does;
- at each midnight, the cost report's day (what was charged) for the organisation, the workspaces and
  the models, and the reconciliation lines of that day from the usage rows (usage × price list per
  token type, as `gather` prices the usage report) beside the charged cost lines;
- the organisation's cache-read and cache-write tokens per hour (for cache-miss storms);
- rate-limit peaks per model group (the busiest minute of each hour), the balance, lots and reloads,
  and the monthly limits, read from the world at each step.
`tests/billbot/watch/test_feed.py` pins it to `gather` over the same sandbox through the Admin API.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from itertools import islice

from billbot.app.data import MonthlyLimits
from billbot.core.entries import UsageEntry
from billbot.core.limits import RateLimitGroup, RateUse
from billbot.watch.budgets import Budget
from billbot.watch.inputs import BalanceView, CreditLot, ReconciliationLine, ReloadEvent, Tuning, WatchInputs
from billbot.watch.periods import DAY
from billbot.watch.pricing import WEB_SEARCH, LinePricer
from billbot.watch.scope import DEFAULT_WORKSPACE_ID, ORGANIZATION, Scope
from billbot.watch.series import ZERO, HourlySeries
from sandbox.build import Simulation
from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, NS_PER_MINUTE, to_datetime
from sandbox.records import CACHE_READ, CW_1H, CW_5M, OUTPUT, UNCACHED
from sandbox.records import WEB_SEARCH as WEB_SLOT

RECONCILE_DAYS = 7


class SimulatedFeed:
    """Keeps a simulation's watch inputs up to date as it advances (see the module docstring)."""

    def __init__(self, simulation: Simulation, pricer: LinePricer | None = None) -> None:
        world = simulation.world
        self.simulation = simulation
        self.start = to_datetime(simulation.start_ns)
        self._pricer = pricer or LinePricer(world.prices)
        self._search_price = world.prices.web_search_per_request
        self._hourly: dict[Scope, list[Decimal]] = {}
        self._reads: list[Decimal] = []
        self._writes: list[Decimal] = []
        self._hours = 0
        self._seen = 0
        self._usage_seen = 0
        self._days_closed = 0
        self.billed_daily: dict[Scope, dict[datetime, Decimal]] = {}
        self.reconciliation: deque[ReconciliationLine] = deque()
        self._names = {w.id: w.name for w in world.org.workspaces.values()}
        self._keys = {k.id: k for k in world.org.api_keys.values()}
        self._scopes: dict[tuple[str, str | None], Scope] = {}
        self.parents: dict[Scope, Scope] = {}
        self._class_of = {m.id: m.rate_limit_class for m in world.prices.models.values()}
        self._minute: dict[tuple[str, int], list[int]] = {}
        self._hour_peaks: dict[tuple[str, int], list[int]] = {}
        self._group_models: dict[str, set[str]] = {}
        self._scope(ORGANIZATION.kind, None)

    @property
    def now(self) -> datetime:
        """The simulation's current time."""
        return self.simulation.clock.now()

    def advance(self, until_ns: int) -> None:
        """Run the simulation to `until_ns`, closing each midnight on the way."""
        while True:
            day_end = self.simulation.start_ns + (self._days_closed + 1) * NS_PER_DAY
            stop = min(until_ns, day_end)
            self.simulation.run_until(stop)
            self._ingest(stop)
            if stop < day_end:
                return
            self._close_day(day_end - NS_PER_DAY, day_end)
            if until_ns == day_end:
                return

    def inputs(
        self,
        *,
        budgets: Sequence[Budget] = (),
        tuning: Tuning | None = None,
        active: dict[tuple[str, str], str] | None = None,
    ) -> WatchInputs:
        """What the rules see now."""
        now = self.now
        closed = self.start + DAY * self._days_closed
        return WatchInputs(
            now=now,
            hourly={scope: HourlySeries(self.start, values) for scope, values in self._hourly.items()},
            billed_daily=self.billed_daily,
            billed_through=closed if self._days_closed else None,
            reconciliation=tuple(self.reconciliation),
            rate_use=self._rate_use(),
            limits=self._limits(),
            balance=self._balance(),
            budgets=budgets,
            parents=self.parents,
            tuning=tuning or Tuning(),
            active=active or {},
            cache_reads=HourlySeries(self.start, self._reads),
            cache_writes=HourlySeries(self.start, self._writes),
        )

    def scope_for(self, kind: str, ident: str | None) -> Scope:
        """The feed's scope object for a kind and id (created on first use)."""
        return self._scope(kind, ident)

    def _scope(self, kind: str, ident: str | None) -> Scope:
        found = self._scopes.get((kind, ident))
        if found is not None:
            return found
        if kind == "organization":
            scope = ORGANIZATION
        elif kind == "workspace":
            wid = ident or DEFAULT_WORKSPACE_ID
            name = "Default workspace" if wid == DEFAULT_WORKSPACE_ID else self._names.get(wid, wid)
            scope = Scope("workspace", wid, name)
        elif kind == "api_key":
            key = self._keys.get(ident or "")
            scope = Scope("api_key", ident, key.name if key else str(ident))
            self.parents[scope] = self._scope("workspace", key.workspace_id if key else None)
        else:
            scope = Scope("model", ident, str(ident))
        self._scopes[(kind, ident)] = scope
        self._hourly[scope] = [ZERO] * self._hours
        return scope

    def _ingest(self, now_ns: int) -> None:
        hours = (now_ns - self.simulation.start_ns) // NS_PER_HOUR + 1  # the hour in progress too
        if hours > self._hours:
            for values in (*self._hourly.values(), self._reads, self._writes):
                values.extend([ZERO] * (hours - self._hours))
            self._hours = hours
        requests = self.simulation.world.records.requests
        start_ns = self.simulation.start_ns
        for outcome in islice(requests, self._seen, None):
            if outcome.status != 200 or outcome.usage is None:
                continue
            price = outcome.cost if outcome.times_charged == 1 else outcome.cost / outcome.times_charged
            hour = (outcome.at_ns - start_ns) // NS_PER_HOUR
            for scope in (
                ORGANIZATION,
                self._scope("workspace", outcome.workspace_id),
                self._scope("api_key", outcome.api_key_id),
            ):
                self._hourly[scope][hour] += price
            searches = outcome.usage[5]
            # The cost report bills web search apart, with no model: a model's cost is its tokens.
            tokens_only = price - self._search_price * searches if searches else price
            self._hourly[self._scope("model", outcome.model)][hour] += tokens_only
            usage = outcome.usage
            if usage[1] or usage[2] or usage[3]:
                self._reads[hour] += usage[3]
                self._writes[hour] += usage[1] + usage[2]
            self._rate(outcome.model, outcome.at_ns, outcome.usage)
        self._seen = len(requests)

    def _rate(self, model: str, at_ns: int, usage: tuple[int, ...]) -> None:
        group = self._class_of.get(model)
        if group is None:
            return
        self._group_models.setdefault(group, set()).add(model)
        minute = at_ns // NS_PER_MINUTE
        counts = self._minute.setdefault((group, minute), [0, 0])
        counts[0] += usage[0] + usage[1] + usage[2]
        counts[1] += usage[4]
        peak = self._hour_peaks.setdefault((group, at_ns // NS_PER_HOUR), [0, 0])
        peak[0], peak[1] = max(peak[0], counts[0]), max(peak[1], counts[1])

    def _rate_use(self) -> tuple[RateUse, ...]:
        world = self.simulation.world
        hour = self.simulation.clock.now_ns() // NS_PER_HOUR
        uses = []
        for group, models in sorted(self._group_models.items()):
            limits = world.limiter.limits(("org", group))
            if limits is None:
                continue
            peaks = [self._hour_peaks.get((group, h), [0, 0]) for h in range(hour - 24, hour + 1)]
            uses.append(
                RateUse(
                    RateLimitGroup(group, tuple(sorted(models)), limits.rpm, limits.itpm, limits.otpm),
                    max(p[0] for p in peaks),
                    max(p[1] for p in peaks),
                )
            )
        return tuple(uses)

    def _close_day(self, day_ns: int, end_ns: int) -> None:
        day = to_datetime(day_ns)
        records = self.simulation.world.records
        billed: dict[tuple[str | None, str], Decimal] = {}
        for _, line, amount in records.cost_lines(day_ns, end_ns):
            for scope in (ORGANIZATION, self._scope("workspace", line.workspace_id)) + (
                (self._scope("model", line.model),) if line.model else ()
            ):
                days = self.billed_daily.setdefault(scope, {})
                days[day] = days.get(day, ZERO) + amount
            kind = line.token_type or line.cost_type
            billed[(line.model, kind)] = billed.get((line.model, kind), ZERO) + amount
        estimated = self._estimated(day_ns, end_ns)
        for model, kind in sorted(set(billed) | set(estimated), key=lambda k: (k[0] or "", k[1])):
            self.reconciliation.append(
                ReconciliationLine(
                    day, model, kind, billed.get((model, kind), ZERO), estimated.get((model, kind), ZERO)
                )
            )
        while self.reconciliation and self.reconciliation[0].day < day - DAY * (RECONCILE_DAYS - 1):
            self.reconciliation.popleft()
        self._days_closed += 1
        # Minute counts older than a day are no longer needed for peaks.
        horizon = end_ns // NS_PER_MINUTE - 1500
        for key in [k for k in self._minute if k[1] < horizon]:
            del self._minute[key]

    def _estimated(self, day_ns: int, end_ns: int) -> dict[tuple[str | None, str], Decimal]:
        usage = self.simulation.world.records.usage
        totals: dict[tuple[str | None, str], Decimal] = {}
        start, end = to_datetime(day_ns), to_datetime(end_ns)
        count = 0
        for (minute, dims), row in islice(usage.items(), self._usage_seen, None):
            count += 1
            if not day_ns <= minute < end_ns:
                continue
            entry = UsageEntry(
                start, end, row[UNCACHED], row[CW_5M], row[CW_1H], row[CACHE_READ], row[OUTPUT],
                row[WEB_SLOT],
                model=dims.model, service_tier=dims.service_tier, context_window=dims.context_window,
                inference_geo=dims.inference_geo,
            )  # fmt: skip
            for kind, amount in (self._pricer.by_type(entry) or {}).items():
                model = None if kind == WEB_SEARCH else dims.model
                totals[(model, kind)] = totals.get((model, kind), ZERO) + amount
        self._usage_seen += count
        return totals

    def _limits(self) -> MonthlyLimits:
        world = self.simulation.world
        spend = world.spend
        workspaces = {
            wid: limit for wid in world.org.workspaces if (limit := spend.workspace_limit(wid)) is not None
        }
        return MonthlyLimits(
            world.tier, world.tiers.tier(world.tier).monthly_cap, spend.organization_limit, workspaces
        )

    def _balance(self) -> BalanceView:
        world = self.simulation.world
        now_ns = self.simulation.clock.now_ns()
        settings = world.reload.settings
        lots = tuple(
            CreditLot(
                lot.remaining,
                None if lot.expires_at_ns is None else to_datetime(lot.expires_at_ns),
                to_datetime(lot.granted_at_ns),
                lot.kind,
            )
            for lot in world.ledger.lots(now_ns)
        )
        reloads = tuple(
            ReloadEvent(to_datetime(a.at_ns), a.amount, a.succeeded and not a.clawed_back)
            for a in world.reload.attempts
        )
        amount = None
        if settings is not None:
            amount = settings.amount_for(settings.minimum)
        return BalanceView(
            world.ledger.balance(now_ns),
            estimated=False,
            lots=lots,
            reload_minimum=None if settings is None else settings.minimum,
            reload_amount=amount,
            reloads=reloads,
        )
