"""Budget thresholds: once per level per period, on the bill and — sooner — on the estimate.

Rules:
- A level (50%, 80%, 100% by default) is reached when spend so far (billed days + the estimate of the
  hours after them) reaches that share of the amount. The finding says whether the bill alone
  reaches it (`basis = "billed"`) or only the estimate does (`"estimate"`, labelled in the message).
- "Forecast to exceed": when no 100% level is reached yet but spend so far plus the expected cost of
  the rest of the period (the seasonal profile) reaches 110% of the amount, once a quarter of the
  period has passed, with the date and hour the amount will be reached.
- One finding per budget and period, at the highest level reached; levels are ranked so the alert
  fires once per level (rank = percent × 10; the forecast ranks just below 100%).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from billbot.core.money import percent, usd
from billbot.watch.budgets import PERIOD_WORDS, Budget
from billbot.watch.findings import Basis, Finding, Severity
from billbot.watch.periods import Window
from billbot.watch.rules.spend import Spend

RULE = "budget"
FORECAST_RANK = 995
FORECAST_MARGIN = Decimal("1.1")  # the forecast must overshoot by 10%: a near miss is noise
FORECAST_AFTER = 0.25  # and a quarter of the period must have passed (a day's first hours say little)


def budget_finding(
    budget: Budget,
    window: Window,
    spend: Spend,
    now: datetime,
    forecast: tuple[Decimal, datetime | None] | None,
) -> Finding | None:
    """The finding for `budget` in `window`, or None when no level is reached (see the module rules)."""
    total = spend.total
    reached = [t for t in budget.thresholds if total >= budget.amount * t / 100]
    projected, reach_at = forecast if forecast is not None else (None, None)
    forecasting = (
        budget.forecast
        and projected is not None
        and reach_at is not None
        and total < budget.amount
        and total + projected >= budget.amount * FORECAST_MARGIN
        and window.fraction_elapsed(now) >= FORECAST_AFTER
    )
    if not reached and not forecasting:
        return None
    top = reached[-1] if reached else None
    if forecasting and (top is None or top < 100):
        level, rank, severity = "forecast", FORECAST_RANK, "warning"
    else:
        assert top is not None
        level, rank = f"{top}%", top * 10
        severity = "critical" if top >= 100 else ("warning" if top >= 80 else "info")
    on_bill = level != "forecast" and top is not None and spend.reached_on_bill(budget.amount * top / 100)
    basis: Basis = "billed" if on_bill else "estimate"
    message = _message(budget, window, total, level, basis, reach_at, projected)
    return Finding(
        rule=RULE,
        scope=budget.scope,
        severity=_severity(severity),
        period_key=f"{window.key}/budget-{budget.id}",
        amount_usd=total,
        message=message,
        figures=_figures(budget, spend, projected),
        evidence=_evidence(budget, window, spend, reached),
        level=level,
        rank=rank,
        period_end=window.end,
        basis=basis,
        data={
            "budget_id": str(budget.id),
            "budget_usd": str(budget.amount),
            "spent_usd": str(total),
            "billed_usd": "" if spend.billed is None else str(spend.billed),
            "levels": ",".join([f"{t}%" for t in reached] + (["forecast"] if forecasting else [])),
            "reaches_at": "" if reach_at is None else reach_at.isoformat(),
        },
    )


def _severity(value: str) -> Severity:
    return "critical" if value == "critical" else ("warning" if value == "warning" else "info")


def _message(
    budget: Budget,
    window: Window,
    total: Decimal,
    level: str,
    basis: str,
    reach_at: datetime | None,
    projected: Decimal | None,
) -> str:
    who = budget.scope.title
    period = PERIOD_WORDS[budget.period]
    share = percent(total / budget.amount)
    estimate = " (estimate: usage × price list)" if basis == "estimate" else ""
    if level == "forecast" and reach_at is not None:
        return (
            f"{who} is on course to exceed its {usd(budget.amount)} {period} budget: "
            f"{usd(total)} spent ({share}), reaching it {reach_at:%a %d %b} around {reach_at:%H}:00 UTC"
        )
    return f"{who} has spent {usd(total)} of its {usd(budget.amount)} {period} budget ({share}){estimate}"


def _figures(budget: Budget, spend: Spend, projected: Decimal | None) -> tuple[tuple[str, str], ...]:
    figures = [("Budget", usd(budget.amount)), ("Spent", usd(spend.total))]
    if spend.billed is not None:
        figures.append(("Billed", usd(spend.billed)))
    figures.append(("Unbilled (estimate)", usd(spend.unbilled_estimate)))
    if projected is not None:
        figures.append(("Period forecast", usd(spend.total + projected)))
    return tuple(figures)


def _evidence(budget: Budget, window: Window, spend: Spend, reached: list[int]) -> tuple[str, ...]:
    lines = [
        f"Budget #{budget.id}: {budget.describe}",
        f"Period {window.key}: {window.start:%d %b} to {window.end:%d %b}",
    ]
    if spend.billed_through is not None:
        lines.append(
            f"Billed through {spend.billed_through:%Y-%m-%d %H:%M} UTC; hours after it are estimated"
        )
    if reached:
        lines.append("Levels reached: " + ", ".join(f"{t}%" for t in reached))
    return tuple(lines)
