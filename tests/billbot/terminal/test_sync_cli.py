"""`billbot sync` as a person runs it: progress on stderr, where each report stands on stdout."""

from __future__ import annotations

from tests.billbot.terminal.test_console import PLANTED, billbot


def test_sync_of_the_embedded_sandbox_shows_progress_and_says_it_does_not_keep() -> None:
    result = billbot("sync")
    assert result.returncode == 0, result.stderr
    assert "this cache lasts only for this run" in result.stderr
    assert "usage_messages 1h: 2026-11-11 00:00 → 2026-11-18 00:00, 4,562 rows" in result.stderr  # a chunk
    (cost, usage) = result.stdout.strip().splitlines()
    assert cost.startswith("cost_report (1d): synced through 2026-11-22 00:00 UTC; fetched ")
    assert usage.startswith("usage_messages (1h): synced through 2026-11-21 23:00 UTC; fetched ")


def test_sync_against_an_unreachable_api_is_exit_1_without_the_key() -> None:
    result = billbot("sync", ANTHROPIC_ADMIN_KEY=PLANTED, ANTHROPIC_BASE_URL="http://127.0.0.1:9")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: Could not reach the Admin API")
    assert PLANTED not in result.stdout + result.stderr
