"""The daily digest: yesterday against usual, the month so far against budgets, alerts opened and closed.

Pure: built from the watch's inputs and the alerts of the last day, rendered as a renderer-neutral
`Response` (Slack and the terminal say the same). "Usual" is the median of the same weekday over the
four weeks before; yesterday is billed when the bill has it, else estimated (and labelled so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billbot.app.replies.model import Fact, Response, Table
from billbot.core.money import percent, usd
from billbot.watch.budgets import PERIOD_WORDS, Budget
from billbot.watch.inputs import WatchInputs
from billbot.watch.periods import DAY, floor_day, month_window, period_window
from billbot.watch.rules.spend import window_spend
from billbot.watch.scope import ORGANIZATION
from billbot.watch.series import ZERO, median


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    """A budget's period so far."""

    budget: Budget
    spent: Decimal

    @property
    def share(self) -> Decimal:
        """Spent over the amount."""
        return self.spent / self.budget.amount


@dataclass(frozen=True, slots=True)
class Digest:
    """What the daily digest says."""

    day: datetime
    yesterday: Decimal
    yesterday_billed: bool
    usual: Decimal | None
    month_to_date: Decimal
    budgets: tuple[BudgetStatus, ...]
    opened: tuple[str, ...]
    closed: tuple[str, ...]
    active: int
    source: str


def build_digest(
    inputs: WatchInputs, *, opened: Sequence[str], closed: Sequence[str], active: int, source: str
) -> Digest:
    """The digest at `inputs.now` (about yesterday, the UTC day before it)."""
    now = inputs.now
    day = floor_day(now) - DAY
    series = inputs.hourly.get(ORGANIZATION)
    billed = inputs.billed_daily.get(ORGANIZATION, {})
    billed_yesterday = (
        inputs.billed_through is not None and inputs.billed_through >= day + DAY and day in billed
    )

    def day_cost(start: datetime) -> Decimal | None:
        if start in billed:
            return billed[start]
        if series is None or series.index(start) < 0:
            return None
        return series.total(series.index(start), series.index(start + DAY))

    earlier = [c for weeks in range(1, 5) if (c := day_cost(day - 7 * weeks * DAY)) is not None]
    statuses = []
    for budget in inputs.budgets:
        window = period_window(budget.period, now)
        scope = budget.scope
        spend = window_spend(
            window, now, inputs.hourly.get(scope), inputs.billed_daily.get(scope), inputs.billed_through
        )
        statuses.append(BudgetStatus(budget, spend.total))
    month = window_spend(month_window(now), now, series, billed or None, inputs.billed_through)
    return Digest(
        day=day,
        yesterday=day_cost(day) or ZERO,
        yesterday_billed=billed_yesterday,
        usual=median(earlier) if earlier else None,
        month_to_date=month.total,
        budgets=tuple(statuses),
        opened=tuple(opened),
        closed=tuple(closed),
        active=active,
        source=source,
    )


def digest_response(digest: Digest) -> Response:
    """The digest as a `Response`."""
    label = "billed" if digest.yesterday_billed else "estimate"
    facts = [Fact(f"Yesterday ({digest.day:%a %d %b}, {label})", usd(digest.yesterday))]
    if digest.usual is not None:
        change = percent(digest.yesterday / digest.usual - 1, signed=True) if digest.usual else "n/a"
        facts.append(Fact("Usual for that weekday", f"{usd(digest.usual)} ({change})"))
    facts += [Fact("Month to date", usd(digest.month_to_date)), Fact("Active alerts", str(digest.active))]
    tables = []
    if digest.budgets:
        rows = tuple(
            (f"#{s.budget.id} {s.budget.scope.title} ({PERIOD_WORDS[s.budget.period]})", usd(s.spent),
             usd(s.budget.amount), percent(s.share))
            for s in digest.budgets
        )  # fmt: skip
        tables.append(Table(("Budget", "Spent", "Amount", "Used"), rows))
    notes = [f"Opened: {text}" for text in digest.opened] + [f"Closed: {text}" for text in digest.closed]
    if not digest.opened and not digest.closed:
        notes.append("No alerts opened or closed in the last day.")
    return Response(
        title=f"Daily digest · {digest.day:%a %d %b %Y}",
        source=digest.source,
        facts=tuple(facts),
        tables=tuple(tables),
        notes=tuple(notes),
    )
