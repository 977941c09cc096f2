"""Monthly limits: the tier's cap and the self-set spend limits (organisation, workspaces), before they bite.

Rules:
- Month-to-date spend (billed days + the estimate since) against each limit. Every limit resets at
  00:00 UTC on the 1st, so a projection only matters within the month.
- Levels: "projected" (the seasonal profile of recent weeks reaches the limit before the month ends:
  the date and hour are named, "Research reaches its $8,000 limit on Thu 11 Dec around 14:00 UTC"),
  "80%" used, "reached" (requests are refused from then on: 400 for a spend limit, 429 for the cap).
- Rules `tier_cap` (the organisation) and `spend_limit` (the organisation's or a workspace's).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from billbot.core.money import percent, usd
from billbot.watch.findings import Finding
from billbot.watch.periods import Window
from billbot.watch.rules.spend import Spend
from billbot.watch.scope import Scope

LimitRule = Literal["tier_cap", "spend_limit"]
WARN_SHARE = Decimal("0.8")


def limit_finding(
    rule: LimitRule,
    scope: Scope,
    limit: Decimal,
    month: Window,
    spend: Spend,
    now: datetime,
    forecast: tuple[Decimal, datetime | None] | None,
) -> Finding | None:
    """The finding for one monthly limit, or None while it is far and not projected to be reached."""
    spent = spend.total
    reach_at = forecast[1] if forecast is not None else None
    if spent >= limit:
        level, rank, severity = "reached", 30, "critical"
    elif spent >= limit * WARN_SHARE:
        level, rank, severity = "80%", 20, "warning"
    elif reach_at is not None and reach_at < month.end:
        level, rank, severity = "projected", 10, "warning"
    else:
        return None
    what = "monthly cap" if rule == "tier_cap" else "spend limit"
    who = scope.title
    if level == "reached":
        refusal = "429 (the tier cap)" if rule == "tier_cap" else "400 (spend limit)"
        message = (
            f"{who} has reached its {usd(limit)} {what}: requests are refused with {refusal} until the 1st"
        )
    elif reach_at is not None and reach_at < month.end:
        message = f"{who} reaches its {usd(limit)} {what} on {reach_at:%a %d %b} around {reach_at:%H}:00 UTC"
    else:
        message = f"{who} has used {percent(spent / limit)} of its {usd(limit)} {what}"
    figures = [("Limit", usd(limit)), ("Month to date", usd(spent)), ("Used", percent(spent / limit))]
    if reach_at is not None and level != "reached":
        figures.append(("Reached at (projected)", f"{reach_at:%a %d %b %H:00} UTC"))
    evidence = [f"Month {month.key}; the limit resets {month.end:%a %d %b} 00:00 UTC"]
    if spend.billed_through is not None:
        evidence.append(f"Billed through {spend.billed_through:%Y-%m-%d}; the hours since are estimated")
    return Finding(
        rule=rule,
        scope=scope,
        severity="critical" if severity == "critical" else "warning",
        period_key=month.key,
        amount_usd=spent,
        message=message,
        figures=tuple(figures),
        evidence=tuple(evidence),
        level=level,
        rank=rank,
        period_end=month.end,
        basis="billed" if spend.billed is not None and spend.unbilled_estimate == 0 else "estimate",
        data={
            "limit_usd": str(limit),
            "month_to_date_usd": str(spent),
            "reaches_at": "" if reach_at is None else reach_at.isoformat(),
        },
    )
