"""`billbot watch` as cron and a clock process run it, against `billbot sandbox serve` on 127.0.0.1.

The overcharge scenario bills every request of day 9 twice: `--once --json` reports that day with the
amount the sandbox says it overcharged, and a second run over the same store queues nothing. A
scenario with no billing bug has no reconciliation finding. Without `--once` the watch runs every
interval and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.billbot.slack.fake_slack import FakeSlack
from tests.sandbox.api.conftest import Served, start_server, stop_server

ADMIN_KEY = "sk-ant-admin01-watch-cli-test"
PLANTED = "sk-ant-admin01-PLANTED-watch-secret-xyz"
OVERCHARGED_DAY = "2026-11-10"  # the scenario starts on 1 Nov; `duplicate_charge_days = [9]`


def billbot(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "billbot", *args],
        capture_output=True, text=True, timeout=180, env={**clean, **env},
    )  # fmt: skip


def serve(scenario: str) -> Iterator[Served]:
    server = start_server("--scenario", scenario, "--speed", "0", "--admin-key", ADMIN_KEY)
    yield server
    if server.process.poll() is None:
        stop_server(server)


@pytest.fixture(scope="module")
def overcharge() -> Iterator[Served]:
    yield from serve("overcharge")


def watching(served: Served, store: Path) -> dict[str, str]:
    return {
        "ANTHROPIC_ADMIN_KEY": ADMIN_KEY,
        "ANTHROPIC_BASE_URL": served.base_url,
        "DATABASE_URL": f"sqlite:///{store}",
        "BILLBOT_ALERT_CHANNEL": "C0ALERTS",
    }


def overcharged_by_the_sandbox() -> Decimal:
    result = billbot("sandbox", "run", "overcharge", "--json")
    assert result.returncode == 0, result.stderr
    return Decimal(json.loads(result.stdout)["duplicate_charges"]["overcharged_usd"])


def test_once_reports_the_overcharged_day_with_its_amount_then_queues_nothing_new(
    overcharge: Served, tmp_path: Path
) -> None:
    env = watching(overcharge, tmp_path / "billbot.db")
    first = billbot("watch", "--once", "--json", **env)
    assert first.returncode == 0, first.stderr
    run = json.loads(first.stdout)
    [found] = [f for f in run["findings"] if f["rule"] == "reconciliation"]
    assert (found["period"], found["data"]["day"]) == (OVERCHARGED_DAY, OVERCHARGED_DAY)
    assert found["severity"] == "critical"
    assert abs(Decimal(found["amount_usd"]) - overcharged_by_the_sandbox()) < Decimal("0.01")
    assert found["evidence"] and found["scope"] == "organization"
    assert run["posts_queued"] >= 1 and "simulated org 'overcharge'" in run["source"]
    again = billbot("watch", "--once", **env)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert any(line.startswith("  [critical] reconciliation · the organisation · $12.28 ·") for line in lines)
    assert lines[-2:] == ["alerts: no change", "0 new posts"]


def test_with_slack_settings_once_posts_the_alerts_to_the_alert_channel_once(
    overcharge: Served, tmp_path: Path
) -> None:
    fake = FakeSlack()
    try:
        env = {**watching(overcharge, tmp_path / "billbot.db"), "SLACK_BOT_TOKEN": "xoxb-watch-cli",
               "SLACK_SIGNING_SECRET": "watch-cli-secret", "SLACK_API_URL": fake.url}  # fmt: skip
        first = billbot("watch", "--once", "--json", **env)
        assert first.returncode == 0, first.stderr
        posted = json.loads(first.stdout)["posted_to_slack"]
        messages = [m for m in fake.bodies("chat.postMessage") if "thread_ts" not in m]
        assert posted >= 1 and messages and all(m["channel"] == "C0ALERTS" for m in messages)
        assert any("2026-11-10" in m["text"] or "$12.28" in m["text"] for m in messages)
        again = billbot("watch", "--once", **env)
        assert again.returncode == 0, again.stderr
        assert again.stdout.splitlines()[-1] == "posted to Slack: 0"
        assert len([m for m in fake.bodies("chat.postMessage") if "thread_ts" not in m]) == len(messages)
    finally:
        fake.close()


def test_a_scenario_without_a_billing_bug_has_no_reconciliation_finding(tmp_path: Path) -> None:
    for served in serve("key-spike"):  # 32 days of a team with a traffic spike but an honest bill
        result = billbot("watch", "--once", "--json", **watching(served, tmp_path / "billbot.db"))
        assert result.returncode == 0, result.stderr
        run = json.loads(result.stdout)
        assert "simulated org 'key-spike'" in run["source"]
        assert [f for f in run["findings"] if f["rule"] == "reconciliation"] == []


def test_without_once_it_runs_every_interval_and_stops_cleanly_on_sigterm(
    overcharge: Served, tmp_path: Path
) -> None:
    env = {**os.environ, **watching(overcharge, tmp_path / "billbot.db"), "BILLBOT_WATCH_EVERY": "1m"}
    process = subprocess.Popen(
        [sys.executable, "-m", "billbot", "watch"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()  # the first run's line: then it waits for the next interval
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert line.startswith("2026-11-15 00:00 UTC · 1 findings · alerts: 1 opened · 1 new posts"), line
    assert "watching every 1 min" in err and err.rstrip().endswith("watch stopped")
    assert out == "" and "Traceback" not in err


def test_settings_that_cannot_watch_are_exit_2_in_one_sentence() -> None:
    off = billbot("watch", BILLBOT_WATCH_EVERY="off")
    assert off.returncode == 2
    assert off.stderr.strip().endswith("or run `billbot watch --once` from cron")
    fast = billbot("watch", "--once", BILLBOT_WATCH_EVERY="5s")
    assert fast.returncode == 2
    assert fast.stderr.strip() == (
        "error: BILLBOT_WATCH_EVERY must be at least one minute (the reports' finest bucket)"
    )


def test_an_unreachable_api_is_exit_1_and_never_shows_the_key(tmp_path: Path) -> None:
    result = billbot(
        "watch", "--once", ANTHROPIC_ADMIN_KEY=PLANTED, ANTHROPIC_BASE_URL="http://127.0.0.1:9",
        DATABASE_URL=f"sqlite:///{tmp_path / 'billbot.db'}",
    )  # fmt: skip
    assert result.returncode == 1
    assert "Could not reach the Admin API" in result.stderr
    assert PLANTED not in result.stdout + result.stderr


def test_the_backtest_prints_every_rule_as_json() -> None:
    # No runs chosen: the table's shape, quickly (the replays: tests/billbot/watch/test_backtest.py).
    result = billbot("watch", "--backtest", "--seeds", "none", "--incident-seeds", "none", "--json")
    assert result.returncode == 0, result.stderr
    rules = [row["rule"] for row in json.loads(result.stdout)["rules"]]
    assert rules == ["anomaly", "cache_miss", "model_switch", "creep", "reconciliation", "runaway_reload"]
    both = billbot("watch", "--backtest", "--once")
    assert both.returncode == 2
    assert both.stderr.strip() == "error: --once runs the watch, --backtest replays the sandbox: pick one"


def test_without_any_settings_it_watches_the_embedded_demo(tmp_path: Path) -> None:
    result = billbot("watch", "--once", DATABASE_URL=f"sqlite:///{tmp_path / 'billbot.db'}")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "billbot watch · 2026-11-22 00:00 UTC",
        "source: sandbox · simulated org 'demo' · cost through 2026-11-21 · usage through 00:00 UTC",
    ]
    assert any(line.startswith("  [warning] credits_expiring · the organisation · $") for line in lines)
    assert "answering from the embedded sandbox" in result.stderr
    # The demo's bill is right: the analytics API filing web search under a model is no finding.
    assert not any("reconciliation" in line for line in lines)
