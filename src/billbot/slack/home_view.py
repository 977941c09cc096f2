"""The App Home dashboard, built from the same `Response`s the commands give (pure, ≤100 blocks).

Balance and runway, month-to-date spend and forecast, the nearest monthly limit, and what needs
attention (expiring credits, limits reached or due this month, parts that could not be loaded).
A part that failed is a sentence in its place, so one broken source never blanks the tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from billbot.app.replies.model import Response, Table
from billbot.slack.blocks import Block

MAX_HOME_BLOCKS = 100
MAX_ATTENTION = 20
BALANCE_FACTS = ("Balance", "Burn", "Runway", "Next auto-reload")
SPEND_FACTS = ("Billed", "Not yet billed", "vs ", "Month-end forecast")

Part = Response | str  # an answer, or the sentence shown instead of it


def home_view(
    balance: Part,
    spend: Part,
    limits: Part,
    *,
    updated: datetime,
    tickets: Sequence[str] = (),
    alerts: Sequence[Block] = (),
) -> dict[str, Any]:
    """The `views.publish` view for the Home tab; `tickets`: ticket deadlines that need attention;
    `alerts`: the active alerts' blocks (`billbot.slack.home_alerts`), shown after them."""
    sources = sorted({p.source for p in (balance, spend, limits) if isinstance(p, Response)})
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Claude API billing"}},
        _context(f"updated {updated:%Y-%m-%d %H:%M} UTC · source: {', '.join(sources) or 'unavailable'}"),
        _section("*Balance and runway*", balance, BALANCE_FACTS),
        _section("*Month to date*", spend, SPEND_FACTS),
        {"type": "section", "text": _mrkdwn(f"*Nearest limit*\n{_nearest_limit(limits)}")},
        {"type": "divider"},
    ]
    attention = [*tickets, *_attention(balance, spend, limits)][:MAX_ATTENTION]
    text = "\n".join(f"• {item}" for item in attention) if attention else "Nothing needs attention."
    blocks.append({"type": "section", "text": _mrkdwn(f"*Needs attention*\n{text}"[:3000])})
    if alerts:
        blocks += [{"type": "divider"}, *alerts]
    blocks.append(
        _context(
            "Ask for more with /claude-spend, /claude-usage, /claude-balance, /claude-limits; "
            "file a claim with /claude-dispute or /claude-refund."
        )
    )
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def _section(title: str, part: Part, wanted: tuple[str, ...]) -> Block:
    if isinstance(part, str):
        return {"type": "section", "text": _mrkdwn(f"{title}\n{part}")}
    facts = [f for f in part.facts if f.label.startswith(wanted)][:10]
    if not facts:
        return {"type": "section", "text": _mrkdwn(f"{title}\nNo figures yet.")}
    fields = [_mrkdwn(f"*{f.label}*\n{f.value}"[:2000]) for f in facts]
    return {"type": "section", "text": _mrkdwn(title), "fields": fields}


def _monthly(limits: Part) -> Table | None:
    if isinstance(limits, str):
        return None
    return next((t for t in limits.tables if t.header and t.header[0] == "Monthly limit"), None)


def _nearest_limit(limits: Part) -> str:
    if isinstance(limits, str):
        return limits
    table = _monthly(limits)
    if table is None or not table.rows:
        return "No monthly limit known."
    name, limit, month_to_date, reached = min(table.rows, key=_urgency)[:4]
    when = "reached" if reached == "reached" else f"reached on {reached}"
    if reached == "not this month":
        when = "not reached this month at the current pace"
    return f"{name}: {limit}, month to date {month_to_date}; {when}"


def _urgency(row: tuple[str, ...]) -> tuple[int, str]:
    reached = row[3]
    if reached == "reached":
        return (0, "")
    return (2, "") if reached == "not this month" else (1, reached)


def _attention(*parts: Part) -> list[str]:
    items: list[str] = []
    for part in parts:
        if isinstance(part, str):
            continue
        items += [f":warning: {w}" for w in part.warnings]
        table = _monthly(part)
        for row in table.rows if table else ():
            if row[3] == "reached":
                items.append(f":no_entry: {row[0]} reached: {row[2]} of {row[1]}")
            elif row[3] != "not this month":
                items.append(f":hourglass: {row[0]} ({row[1]}) will be reached on {row[3]} at this pace")
    items += [f":grey_question: {p}" for p in parts if isinstance(p, str)]
    return items[:MAX_ATTENTION]


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text[:3000]}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(text[:2000])]}
