"""Builders: domain answers → `Response`. Every estimate is labelled; every answer names its source."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from billbot.app.data import SandboxEvent
from billbot.app.replies.model import Fact, Response, Table
from billbot.app.replies.spend_chart import spend_by_day_chart
from billbot.core.balance import BalanceAnswer
from billbot.core.limits import RateUse, SpendLimitUse
from billbot.core.money import percent, tokens, usd
from billbot.core.periods import Period
from billbot.core.spend import Share, SpendAnswer
from billbot.core.usage import UsageAnswer
from billbot.whatif.forecast import MonthEndForecast


def spend_response(
    answer: SpendAnswer,
    source: str,
    *,
    by_key_estimate: bool = False,
    forecast: MonthEndForecast | None = None,
) -> Response:
    """`/claude-spend`: billed total, unbilled estimate, change, forecast (the engine's band), breakdown."""
    period = answer.period
    # `billed_through` is the exclusive end of the billed days: show the last day that is billed.
    last_billed = answer.billed_through - timedelta(microseconds=1)
    facts = [Fact("Billed", f"{usd(answer.billed)} (through {_day(last_billed)})")]
    if answer.unbilled_estimate:
        facts.append(Fact("Not yet billed (estimate)", usd(answer.unbilled_estimate)))
    if answer.change is not None:
        facts.append(Fact(f"vs {answer.period.previous().label}", percent(answer.change, signed=True)))
    if forecast is not None:
        band = f"{usd(forecast.p50)} (P10 {usd(forecast.p10)} – P90 {usd(forecast.p90)})"
        facts.append(Fact("Month-end forecast (estimate)", band))
    elif answer.forecast is not None:
        facts.append(Fact("Month-end forecast (estimate)", usd(answer.forecast)))
    tables: tuple[Table, ...] = ()
    if answer.breakdown:
        title = "Estimated cost" if by_key_estimate else "Billed"
        rows = tuple((s.name, usd(s.amount), percent(s.fraction)) for s in answer.breakdown)
        tables = (Table(("", title, "share"), rows),)
    notes = (
        ("By API key is an estimate (usage × price list): the cost report cannot group by key.",)
        if by_key_estimate
        else ()
    )
    plot = spend_by_day_chart(answer, forecast)
    plots = (plot,) if plot is not None else ()
    return Response(f"Claude API spend · {period.label}", source, tuple(facts), tables, notes, plots=plots)


def estimated_spend_response(
    period: Period, total: Decimal, shares: tuple[Share, ...], source: str
) -> Response:
    """`/claude-spend … by key`: usage × price list, every figure an estimate."""
    rows = tuple((s.name, usd(s.amount), percent(s.fraction)) for s in shares)
    return Response(
        f"Claude API spend by API key · {period.label}",
        source,
        (Fact("Total (estimate)", usd(total)),),
        (Table(("API key", "estimated cost", "share"), rows),),
        ("By API key is an estimate (usage × price list): the cost report cannot group by key.",),
    )


def usage_response(answer: UsageAnswer, source: str) -> Response:
    """`/claude-usage`: tokens by type, cache hit ratio, top keys and models."""
    totals = answer.totals
    ratio = totals.cache_hit_ratio
    facts = (
        Fact("Input, uncached", tokens(totals.uncached_input)),
        Fact("Cache writes 5m / 1h", f"{tokens(totals.cache_write_5m)} / {tokens(totals.cache_write_1h)}"),
        Fact("Cache reads", tokens(totals.cache_read)),
        Fact("Output", tokens(totals.output)),
        Fact("Cache hit ratio", "n/a" if ratio is None else percent(ratio)),
    )
    tables = tuple(
        Table(
            (label, "tokens", "share"), tuple((r.name, tokens(r.tokens), percent(r.fraction)) for r in ranked)
        )
        for label, ranked in (("Top models", answer.top_models), ("Top keys", answer.top_keys))
        if ranked
    )
    return Response(f"Claude API usage · {answer.period.label}", source, facts, tables)


def balance_response(answer: BalanceAnswer, source: str, *, simulated: bool = False) -> Response:
    """`/claude-balance`: estimate (or simulated exact balance), runway, expiring credits, next reload."""
    label = "Balance (simulated)" if simulated else "Balance (estimate)"
    facts = [
        Fact(label, usd(answer.estimate)),
        Fact("Burn, last 7 days", f"{usd(answer.burn_per_day)}/day"),
        Fact(
            "Runway", "no spending" if answer.runway_until is None else f"until {_day(answer.runway_until)}"
        ),
    ]
    if answer.next_reload_at is not None:
        facts.append(Fact("Next auto-reload (expected)", _day(answer.next_reload_at)))
    warnings = tuple(
        f"{usd(lot.amount)} bought {_day(lot.bought_at)} expires {_day(lot.expires_at)}"
        for lot in answer.expiring
    )
    notes: tuple[str, ...] = ()
    if not simulated:
        notes = (
            f"Anchored at {usd(answer.anchor)} on {_day(answer.anchored_at)}, + {usd(answer.topups_since)} "
            f"top-ups, − {usd(answer.billed_since)} billed, − {usd(answer.unbilled_estimate)} not yet billed "
            "(estimate). Anthropic has no balance API: set the anchor with /claude-balance set.",
        )
    return Response("Claude API balance", source, tuple(facts), (), notes, warnings)


def limits_response(
    tier: str, rates: tuple[RateUse, ...], spend: tuple[SpendLimitUse, ...], source: str
) -> Response:
    """`/claude-limits`: monthly limits with the projected date, rate-limit peaks per group."""
    spend_rows = tuple(
        (
            use.name,
            usd(use.limit),
            f"{usd(use.month_to_date)} ({percent(use.fraction)})",
            "reached"
            if use.reached
            else ("not this month" if use.reached_at is None else _day(use.reached_at)),
        )
        for use in spend
    )
    rate_rows = tuple(
        (
            use.group.name,
            _of(use.peak_input, use.group.itpm),
            _of(use.peak_output, use.group.otpm),
        )
        for use in rates
    )
    tables = (
        Table(("Monthly limit", "limit", "month to date", "reached on"), spend_rows),
        Table(("Rate limits (peak minute, 24 h)", "input tokens/min", "output tokens/min"), rate_rows),
    )
    return Response(f"Claude API limits · tier {tier}", source, (), tables)


def help_response(source: str, commands: tuple[tuple[str, str], ...]) -> Response:
    """`/claude-help`: every command's usage line with an example."""
    return Response("billbot commands", source, (), (Table(("command", "example"), commands),))


def sandbox_history_response(events: Sequence[SandboxEvent], source: str, limit: int = 30) -> Response:
    """`/claude-balance history` on a sandbox: its purchases, reloads (declined too), expiries, promotions."""
    rows = tuple(
        (f"{event.at:%Y-%m-%d %H:%M}", event.what, usd(event.amount), event.detail or "")
        for event in events[:limit]
    )
    title = "Claude API balance · history"
    if not rows:
        return Response(title, source, notes=("Nothing has happened to the balance yet.",))
    table = Table(("when (UTC)", "what", "amount", "detail"), rows)
    note = "A sandbox keeps its own balance: these are its events, newest first."
    return Response(title, source, (), (table,), (note,))


def _of(used: int, limit: int | None) -> str:
    return f"{tokens(used)} of {tokens(limit)}" if limit else f"{tokens(used)} (no limit)"


def _day(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d}"
