"""Budgets: an amount per day, week or calendar month for the organisation, a workspace, a key or a model.

A budget has thresholds in percent (default 50, 80 and 100) and, unless turned off, a "forecast to
exceed" warning; each fires once per period (see `billbot.watch.rules.budget`). Its alerts go to its
own channel when it has one, else to the alert channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from billbot.core.money import usd
from billbot.watch.periods import BudgetPeriod
from billbot.watch.scope import Scope

DEFAULT_THRESHOLDS: tuple[int, ...] = (50, 80, 100)
MAX_THRESHOLD = 1000
PERIOD_WORDS: dict[BudgetPeriod, str] = {"day": "daily", "week": "weekly", "month": "monthly"}


class BudgetError(ValueError):
    """A budget that cannot be: the message says which value and why."""


@dataclass(frozen=True, slots=True)
class Budget:
    """One budget (`id` is None until stored)."""

    scope: Scope
    amount: Decimal
    period: BudgetPeriod = "month"
    thresholds: tuple[int, ...] = DEFAULT_THRESHOLDS
    forecast: bool = True
    channel: str | None = None
    id: int | None = None
    created_by: str = ""

    def __post_init__(self) -> None:
        if not self.amount.is_finite() or self.amount <= 0:
            raise BudgetError(f"a budget must be more than zero, got {self.amount}")
        if not self.thresholds:
            raise BudgetError("a budget needs at least one threshold")
        if any(not 1 <= t <= MAX_THRESHOLD for t in self.thresholds):
            raise BudgetError(f"thresholds are percentages from 1 to {MAX_THRESHOLD}")
        if list(self.thresholds) != sorted(set(self.thresholds)):
            raise BudgetError("thresholds must be distinct and in increasing order")

    @property
    def describe(self) -> str:
        """`$5,000.00 monthly for workspace Research (50/80/100%, forecast)`."""
        extras = "/".join(str(t) for t in self.thresholds) + "%"
        if self.forecast:
            extras += ", forecast"
        return f"{usd(self.amount)} {PERIOD_WORDS[self.period]} for {self.scope.label} ({extras})"
