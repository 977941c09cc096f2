"""`billbot sandbox prices [--at DATE] [--json]` as a user runs it: the price list in force on a day."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.billbot.test_sandbox_cli import billbot


def sheet(*args: str) -> dict[str, Any]:
    result = billbot("sandbox", "prices", *args, "--json")
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def models(*args: str) -> dict[str, dict[str, Any]]:
    return {model["id"]: model for model in sheet(*args)["models"]}


def test_sonnet_5_5_cache_reads_are_0_10_on_2026_12_01_and_0_20_on_2026_10_01() -> None:
    december, october = models("--at", "2026-12-01"), models("--at", "2026-10-01")
    assert december["claude-sonnet-5-5"]["rates"]["cache_read"] == "0.10"
    assert october["claude-sonnet-5-5"]["rates"]["cache_read"] == "0.20"
    change = december["claude-sonnet-5-5"]["rate_changes"][0]
    assert change["from"] == "2026-10-07" and change["source"].startswith("[DOC] release notes")
    assert change["in_force"] and not october["claude-sonnet-5-5"]["rate_changes"][0]["in_force"]


def test_the_sheet_lists_batch_fast_long_context_geo_window_retirement_and_sources() -> None:
    listed = models("--at", "2026-12-01")
    haiku = listed["claude-haiku-5-5"]
    assert haiku["batch"]["rates"]["input"] == "0.05" and haiku["batch"]["rates"]["output"] == "0.25"
    assert haiku["batch"]["source"].startswith("[3P]")
    assert haiku["long_context"][0]["threshold"] == 100_000
    assert {"claude-mythos-5-2", "claude-fable-5-2"} <= set(listed)
    assert listed["claude-fable-5-2"]["fast_mode"]["rates"]["output"] == "80"
    assert listed["claude-opus-4-8"]["fast_mode"]["in_force"] is False  # ended 2026-11-30
    assert listed["claude-sonnet-4-5-20250929"]["lifecycle"] == {
        "deprecated": None,
        "retires": "2026-11-30",
        "retired": True,
        "source": listed["claude-sonnet-4-5-20250929"]["lifecycle"]["source"],
        "note": "",
    }
    assert listed["claude-haiku-4-5-20251001"]["inference_geo"] == {"supported": False, "us_multiplier": None}
    assert listed["claude-opus-4-6"]["inference_geo"] == {"supported": True, "us_multiplier": "1.1"}
    assert listed["claude-haiku-4-5-20251001"]["context"]["window"] == 200_000
    for model in listed.values():
        assert model["source"] and model["as_of"], model["id"]


def test_the_opus_4_6_premium_shows_only_on_its_dates() -> None:
    assert models("--at", "2026-03-01")["claude-opus-4-6"]["long_context"][0]["rates"]["input"] == "10"
    assert models("--at", "2026-12-01")["claude-opus-4-6"]["long_context"] == []


def test_the_text_form_is_a_table_with_sources() -> None:
    result = billbot("sandbox", "prices", "--at", "2026-12-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Claude API prices in force on 2026-12-01 (USD per million tokens; sandbox price list)"
    row = next(line for line in lines if line.startswith("claude-sonnet-5-5 "))
    assert row.split()[:8] == ["claude-sonnet-5-5", "(geo)", "2", "2.50", "4", "0.10", "10", "1"]
    assert any(line.startswith("  claude-mythos-5-2: ") for line in lines)


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday"])
def test_a_bad_date_is_a_usage_error(bad: str) -> None:
    result = billbot("sandbox", "prices", "--at", bad)
    assert result.returncode == 2 and "--at" in result.stderr and result.stdout == ""
