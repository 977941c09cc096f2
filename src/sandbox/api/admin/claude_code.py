"""`GET /v1/organizations/usage_report/claude_code`: per-user, per-day Claude Code metrics.

Simulated: the organisation's developers and admins use Claude Code on weekdays, deterministically for
(organisation, user, day), so the same sandbox always answers the same. Rules (Anthropic's Claude Code
analytics docs): `starting_at` is one UTC day (`YYYY-MM-DD`); only data older than one hour is returned (a
day still in progress, or ended less than an hour ago, is empty); `limit` 1-1000 (default 20) records per
page; `estimated_cost.amount` is whole cents from the price list.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sandbox.api.admin.report_window import page_cursor, page_position
from sandbox.api.errors import invalid_request
from sandbox.api.params import Params, integer, reject_unknown, single
from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, rfc3339, to_ns
from sandbox.org import User
from sandbox.tokens import TokenUsage
from sandbox.world import World

CODERS = ("developer", "admin", "claude_code_user")
MODELS = ("claude-sonnet-5", "claude-opus-5")
TERMINALS = ("vscode", "iTerm.app", "cursor", "tmux")


def claude_code_report(world: World, params: Params, now_ns: int) -> dict[str, Any]:
    """One page of a day's Claude Code records."""
    reject_unknown(params, {"starting_at", "limit", "page"})
    day = _day(single(params, "starting_at"))
    limit = integer(params, "limit", default=20, low=1, high=1000)
    start_ns = to_ns(datetime.combine(day, time(), tzinfo=UTC))
    ready = start_ns + NS_PER_DAY + NS_PER_HOUR <= now_ns
    users = [u for u in world.org.users.values() if u.role in CODERS] if ready and day.weekday() < 5 else []
    records = [_record(world, user, day, start_ns) for user in users]
    page = single(params, "page")
    offset = 0 if page is None else page_position(page, params, 0, max(len(records), 1))
    chosen = records[offset : offset + limit]
    more = offset + limit < len(records)
    return {
        "data": chosen,
        "has_more": more,
        "next_page": page_cursor(offset + limit, params) if more else None,
    }


def _day(text: str | None) -> date:
    if text is None:
        raise invalid_request("starting_at: Field required")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise invalid_request(f"starting_at: {text!r} is not a day (YYYY-MM-DD)") from None


def _record(world: World, user: User, day: date, start_ns: int) -> dict[str, Any]:
    rng = random.Random(f"{world.org.id}:{user.id}:{day.isoformat()}")
    models = [_model_use(world, model, rng) for model in MODELS if rng.random() < 0.7] or [
        _model_use(world, MODELS[0], rng)
    ]
    return {
        "date": rfc3339(start_ns),
        "actor": {"type": "user_actor", "email_address": user.email},
        "organization_id": world.org.id,
        "customer_type": "api",
        "terminal_type": rng.choice(TERMINALS),
        "core_metrics": {
            "num_sessions": rng.randint(1, 8),
            "lines_of_code": {"added": rng.randint(20, 2000), "removed": rng.randint(5, 900)},
            "commits_by_claude_code": rng.randint(0, 12),
            "pull_requests_by_claude_code": rng.randint(0, 3),
        },
        "tool_actions": {
            name: {"accepted": rng.randint(0, 60), "rejected": rng.randint(0, 8)}
            for name in ("edit_tool", "multi_edit_tool", "write_tool", "notebook_edit_tool")
        },
        "model_breakdown": models,
    }


def _model_use(world: World, model: str, rng: random.Random) -> dict[str, Any]:
    tokens = {
        "input": rng.randint(20_000, 400_000),
        "output": rng.randint(5_000, 80_000),
        "cache_read": rng.randint(0, 900_000),
        "cache_creation": rng.randint(0, 60_000),
    }
    usage = TokenUsage(tokens["input"], tokens["cache_creation"], 0, tokens["cache_read"], tokens["output"])
    dollars = world.prices.price(model, usage).total
    cents = int((dollars * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    return {"model": model, "tokens": tokens, "estimated_cost": {"currency": "USD", "amount": cents}}
