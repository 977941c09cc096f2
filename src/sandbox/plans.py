"""Consumer plan usage limits (Claude Pro, Max 5x, Max 20x) and pay-as-you-go extra usage.

Usage is counted in cost-equivalent dollars at API prices (the caller prices each message). Each
plan has a 5-hour session budget and a weekly budget; Max also a Sonnet-only weekly budget. Budgets
are documented assumptions in `sandbox/data/plans.toml` (with the Help Center articles they rest on).

Rules:
- Session: starts with the first message served from the plan and covers [start, start + 5 h);
  at start + 5 h - 1 ns the session still counts, at start + 5 h it has ended and the next message
  starts a new one with a zero counter.
- Weekly, "rolling": the window is [first plan use, + 7 days) and the next use after it ends starts
  a new window. "fixed_slot": windows start at a fixed weekday and time of day (UTC) assigned to
  the account, whenever use begins; a slot instant itself belongs to the new window.
- The Sonnet weekly budget shares the weekly window and counts only `model_family == "sonnet"`.
- A message is served from the plan when every budget that applies is still strictly below its
  limit before the message; the message that crosses a limit is served in full (charge-after).
- Otherwise, with extra usage enabled, it is paid in full from the prepaid balance if the balance
  covers its cost and the month's extra spend plus the cost stays within the monthly cap (None:
  unlimited); the month is the UTC calendar month. Extra-usage messages do not add to plan counters.
- A refusal names the instant access returns: the latest reset among the exhausted plan windows
  (or the month's end if that is earlier and only the extra-usage cap blocked).
- Adding funds: at most $2,000 per UTC day in total; an amount that would pass it is refused whole.
- Utilization is used / budget as a Decimal and may exceed 1 after a crossing message.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from sandbox.clock import NS_PER_DAY, NS_PER_HOUR
from sandbox.money import ZERO, usd
from sandbox.spend import month_bounds

Source = Literal["plan", "extra_usage"]
WEEKLY_RESETS: tuple[str, ...] = ("rolling", "fixed_slot")
# 1970-01-01, day zero of sandbox time, was a Thursday (Monday = 0).
_EPOCH_WEEKDAY = 3


class PlanDataError(ValueError):
    """The plans data file is malformed."""


class UnknownPlanError(KeyError):
    """No plan has this name."""

    def __init__(self, name: str, choices: tuple[str, ...]) -> None:
        super().__init__(name)
        self.name = name
        self.choices = choices

    def __str__(self) -> str:
        return f"unknown plan {self.name!r}; one of: {', '.join(self.choices)}"


class InvalidPlanSettingError(ValueError):
    """A plan account setting (weekly reset mode, slot, amount) was out of range."""

    def __init__(self, setting: str, value: object, expected: str) -> None:
        super().__init__(f"{setting} must be {expected}, got {value!r}")
        self.setting = setting
        self.value = value


class DailyRedemptionLimitError(ValueError):
    """Adding these funds would pass the daily redemption limit."""

    def __init__(self, amount: Decimal, remaining: Decimal, limit: Decimal) -> None:
        super().__init__(
            f"adding {amount} would pass the daily redemption limit of {limit}; {remaining} left today"
        )
        self.amount = amount
        self.remaining = remaining
        self.limit = limit


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _PlanSchema(_Strict):
    display_name: str
    assumed: bool
    session_budget: str
    weekly_budget: str
    sonnet_weekly_budget: str | None = None


class _FileSchema(_Strict):
    session_hours: int
    week_days: int
    daily_redemption_limit: str
    plans: dict[str, _PlanSchema]


@dataclass(frozen=True, slots=True)
class Plan:
    """A consumer plan's budgets in cost-equivalent dollars and its window lengths."""

    name: str
    display_name: str
    session_budget: Decimal
    weekly_budget: Decimal
    sonnet_weekly_budget: Decimal | None
    session_ns: int
    week_ns: int
    daily_redemption_limit: Decimal


@dataclass(frozen=True, slots=True)
class PlanDecision:
    """The outcome of one message: served (from the plan or extra usage) or refused, with why."""

    allowed: bool
    source: Source | None
    reason: str | None
    resets_at_ns: int | None


@dataclass(frozen=True, slots=True)
class WindowUsage:
    """One limit's used fraction and when its window resets (None: no window running)."""

    utilization: Decimal
    resets_at_ns: int | None


@dataclass(frozen=True, slots=True)
class Utilization:
    """Like claude.ai's usage endpoint: five_hour, seven_day (and seven_day_sonnet on Max)."""

    five_hour: WindowUsage
    seven_day: WindowUsage
    seven_day_sonnet: WindowUsage | None


def plan(name: str) -> Plan:
    """The packaged plan of this name ("pro", "max_5x", "max_20x")."""
    plans = _load()
    found = plans.get(name)
    if found is None:
        raise UnknownPlanError(name, tuple(plans))
    return found


class PlanAccount:
    """One consumer account's usage against its plan, with optional prepaid extra usage."""

    def __init__(
        self,
        plan: Plan,
        *,
        weekly_reset: str = "rolling",
        slot_weekday: int = 0,
        slot_time_ns: int = 0,
    ) -> None:
        if weekly_reset not in WEEKLY_RESETS:
            raise InvalidPlanSettingError("weekly_reset", weekly_reset, f"one of {', '.join(WEEKLY_RESETS)}")
        if not 0 <= slot_weekday <= 6:
            raise InvalidPlanSettingError("slot_weekday", slot_weekday, "0 (Monday) to 6 (Sunday)")
        if not 0 <= slot_time_ns < NS_PER_DAY:
            raise InvalidPlanSettingError("slot_time_ns", slot_time_ns, "within one day")
        self.plan = plan
        self.weekly_reset = weekly_reset
        self._slot_offset_ns = ((slot_weekday - _EPOCH_WEEKDAY) % 7) * NS_PER_DAY + slot_time_ns
        self._session_start: int | None = None
        self._session_used = ZERO
        self._week_start: int | None = None
        self._week_used = ZERO
        self._sonnet_used = ZERO
        self.extra_usage_enabled = False
        self.extra_monthly_cap: Decimal | None = None
        self.balance = ZERO
        self._extra_month = 0
        self._extra_spent = ZERO
        self._day = 0
        self._day_added = ZERO

    def enable_extra_usage(self, monthly_cap: Decimal | None) -> None:
        """Turn extra usage on with a monthly spending cap (None: unlimited)."""
        if monthly_cap is not None and monthly_cap < ZERO:
            raise InvalidPlanSettingError("extra usage monthly cap", monthly_cap, ">= 0 or None")
        self.extra_usage_enabled = True
        self.extra_monthly_cap = monthly_cap

    def disable_extra_usage(self) -> None:
        """Turn extra usage off; the balance stays."""
        self.extra_usage_enabled = False

    def add_funds(self, amount: Decimal, now_ns: int) -> None:
        """Prepay extra usage, within the daily redemption limit (UTC day)."""
        if amount <= ZERO:
            raise InvalidPlanSettingError("funds", amount, "> 0")
        day = now_ns // NS_PER_DAY
        added_today = self._day_added if day == self._day else ZERO
        limit = self.plan.daily_redemption_limit
        if added_today + amount > limit:
            raise DailyRedemptionLimitError(amount, limit - added_today, limit)
        self._day, self._day_added = day, added_today + amount
        self.balance += amount

    def extra_spent_this_month(self, now_ns: int) -> Decimal:
        """Extra usage paid in the UTC calendar month of `now_ns`."""
        return self._extra_spent if month_bounds(now_ns)[0] == self._extra_month else ZERO

    def use(self, cost: Decimal, now_ns: int, model_family: str) -> PlanDecision:
        """Serve or refuse one message costing `cost` (see Rules for the order of budgets)."""
        if cost < ZERO:
            raise InvalidPlanSettingError("cost", cost, ">= 0")
        self._expire_windows(now_ns)
        exhausted = self._exhausted_resets(model_family)
        if not exhausted:
            self._charge_plan(cost, now_ns, model_family)
            return PlanDecision(True, "plan", None, None)
        reason, plan_reset = max(exhausted, key=lambda item: item[1])
        if not self.extra_usage_enabled:
            return PlanDecision(False, None, reason, plan_reset)
        if cost > self.balance:
            return PlanDecision(False, None, "extra_usage_balance", plan_reset)
        month_start, month_end = month_bounds(now_ns)
        spent = self.extra_spent_this_month(now_ns)
        if self.extra_monthly_cap is not None and spent + cost > self.extra_monthly_cap:
            return PlanDecision(False, None, "extra_usage_cap", min(plan_reset, month_end))
        self.balance -= cost
        self._extra_month, self._extra_spent = month_start, spent + cost
        return PlanDecision(True, "extra_usage", None, None)

    def utilization(self, now_ns: int) -> Utilization:
        """Used fractions of the session and weekly budgets at `now_ns`, with their resets."""
        self._expire_windows(now_ns)
        plan = self.plan
        session_end = None if self._session_start is None else self._session_start + plan.session_ns
        week_end = self._week_end()
        sonnet = None
        if plan.sonnet_weekly_budget is not None:
            sonnet = WindowUsage(self._sonnet_used / plan.sonnet_weekly_budget, week_end)
        return Utilization(
            WindowUsage(self._session_used / plan.session_budget, session_end),
            WindowUsage(self._week_used / plan.weekly_budget, week_end),
            sonnet,
        )

    def _expire_windows(self, now_ns: int) -> None:
        if self._session_start is not None and now_ns >= self._session_start + self.plan.session_ns:
            self._session_start, self._session_used = None, ZERO
        if self.weekly_reset == "fixed_slot":
            slot_start = now_ns - (now_ns - self._slot_offset_ns) % self.plan.week_ns
            if self._week_start != slot_start:
                self._week_start, self._week_used, self._sonnet_used = slot_start, ZERO, ZERO
        elif self._week_start is not None and now_ns >= self._week_start + self.plan.week_ns:
            self._week_start, self._week_used, self._sonnet_used = None, ZERO, ZERO

    def _week_end(self) -> int | None:
        return None if self._week_start is None else self._week_start + self.plan.week_ns

    def _exhausted_resets(self, model_family: str) -> list[tuple[str, int]]:
        plan = self.plan
        found: list[tuple[str, int]] = []
        if self._session_start is not None and self._session_used >= plan.session_budget:
            found.append(("session_limit", self._session_start + plan.session_ns))
        week_end = self._week_end()
        if week_end is not None:
            if self._week_used >= plan.weekly_budget:
                found.append(("weekly_limit", week_end))
            sonnet_budget = plan.sonnet_weekly_budget
            if model_family == "sonnet" and sonnet_budget is not None and self._sonnet_used >= sonnet_budget:
                found.append(("sonnet_weekly_limit", week_end))
        return found

    def _charge_plan(self, cost: Decimal, now_ns: int, model_family: str) -> None:
        if self._session_start is None:
            self._session_start = now_ns
        if self._week_start is None:
            self._week_start = now_ns
        self._session_used += cost
        self._week_used += cost
        if model_family == "sonnet":
            self._sonnet_used += cost


@cache
def _load() -> dict[str, Plan]:
    text = resources.files("sandbox.data").joinpath("plans.toml").read_text(encoding="utf-8")
    try:
        schema = _FileSchema.model_validate(tomllib.loads(text))
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        raise PlanDataError(f"plans.toml: {location}: {first['msg']} (got {first.get('input')!r})") from exc
    redemption = usd(schema.daily_redemption_limit)
    return {name: _build_plan(name, entry, schema, redemption) for name, entry in schema.plans.items()}


def _build_plan(name: str, entry: _PlanSchema, schema: _FileSchema, redemption: Decimal) -> Plan:
    sonnet = entry.sonnet_weekly_budget
    return Plan(
        name=name,
        display_name=entry.display_name,
        session_budget=_budget(entry.session_budget, name),
        weekly_budget=_budget(entry.weekly_budget, name),
        sonnet_weekly_budget=None if sonnet is None else _budget(sonnet, name),
        session_ns=schema.session_hours * NS_PER_HOUR,
        week_ns=schema.week_days * NS_PER_DAY,
        daily_redemption_limit=redemption,
    )


def _budget(text: str, plan_name: str) -> Decimal:
    amount = usd(text)
    if amount <= ZERO:
        raise PlanDataError(f"plans.toml: plans.{plan_name}: budgets must be > 0, got {text!r}")
    return amount
