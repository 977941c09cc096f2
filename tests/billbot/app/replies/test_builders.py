"""Answers rendered as text: estimates labelled, sources named, figures in dollars and cents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from billbot.app.replies.builders import balance_response, help_response, limits_response, spend_response
from billbot.app.table import COMMANDS
from billbot.core.balance import Purchase, estimate_balance
from billbot.core.entries import CostEntry
from billbot.core.limits import RateLimitGroup, RateUse, spend_limit_use
from billbot.core.money import percent, tokens, usd
from billbot.core.periods import parse_period
from billbot.core.spend import answer_spend
from billbot.terminal.render import render_text

D = Decimal
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
SOURCE = "sandbox · simulated org 'demo'"


def test_money_percent_and_token_formats() -> None:
    assert (usd(D("1234.565")), usd(D("-3")), usd(D("0.004")), usd(D(0))) == (
        "$1,234.56",
        "-$3.00",
        "<$0.01",
        "$0.00",
    )
    assert (percent(D("0.1234")), percent(D("0.05"), signed=True), percent(D("-0.5"), signed=True)) == (
        "12%",
        "+5.0%",
        "-50%",
    )
    assert (tokens(1_234_567), tokens(999), tokens(45_600)) == ("1.2M", "999", "45.6K")


def test_spend_text_separates_billed_from_estimates_and_names_the_source() -> None:
    costs = [
        CostEntry(NOW - timedelta(days=n, hours=12), D("10"), model="claude-sonnet-5") for n in range(1, 22)
    ]
    answer = answer_spend(
        parse_period("mtd", NOW), costs, now=NOW, unbilled_estimate=D("3.21"), burn_per_day=D(10), by="model"
    )
    text = render_text(spend_response(answer, SOURCE))
    assert "source: sandbox · simulated org 'demo'" in text
    assert "Billed                         $210.00 (through 2026-11-21)" in text  # the last billed day
    assert "Not yet billed (estimate)      $3.21" in text
    assert "Month-end forecast (estimate)" in text
    assert "claude-sonnet-5  $210.00   100%" in text


def test_balance_text_warns_about_expiring_credit_and_explains_the_estimate() -> None:
    answer = estimate_balance(
        anchor=D("9000"), anchored_at=datetime(2026, 11, 1, tzinfo=UTC),
        purchases=[
            Purchase(D("4000"), datetime(2025, 12, 12, tzinfo=UTC)),
            Purchase(D("5000"), datetime(2026, 11, 8, tzinfo=UTC)),
        ],
        billed_since=D("0"), unbilled_estimate=D("0"), burn_per_day=D("45"), now=NOW,
    )  # fmt: skip
    text = render_text(balance_response(answer, "Anthropic Admin API"))
    assert "Balance (estimate)  $14,000.00" in text  # $9,000 anchored + $5,000 bought since
    assert "! $4,000.00 bought 2025-12-12 expires 2026-12-12" in text
    assert "Anthropic has no balance API" in text


def test_limits_text_lists_monthly_limits_and_rate_peaks() -> None:
    group = RateLimitGroup("Claude Sonnet 5", ("claude-sonnet-5",), 4000, 2_000_000, 400_000)
    spend = (spend_limit_use("Tier cap (Build)", D("1000"), D("800"), D("40"), NOW),)
    text = render_text(limits_response("Build", (RateUse(group, 1_100_000, 0),), spend, SOURCE))
    assert "Tier cap (Build)  $1,000.00  $800.00 (80%)  2026-11-27" in text
    rate_line = next(line for line in text.splitlines() if line.startswith("  Claude Sonnet 5"))
    assert rate_line.split()[-6:] == ["1.1M", "of", "2.0M", "0", "of", "400.0K"]


def test_help_lists_every_command() -> None:
    text = render_text(help_response(SOURCE, tuple((c.usage, c.example) for c in COMMANDS)))
    for command in ("/claude-spend", "/claude-usage", "/claude-balance", "/claude-limits", "/claude-help"):
        assert command in text
    assert "/claude-tickets [open|all|ID]" in text and "/claude-dispute duplicate $12.50" in text
