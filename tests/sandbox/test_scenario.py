"""Scenario files: every built-in loads, and a broken file is explained by file, field and problem."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sandbox.scenario import ScenarioError, builtin_names, load_scenario, parse_scenario

MINIMAL = """
name = "tiny"
start = 2026-11-01T00:00:00Z
[org]
name = "Tiny Co"
[traffic]
requests_per_day = 10
models = [{ model = "claude-sonnet-5", share = 1.0 }]
"""


def test_every_required_builtin_ships() -> None:
    required = {"demo", "credit-exhaustion", "rate-limit-storm", "reload-declined", "spend-cap", "overcharge"}
    assert required <= set(builtin_names())


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_scenario_loads(name: str) -> None:
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.start.tzinfo is not None


def test_demo_has_the_promised_shape() -> None:
    demo = load_scenario("demo")
    keys = demo.org.default_workspace_keys + sum(w.keys for w in demo.org.workspaces)
    assert demo.days >= 90
    assert len(demo.org.workspaces) >= 4
    assert keys >= 20
    assert len({m.model for m in demo.traffic.models}) >= 5


def test_credit_exhaustion_starts_under_ten_cents_without_reload() -> None:
    scenario = load_scenario("credit-exhaustion")
    assert sum(lot.amount for lot in scenario.credits.lots) < Decimal("0.10")
    assert scenario.auto_reload is None or not scenario.auto_reload.enabled


def test_minimal_file_gets_defaults() -> None:
    scenario = parse_scenario(MINIMAL, source="tiny.toml")
    assert scenario.days == 30
    assert scenario.org.tier == "Build"
    assert scenario.credits.expiry == "one_year_after_purchase"


def test_money_written_as_float_is_refused_with_its_field() -> None:
    text = MINIMAL + "\n[credits]\nlots = [{ amount = 12.5 }]\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, source="tiny.toml")
    assert caught.value.field == "credits.lots.0.amount"
    assert str(caught.value).startswith("tiny.toml: credits.lots.0.amount: ")
    assert "not as a float" in str(caught.value)


def test_unknown_field_is_named() -> None:
    text = MINIMAL.replace('name = "Tiny Co"', 'name = "Tiny Co"\ntierr = "Scale"')
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, source="tiny.toml")
    assert caught.value.field == "org.tierr"
    assert "Extra inputs are not permitted" in caught.value.problem


def test_naive_start_is_refused() -> None:
    text = MINIMAL.replace("2026-11-01T00:00:00Z", "2026-11-01T00:00:00")
    with pytest.raises(ScenarioError, match=r"start.*timezone"):
        parse_scenario(text, source="tiny.toml")


def test_reload_needs_exactly_one_amount_rule() -> None:
    text = MINIMAL + '\n[auto_reload]\nminimum = "10"\n'
    with pytest.raises(ScenarioError, match=r"auto_reload.*exactly one of target"):
        parse_scenario(text, source="tiny.toml")


def test_negative_share_is_refused_with_value() -> None:
    text = MINIMAL.replace("share = 1.0", "share = -1.0")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, source="tiny.toml")
    assert caught.value.field == "traffic.models.0.share"
    assert "-1.0" in caught.value.problem


def test_broken_toml_names_the_file() -> None:
    with pytest.raises(ScenarioError, match=r"^bad\.toml: not valid TOML"):
        parse_scenario("name = ", source="bad.toml")


def test_missing_file_lists_builtins(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"built-ins: .*demo"):
        load_scenario(str(tmp_path / "nope.toml"))


def test_file_path_loads(tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_scenario(str(path)).name == "tiny"
