"""The lever grammar as a user types it: combinations, and bad input answered with usage and an example."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billbot.whatif.levers import EXAMPLE, USAGE, LeverError, Move, parse_levers


def test_every_lever_combines_in_one_line() -> None:
    levers = parse_levers(
        "traffic x2 growth 10%/week move 50% claude-opus-5 to claude-sonnet-5, cache 60% batch 30% "
        "output x1.5 autoreload 100 500 decline reloads topup 1000 2026-12-15 limit 2000 "
        "limit workspace Research 500 tier build price claude-opus-5 x0.8 horizon 30d runs 1000 seed 3"
    )
    assert levers.traffic == 2 and levers.growth_per_week == Decimal("0.1")
    assert levers.moves == (Move(Decimal("0.5"), "claude-opus-5", "claude-sonnet-5"),)
    assert levers.cache_ratio == Decimal("0.6") and levers.batch_share == Decimal("0.3")
    assert levers.output == Decimal("1.5") and levers.autoreload == (Decimal(100), Decimal(500))
    assert levers.decline_reloads and levers.topups == ((Decimal(1000), date(2026, 12, 15)),)
    assert levers.organization_limit == 2000 and levers.workspace_limits == {"Research": Decimal(500)}
    assert levers.tier == "Build" and levers.prices == {"claude-opus-5": Decimal("0.8")}
    assert (levers.horizon_days, levers.runs, levers.seed) == (30, 1000, 3)
    assert len(levers.words) == 16


def test_autoreload_off_and_a_workspace_name_holding_a_keyword() -> None:
    levers = parse_levers("autoreload off limit workspace Batch jobs 250 traffic x1.2")
    assert levers.autoreload_off and levers.autoreload is None
    assert levers.workspace_limits == {"Batch jobs": Decimal(250)}
    assert levers.traffic == Decimal("1.2")


def test_growth_per_day_is_compounded_to_a_week() -> None:
    assert parse_levers("growth 1%/day").growth_per_week == Decimal("1.01") ** 7 - 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "no lever given"),
        ("fly x2", "unknown lever 'fly'"),
        ("traffic 2", "write a factor as x2"),
        ("traffic x0", "above 0"),
        ("growth 10%", "10%/week"),
        ("move 50% claude-opus-5 claude-sonnet-5", "move N% MODEL to MODEL"),
        ("move 150% a to b", "out of range"),
        ("cache 60", "write a share as 60%"),
        ("autoreload 500 100", "must be above the minimum"),
        ("topup 1000 tomorrow", "is not a date"),
        ("limit lots", "is not a number"),
        ("tier Gold", "unknown tier 'Gold'"),
        ("horizon 0d", "from 1 to 365"),
        ("runs many", "whole number"),
        ("seed -1", "whole number"),
        ("decline everything", "decline reloads"),
    ],
)
def test_bad_levers_get_the_problem_the_usage_line_and_an_example(text: str, problem: str) -> None:
    with pytest.raises(LeverError) as caught:
        parse_levers(text)
    assert problem in caught.value.problem
    assert USAGE in str(caught.value) and EXAMPLE in str(caught.value)


def test_only_runs_seed_and_horizon_change_nothing() -> None:
    assert not parse_levers("runs 10 seed 2 horizon 5d").changes_anything
    assert parse_levers("traffic x1.1").changes_anything
