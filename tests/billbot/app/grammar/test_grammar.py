"""The slash-command grammar: what each command accepts, and a specific message for everything else."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billbot.app.grammar.amounts import InputError, parse_amount
from billbot.app.grammar.answers import (
    BalanceQuery,
    CommandError,
    LimitsQuery,
    SpendQuery,
    UsageQuery,
)
from billbot.app.table import BY_NAME, COMMANDS
from tests.billbot.app.support import parse_query

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def test_spend_takes_period_dimension_and_workspace_in_any_subset() -> None:
    query = parse_query("/claude-spend 7d by model workspace Support Bot", NOW)
    assert isinstance(query, SpendQuery)
    assert (query.period.label, query.by, query.workspace) == ("last 7 days", "model", "Support Bot")
    default = parse_query("/claude-spend", NOW)
    assert isinstance(default, SpendQuery) and default.period.label == "month to date" and default.by is None
    only_by = parse_query("/claude-spend by key", NOW)
    assert isinstance(only_by, SpendQuery) and only_by.by == "key"


def test_usage_and_limits() -> None:
    usage = parse_query("/claude-usage last-month by key", NOW)
    assert isinstance(usage, UsageQuery) and usage.by == "key"
    assert parse_query("/claude-limits claude-opus-5", NOW) == LimitsQuery("claude-opus-5")


def test_balance_admin_subcommands() -> None:
    assert parse_query("/claude-balance", NOW) == BalanceQuery()
    topup = parse_query("/claude-balance topup $1,500 2026-11-01", NOW)
    assert topup == BalanceQuery("topup", amount=Decimal("1500"), at=datetime(2026, 11, 1, tzinfo=UTC))
    assert isinstance(topup, BalanceQuery) and topup.changes_money
    anchor = parse_query("/claude-balance set 1234.56", NOW)
    assert anchor == BalanceQuery("set", amount=Decimal("1234.56"), at=NOW)
    assert parse_query("/claude-balance autoreload 50 200", NOW) == BalanceQuery(
        "autoreload", threshold=Decimal("50"), target=Decimal("200")
    )
    off = parse_query("/claude-balance autoreload off", NOW)
    assert off == BalanceQuery("autoreload")
    history = parse_query("/claude-balance history", NOW)
    assert isinstance(history, BalanceQuery) and not history.changes_money


@pytest.mark.parametrize(
    ("text", "message", "command"),
    [
        ("/claude-spend lastweek", "unknown period 'lastweek'", "/claude-spend"),
        (
            "/claude-spend by colour",
            "'by' takes one of model, workspace, type, key, description, got 'colour'",
            "/claude-spend",
        ),
        (
            "/claude-spend mtd by",
            "'by' takes one of model, workspace, type, key, description, got 'nothing'",
            "/claude-spend",
        ),
        ("/claude-spend mtd extra", "unexpected 'extra'", "/claude-spend"),
        ("/claude-spend workspace", "'workspace' needs a workspace name", "/claude-spend"),
        (
            "/claude-usage 7d by description",
            "'by' takes one of model, key, workspace, got 'description'",
            "/claude-usage",
        ),
        ("/claude-balance topup -5", "'-5': the amount must not be negative", "/claude-balance"),
        ("/claude-balance topup 0", "'0': the amount must be more than zero", "/claude-balance"),
        (
            "/claude-balance topup 10.001",
            "'10.001' has more than two decimals; amounts are in dollars and cents",
            "/claude-balance",
        ),
        ("/claude-balance topup 12,34", "'12,34' is not an amount; write it like 1234.56", "/claude-balance"),
        ("/claude-balance topup 50 2027-01-01", "'2027-01-01' is in the future", "/claude-balance"),
        (
            "/claude-balance topup 50 yesterday",
            "'yesterday' is not a date; write it like 2026-11-01",
            "/claude-balance",
        ),
        (
            "/claude-balance autoreload 200 50",
            "the target (50) must be above the threshold (200)",
            "/claude-balance",
        ),
        ("/claude-balance refund 5", "cannot understand 'refund 5'", "/claude-balance"),
        ("/claude-limits a b", "one model at most, got 'a b'", "/claude-limits"),
        ("/claude-spendd", "unknown command '/claude-spendd'; try /claude-help", "/claude-help"),
    ],
)
def test_bad_input_gets_a_specific_message_and_the_usage_line(text: str, message: str, command: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse_query(text, NOW)
    assert str(caught.value).startswith(message)
    assert caught.value.usage == BY_NAME[command].usage


def test_amounts_accept_dollars_and_thousands() -> None:
    assert parse_amount("$1,234.56") == Decimal("1234.56")
    assert parse_amount("-20", allow_negative=True) == Decimal("-20")
    with pytest.raises(InputError):
        parse_amount("1e3")


@given(
    st.sampled_from([command.name for command in COMMANDS]),
    st.lists(st.text(min_size=1, max_size=12).filter(lambda w: w.split() == [w]), max_size=5),
)
def test_any_input_is_a_query_or_a_command_error(command: str, words: list[str]) -> None:
    try:
        parse_query(" ".join([command, *words]), NOW)
    except CommandError as error:
        assert str(error) and error.usage in {command.usage for command in COMMANDS}
