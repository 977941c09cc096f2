"""`billbot sandbox …` as a user runs it: real processes, real exit codes, byte-identical output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def billbot(*args: str, seed_hash: str = "0") -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process (with a chosen hash seed, to catch set-order nondeterminism)."""
    env = os.environ | {"PYTHONHASHSEED": seed_hash}
    return subprocess.run(
        [sys.executable, "-m", "billbot", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def test_same_seed_gives_byte_identical_json_across_processes() -> None:
    first = billbot("sandbox", "run", "demo", "--days", "3", "--seed", "5", "--json", seed_hash="1")
    second = billbot("sandbox", "run", "demo", "--days", "3", "--seed", "5", "--json", seed_hash="2")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    other = billbot("sandbox", "run", "demo", "--days", "3", "--seed", "6", "--json")
    assert other.stdout != first.stdout


def test_json_summary_has_the_promised_fields() -> None:
    result = billbot("sandbox", "run", "credit-exhaustion", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert isinstance(summary["total_cost_usd"], str)
    rejected = summary["requests"]["rejected"]
    for reason in ("credit", "spend_limit", "tier_cap", "rate_limit", "overload"):
        assert isinstance(rejected[reason], int)
    assert rejected["credit"] > 0
    assert summary["requests"]["served"] > 0
    assert summary["first_exhaustion_at"].startswith("2026-11-01T")
    assert {"succeeded", "declined"} <= set(summary["reloads"])
    assert isinstance(summary["lots_expired"], int)


def test_text_summary_reads_like_a_report() -> None:
    result = billbot("sandbox", "run", "rate-limit-storm", "--days", "1")
    assert result.returncode == 0, result.stderr
    assert "rate_limit" in result.stdout
    assert "simulated" in result.stdout


def test_malformed_file_exits_2_naming_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(
        'name = "b"\nstart = 2026-11-01T00:00:00Z\n[org]\nname = "b"\n[traffic]\nrequests_per_day = "lots"\n'
        'models = [{ model = "claude-sonnet-5", share = 1.0 }]\n',
        encoding="utf-8",
    )
    result = billbot("sandbox", "run", str(path))
    assert result.returncode == 2
    assert f"{path}: traffic.requests_per_day:" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unknown_model_in_scenario_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "model.toml"
    path.write_text(
        'name = "m"\nstart = 2026-11-01T00:00:00Z\n[org]\nname = "m"\n[traffic]\nrequests_per_day = 5\n'
        'models = [{ model = "claude-imaginary-9", share = 1.0 }]\n',
        encoding="utf-8",
    )
    result = billbot("sandbox", "run", str(path))
    assert result.returncode == 2
    assert "traffic.models.0.model" in result.stderr and "claude-imaginary-9" in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["sandbox", "--help"], ["sandbox", "run", "--help"]])
def test_every_command_has_help(args: list[str]) -> None:
    result = billbot(*args)
    assert result.returncode == 0
    assert "Usage" in result.stdout


def test_scenarios_lists_the_builtins() -> None:
    result = billbot("sandbox", "scenarios")
    assert result.returncode == 0
    assert "demo" in result.stdout and "credit-exhaustion" in result.stdout


def test_the_fast_engine_prints_the_same_summary_fields_as_the_exact_one() -> None:
    exact = billbot("sandbox", "run", "spend-cap", "--engine", "exact", "--json")
    fast = billbot("sandbox", "run", "spend-cap", "--engine", "fast", "--json")
    assert exact.returncode == 0 and fast.returncode == 0, fast.stderr
    exact_summary, fast_summary = json.loads(exact.stdout), json.loads(fast.stdout)
    assert set(fast_summary) == set(exact_summary)
    assert fast_summary["requests"] == exact_summary["requests"]
    assert billbot("sandbox", "run", "spend-cap", "--engine", "fast", "--json").stdout == fast.stdout
