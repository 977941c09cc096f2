"""The answers service: a parsed query, a data source and `now` in; a `Response` out (every interface).

It fetches what a command needs from `BillingData`, computes with the pure core and builds the
response. Which periods and groupings it asks for is decided here, so every source is read the same way.
Names of workspaces and keys are a nicety: when the source cannot list them, answers show IDs and say so.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from billbot.admin_api.errors import AdminApiError
from billbot.app.data import BalanceRecord, BillingData, BucketWidth, MonthlyLimits
from billbot.app.grammar.answers import LimitsQuery, SpendQuery, UsageQuery
from billbot.app.replies import builders
from billbot.app.replies.model import Response
from billbot.core.balance import BalanceAnswer, estimate_balance
from billbot.core.entries import CostEntry
from billbot.core.estimate import UsagePricer
from billbot.core.limits import RateLimitGroup, rate_use, spend_limit_use
from billbot.core.periods import parse_period
from billbot.core.spend import answer_spend, billed_in, breakdown, daily_amounts, last_billed_instant
from billbot.core.usage import PLAYGROUND, answer_usage
from billbot.whatif.forecast import MonthEndForecast, month_end_forecast

DAY = timedelta(days=1)
BURN_DAYS = 7
NAMES_UNAVAILABLE = "{what} names were unavailable ({why}); showing IDs."
log = logging.getLogger("billbot.answers")


@dataclass(frozen=True, slots=True)
class WorkspaceFilter:
    """Which workspace an answer keeps: all of them, or one (None is the Default workspace)."""

    everything: bool = True
    workspace_id: str | None = None

    def keeps(self, workspace_id: str | None) -> bool:
        """Whether an entry of this workspace is in the answer."""
        return self.everything or workspace_id == self.workspace_id


ALL_WORKSPACES = WorkspaceFilter()


class UnknownWorkspace(LookupError):
    """A workspace name the organisation does not have."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"no workspace named {name!r}; the workspaces are: {', '.join(['Default', *known])}")


class NoBalanceRecord(LookupError):
    """Anthropic has no balance API and no admin has anchored one yet."""


class Answers:
    """Answers to read-only commands from one data source."""

    def __init__(
        self,
        data: BillingData,
        pricer: UsagePricer,
        *,
        balance_record: Callable[[], BalanceRecord | None] = lambda: None,
        recorded_limits: Callable[[], MonthlyLimits | None] = lambda: None,
    ) -> None:
        self.data = data
        self.pricer = pricer
        self.balance_record = balance_record
        self.recorded_limits = recorded_limits
        # The month-end forecast comes from the what-if engine (one forecast, one code path); it is
        # kept for the hour it was made in, since a minute more of data hardly moves a month's end.
        self._forecast: tuple[datetime, MonthEndForecast] | None = None

    def spend(self, query: SpendQuery, now: datetime) -> Response:
        """Billed spend, unbilled estimate, change, forecast and the asked-for breakdown."""
        period = query.period
        workspace = self._workspace_filter(query.workspace)
        names, names_note = (
            self._names("Workspace", self.data.workspace_names) if query.by == "workspace" else ({}, None)
        )
        if query.by == "key":
            return self._spend_by_key(query, workspace, now)
        # One grouping serves every breakdown and the workspace filter.
        costs = self.data.costs(period.previous().start, period.end, ["workspace_id", "description"])
        costs = [c for c in costs if workspace.keeps(c.workspace_id)]
        unbilled = Decimal(0)
        through = last_billed_instant(period, now)
        if not period.complete and through < period.end:
            usage = self.data.usage(through, period.end, "1h", ["model", "service_tier", "workspace_id"])
            unbilled = self.pricer.estimate(u for u in usage if workspace.keeps(u.workspace_id)).amount
        # The forecast runs on the recent days of what the answer keeps (one workspace, or all).
        recent = self._recent_days(now, workspace)
        answer = answer_spend(
            period,
            costs,
            now=now,
            unbilled_estimate=unbilled,
            burn_per_day=sum(recent, Decimal(0)) / BURN_DAYS,
            burn_range=(min(recent), max(recent)),
            by=query.by,  # type: ignore[arg-type]
            names=names,
        )
        # The engine forecasts the whole organisation; one workspace keeps its own recent days' forecast.
        organisation = query.workspace is None
        forecast = self.month_end_forecast(now) if answer.forecast is not None and organisation else None
        response = _with_note(builders.spend_response(answer, self.data.label, forecast=forecast), names_note)
        return _with_note(response, self.data.cost_basis)  # which amounts: analytics or legacy report

    def month_end_forecast(self, now: datetime) -> MonthEndForecast:
        """This month's total at its end, P50 with its band, on the fast engine (kept for the hour)."""
        hour = now.replace(minute=0, second=0, microsecond=0)
        kept = self._forecast
        if kept is None or kept[0] != hour:
            made = month_end_forecast(
                self.data, now, balance_record=self.balance_record(), names=self.names_or_ids()
            )
            self._forecast = kept = (hour, made)
        return kept[1]

    def usage(self, query: UsageQuery, now: datetime) -> Response:
        """Tokens by type, cache hit ratio, top keys and models."""
        period = query.period
        width: BucketWidth = "1d" if period.days > 2 else "1h"
        by_key = self.data.usage(period.start, period.end, width, ["api_key_id"])
        by_model = self.data.usage(period.start, period.end, width, ["model"])
        names, note = self._names("API key", self.data.key_names)
        answer = answer_usage(period, by_key, by_model, key_names=names)
        return _with_note(builders.usage_response(answer, self.data.label), note)

    def balance(self, now: datetime) -> Response:
        """The sandbox's exact balance, or the estimate from what admins recorded."""
        answer = self.balance_estimate(now)
        if answer is None:
            raise NoBalanceRecord(
                "no balance recorded yet: an admin can set one with /claude-balance set AMOUNT"
            )
        simulated = self.data.simulated_balance() is not None
        return builders.balance_response(answer, self.data.label, simulated=simulated)

    def balance_estimate(self, now: datetime) -> BalanceAnswer | None:
        """The balance with its runway: exact for a sandbox, estimated from the record, None without one."""
        burn = self._burn(now)
        simulated = self.data.simulated_balance()
        if simulated is not None:
            return estimate_balance(
                anchor=simulated.balance, anchored_at=now, purchases=simulated.purchases,
                billed_since=Decimal(0), unbilled_estimate=Decimal(0), burn_per_day=burn, now=now,
                reload_threshold=simulated.reload_threshold,
            )  # fmt: skip
        record = self.balance_record()
        if record is None:
            return None
        start = record.anchored_at
        through = max(start, now.replace(hour=0, minute=0, second=0, microsecond=0))
        billed = billed_in(self.data.costs(start, through, []), start, through)
        unbilled = self.pricer.estimate(self.data.usage(through, now, "1h", ["model", "service_tier"]))
        return estimate_balance(
            anchor=record.anchor, anchored_at=start, purchases=record.purchases, billed_since=billed,
            unbilled_estimate=unbilled.amount, burn_per_day=burn, now=now,
            reload_threshold=record.reload_threshold,
        )  # fmt: skip

    def limits(self, query: LimitsQuery, now: datetime) -> Response:
        """Monthly limits with projected dates; rate-limit peaks of the last 24 hours."""
        groups = self._groups(query.model)
        minutes = self.data.usage(now - DAY, now, "1m", ["model"])
        limits = self.data.monthly_limits() or self.recorded_limits()
        month = parse_period("mtd", now)
        burn = self._burn(now)
        spend_uses = []
        if limits is not None:
            org_costs = self.data.costs(month.start, now, ["workspace_id"])
            mtd = sum((c.amount for c in org_costs), Decimal(0))
            if limits.tier_cap is not None:
                spend_uses.append(
                    spend_limit_use(f"Tier cap ({limits.tier})", limits.tier_cap, mtd, burn, now)
                )
            if limits.organization is not None:
                spend_uses.append(spend_limit_use("Organisation limit", limits.organization, mtd, burn, now))
            names, _ = (
                self._names("Workspace", self.data.workspace_names) if limits.workspaces else ({}, None)
            )
            for workspace_id, limit in limits.workspaces.items():
                spent = sum((c.amount for c in org_costs if c.workspace_id == workspace_id), Decimal(0))
                name = f"Workspace {names.get(workspace_id, workspace_id)}"
                spend_uses.append(spend_limit_use(name, limit, spent, burn, now))
        tier = limits.tier if limits is not None else "unknown"
        return builders.limits_response(tier, rate_use(groups, minutes), tuple(spend_uses), self.data.label)

    def _burn(self, now: datetime) -> Decimal:
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        start = today - BURN_DAYS * DAY
        return billed_in(self.data.costs(start, today, []), start, today) / BURN_DAYS

    def _recent_days(self, now: datetime, workspace: WorkspaceFilter) -> tuple[Decimal, ...]:
        """Billed per day over the last `BURN_DAYS` whole days, of the workspace(s) an answer keeps."""
        start = now.replace(hour=0, minute=0, second=0, microsecond=0) - BURN_DAYS * DAY
        group = [] if workspace.everything else ["workspace_id"]
        costs = [
            c
            for c in self.data.costs(start, start + BURN_DAYS * DAY, group)
            if workspace.keeps(c.workspace_id)
        ]
        return daily_amounts(costs, start, BURN_DAYS)

    def _groups(self, model: str | None) -> list[RateLimitGroup]:
        groups = self.data.rate_limit_groups()
        return [g for g in groups if model in g.models] if model else groups

    def names_or_ids(self) -> tuple[dict[str, str], dict[str, str]]:
        """Workspace and key names, each empty (answers show IDs) where the source cannot list them."""
        return self._names("Workspace", self.data.workspace_names)[0], self._names(
            "API key", self.data.key_names
        )[0]

    def _names(self, what: str, fetch: Callable[[], dict[str, str]]) -> tuple[dict[str, str], str | None]:
        """Id → name from the source, or no names and a note saying why (the answer goes on with IDs)."""
        try:
            return fetch(), None
        except AdminApiError as exc:
            log.warning("%s names unavailable: %s", what, type(exc).__name__)
            return {}, NAMES_UNAVAILABLE.format(what=what, why=exc.summary.lower())

    def _spend_by_key(self, query: SpendQuery, workspace: WorkspaceFilter, now: datetime) -> Response:
        # The cost report cannot group by key: price each key's usage from the price list instead.
        period = query.period
        width: BucketWidth = "1d" if period.days > 2 else "1h"
        rows = self.data.usage(
            period.start, period.end, width, ["api_key_id", "model", "service_tier", "workspace_id"]
        )
        names, note = self._names("API key", self.data.key_names)
        entries = [
            CostEntry(
                period.start,
                self.pricer.estimate([row]).amount,
                description=names.get(row.api_key_id or "", row.api_key_id or PLAYGROUND),
            )
            for row in rows
            if workspace.keeps(row.workspace_id)
        ]
        total = sum((entry.amount for entry in entries), Decimal(0))
        response = builders.estimated_spend_response(
            period, total, breakdown(entries, "description", {}), self.data.label
        )
        return _with_note(response, note)

    def _workspace_filter(self, name: str | None) -> WorkspaceFilter:
        """The workspace an answer keeps: all, the Default one, or the one named (by name or id)."""
        if name is None:
            return ALL_WORKSPACES
        if name.lower() in ("default", "default workspace"):
            return WorkspaceFilter(everything=False)
        if name.startswith("wrkspc_"):
            return WorkspaceFilter(everything=False, workspace_id=name)
        names = self.data.workspace_names()
        for workspace_id, workspace_name in names.items():
            if workspace_name.lower() == name.lower() or workspace_id == name:
                return WorkspaceFilter(everything=False, workspace_id=workspace_id)
        raise UnknownWorkspace(name, sorted(names.values()))


def _with_note(response: Response, note: str | None) -> Response:
    """The response with one more note (e.g. that names were unavailable)."""
    return response if note is None else dataclasses.replace(response, notes=(*response.notes, note))
