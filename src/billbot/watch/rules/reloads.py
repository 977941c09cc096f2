"""Runaway reloads: more auto-reloads in a window than the spend in it explains.

Rules: a reload lifts the balance by one reload's amount above the minimum, so over the last 6 hours
a spend of S explains one reload (the crossing that may open the window) plus one more per whole
reload amount spent: 1 + floor(S / amount). A successful reload beyond that is a runaway (a loop
buying credit again and again, as in the public report of 29 reloads in an afternoon). Declined
reloads and clawed-back ones do not count. The amount is what the unexplained reloads bought.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from billbot.core.money import usd
from billbot.watch.findings import Finding
from billbot.watch.inputs import BalanceView
from billbot.watch.rules.episodes import episode_key
from billbot.watch.scope import ORGANIZATION

RULE = "runaway_reload"
WINDOW = timedelta(hours=6)
MIN_UNEXPLAINED = 1


def runaway_finding(
    view: BalanceView, spend_in_window: Decimal, now: datetime, active: Mapping[tuple[str, str], str]
) -> Finding | None:
    """A finding when the window's reloads outnumber what its spend explains by two or more."""
    recent = [r for r in view.reloads if r.succeeded and now - WINDOW <= r.at <= now]
    if len(recent) < MIN_UNEXPLAINED + 1:
        return None
    size = view.reload_amount or max(r.amount for r in recent)
    whole = int((spend_in_window / size).to_integral_value(ROUND_FLOOR)) if size > 0 else len(recent)
    explained = 1 + whole
    unexplained = len(recent) - explained
    if unexplained < MIN_UNEXPLAINED:
        return None
    bought = sum((r.amount for r in recent), Decimal(0))
    extra = sum((r.amount for r in recent[explained:]), Decimal(0))
    first = recent[0].at
    return Finding(
        rule=RULE,
        scope=ORGANIZATION,
        severity="critical",
        period_key=episode_key(active, RULE, ORGANIZATION, first),
        amount_usd=extra,
        message=(
            f"Auto-reload bought {len(recent)} times ({usd(bought)}) since {first:%H:%M} UTC while usage "
            f"cost about {usd(spend_in_window)}: {unexplained} reloads are not explained by spend"
        ),
        figures=(
            ("Reloads in 6 hours", str(len(recent))),
            ("Bought", usd(bought)),
            ("Spend (estimate)", usd(spend_in_window)),
            ("Unexplained", usd(extra)),
        ),
        evidence=tuple(f"{r.at:%Y-%m-%d %H:%M} UTC reload {usd(r.amount)}" for r in recent[-10:]),
        basis="estimate",
        data={"reloads": str(len(recent)), "bought_usd": str(bought), "spend_usd": str(spend_in_window)},
    )
