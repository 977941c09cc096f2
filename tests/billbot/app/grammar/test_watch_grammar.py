"""`/claude-budget` and `/claude-alerts`: text in, a typed query out, or one clear error with the usage."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billbot.app.grammar.watch import (
    ALERTS_USAGE,
    BUDGET_USAGE,
    AlertActionQuery,
    AlertShowQuery,
    AlertsListQuery,
    BudgetListQuery,
    BudgetRemoveQuery,
    BudgetSetQuery,
    WatchCommandError,
    parse_alerts,
    parse_budget,
)


@pytest.mark.parametrize("text", ["", "list", "  list  "])
def test_list_is_the_default(text: str) -> None:
    assert parse_budget(text) == BudgetListQuery()
    assert not BudgetListQuery.changes_money


def test_a_monthly_organisation_budget_with_defaults() -> None:
    query = parse_budget("set $5,000")
    assert query == BudgetSetQuery(Decimal(5000), "month", "organization", None, (50, 80, 100), True, None)
    assert query.changes_money


def test_every_option_of_set() -> None:
    query = parse_budget(
        "set 250 weekly workspace Support Bot at 60,90 no-forecast channel <#C0ALERTS|alerts>"
    )
    assert query == BudgetSetQuery(
        Decimal(250), "week", "workspace", "Support Bot", (60, 90), False, "C0ALERTS"
    )


def test_key_and_model_scopes_take_names_with_spaces_or_quotes() -> None:
    key = parse_budget("set 10 daily key Production key 2")
    model = parse_budget('set 300 for model "claude-opus-5" thresholds 100%')
    assert isinstance(key, BudgetSetQuery) and (key.scope_kind, key.scope_name) == (
        "api_key",
        "Production key 2",
    )
    assert isinstance(model, BudgetSetQuery) and (model.scope_kind, model.scope_name, model.thresholds) == (
        "model", "claude-opus-5", (100,),
    )  # fmt: skip


def test_remove_takes_one_id() -> None:
    assert parse_budget("remove 3") == BudgetRemoveQuery(3)
    assert parse_budget("remove #12") == BudgetRemoveQuery(12)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("set", "needs an amount"),
        ("set lots", "is not an amount"),
        ("set 12.345", "more than two decimals"),
        ("set 100 monthly workspace", "needs a name"),
        ("set 100 at 50,eighty", "percentages"),
        ("set 100 at 0,50", "from 1 to"),
        ("set 100 channel #general", "not a channel"),
        ("set 100 weekly banana", "unexpected 'banana'"),
        ("remove", "one budget id"),
        ("remove three", "not an id"),
        ("list 2", "takes nothing"),
        ("delete-all", "unknown action"),
        ('set 100 workspace "Research', "quote is not closed"),
    ],
)
def test_bad_budget_input_is_explained_with_the_usage(text: str, says: str) -> None:
    with pytest.raises(WatchCommandError) as caught:
        parse_budget(text)
    assert says in str(caught.value)
    assert caught.value.usage == BUDGET_USAGE


def test_alerts_lists_shows_and_acts() -> None:
    assert parse_alerts("") == AlertsListQuery("active")
    assert parse_alerts("all") == AlertsListQuery("all")
    assert parse_alerts("7") == AlertShowQuery(7)
    assert parse_alerts("ack 7") == AlertActionQuery("acknowledge", 7)
    assert parse_alerts("snooze 7") == AlertActionQuery("snooze_day", 7)
    assert parse_alerts("snooze 7 period") == AlertActionQuery("snooze_period", 7)
    assert parse_alerts("expected 7") == AlertActionQuery("expected", 7)
    assert parse_alerts("unexpected #7") == AlertActionQuery("not_expected", 7)


@pytest.mark.parametrize("text", ["snooze 7 forever", "ack", "mute 7", "7 8"])
def test_bad_alerts_input_is_explained_with_the_usage(text: str) -> None:
    with pytest.raises(WatchCommandError) as caught:
        parse_alerts(text)
    assert caught.value.usage == ALERTS_USAGE
