"""`billbot drill` as a user runs it: the list, the JSON scorecard byte for byte, a script, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BUY_AFTER_FIRST_FAILURE = [{"after": "60m", "do": "topup 500"}, {"after": "61m", "do": "retry"}]


def billbot(*args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "billbot", "drill", *args],
        capture_output=True, text=True, timeout=120, env=clean,
    )  # fmt: skip


def test_drill_list_lists_the_built_in_drills() -> None:
    result = billbot("list")
    assert result.returncode == 0, result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == [
        "credit-exhaustion", "overcharge", "overload-burst", "rate-limit-storm", "reload-declined",
        "reseller-holds", "runaway-reload", "spend-limit", "tier-cap",
    ]  # fmt: skip


def test_buying_credits_after_the_first_failure_scores_better_and_is_deterministic(tmp_path: Path) -> None:
    script = tmp_path / "buy.json"
    script.write_text(json.dumps(BUY_AFTER_FIRST_FAILURE), encoding="utf-8")
    idle = billbot("credit-exhaustion", "--seed", "1", "--json")
    acted = billbot("credit-exhaustion", "--seed", "1", "--json", "--actions", str(script))
    assert idle.returncode == acted.returncode == 0, idle.stderr + acted.stderr
    assert billbot("credit-exhaustion", "--seed", "1", "--json").stdout == idle.stdout
    again = billbot("credit-exhaustion", "--seed", "1", "--json", "--actions", str(script))
    assert again.stdout == acted.stdout
    before, after = json.loads(idle.stdout), json.loads(acted.stdout)
    first_failure = before["incident_start_s"]
    assert 0 < first_failure <= 3600  # the script's purchase is the minute after the first failure
    assert after["requests_failed"] < before["requests_failed"]
    assert before["time_to_recover_s"] is None and after["time_to_recover_s"] is not None
    assert after["runbook"]["taken"] == ["topup", "retry"]
    assert after["runbook"]["expected"] == ["balance", "topup", "retry"]
    assert after["runbook"]["missing"] == ["balance"]
    assert before["time_to_detect_s"] is not None and before["alerts"][0]["rule"] == "balance_low"


def test_the_text_form_shows_the_timeline_and_the_scorecard(tmp_path: Path) -> None:
    script = tmp_path / "buy.json"
    script.write_text(json.dumps(BUY_AFTER_FIRST_FAILURE), encoding="utf-8")
    result = billbot("credit-exhaustion", "--seed", "1", "--actions", str(script))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Drill credit-exhaustion: Credit exhaustion at night" in out
    assert "400 “Your credit balance is too low to access the Anthropic API." in out
    assert "billbot alert [critical] balance_low" in out
    assert "script: topup 500 → bought $500.00" in out
    assert "time to recover" in out and "What to change:" in out


def test_a_bad_script_or_drill_is_exit_2_with_a_usage_line(tmp_path: Path) -> None:
    script = tmp_path / "bad.json"
    script.write_text('[{"after": "5m", "do": "panic"}]', encoding="utf-8")
    bad = billbot("credit-exhaustion", "--actions", str(script))
    assert bad.returncode == 2 and "action 1: 'panic' is not a drill action" in bad.stderr
    assert "usage: topup 500" in bad.stderr and "Traceback" not in bad.stderr
    unknown = billbot("fire-drill")
    assert unknown.returncode == 2 and "no drill named 'fire-drill'" in unknown.stderr
