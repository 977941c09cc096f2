"""`billbot ask` as a user runs it: the embedded sandbox by default, exit codes, no secret in output."""

from __future__ import annotations

import os
import subprocess
import sys

PLANTED = "sk-ant-admin01-PLANTED-ask-secret-xyz"


def ask(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "billbot", "ask", command],
        capture_output=True, text=True, timeout=120, env={**clean, **env},
    )  # fmt: skip


def test_spend_by_model_from_the_embedded_sandbox_is_labelled_simulated() -> None:
    result = ask("/claude-spend 7d by model")
    assert result.returncode == 0, result.stderr
    assert "source: sandbox · simulated org 'demo'" in result.stdout
    assert "claude-sonnet-5" in result.stdout and "Billed" in result.stdout


def test_bad_input_is_exit_2_with_the_usage_line_and_no_traceback() -> None:
    result = ask("/claude-spend by colour")
    assert result.returncode == 2
    assert "usage: /claude-spend [PERIOD]" in result.stderr and "Traceback" not in result.stderr


def test_an_unreachable_api_is_exit_1_and_never_shows_the_key() -> None:
    result = ask("/claude-spend", ANTHROPIC_ADMIN_KEY=PLANTED, ANTHROPIC_BASE_URL="http://127.0.0.1:9")
    assert result.returncode == 1
    assert "Could not reach the Admin API" in result.stderr and "ANTHROPIC_BASE_URL" in result.stderr
    assert PLANTED not in result.stdout + result.stderr
