"""`billbot console` as a person uses it: lines piped to the real process, over the embedded sandbox."""

from __future__ import annotations

import os
import subprocess
import sys

PLANTED = "sk-ant-admin01-PLANTED-console-secret-xyz"


def billbot(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "billbot", *args],
        input=stdin, capture_output=True, text=True, timeout=180, env={**clean, **env},
    )  # fmt: skip


def test_a_session_answers_each_line_survives_bad_input_and_ends_at_exit() -> None:
    lines = ["help", "/claude-spend 7d by model", "/claude-spend by colour", "", "usage yesterday", "exit"]
    result = billbot("console", stdin="\n".join([*lines, "/claude-help"]) + "\n")
    assert result.returncode == 0, result.stderr
    out, err = result.stdout, result.stderr
    assert "billbot console · sandbox · simulated org 'demo'" in out
    assert "/claude-spend [PERIOD]" in out and "exit or quit (or Ctrl-D)" in out  # help
    assert "Claude API spend · last 7 days" in out and "claude-sonnet-5" in out
    assert "error: 'by' takes one of model" in err and "usage: /claude-spend [PERIOD]" in err
    assert "Claude API usage · yesterday" in out  # "/claude-" may be left out
    assert out.count("billbot commands") == 1  # nothing is answered after exit
    assert err.count("answering from the embedded sandbox") == 1  # the source is opened once
    assert "Traceback" not in err


def test_end_of_input_leaves_like_exit() -> None:
    result = billbot("console", stdin="/claude-balance\n")
    assert result.returncode == 0, result.stderr
    assert "Balance (simulated)" in result.stdout and result.stdout.rstrip().endswith("billbot>")


def test_an_unreachable_source_is_exit_1_before_the_prompt_and_never_shows_the_key() -> None:
    result = billbot(
        "console",
        stdin="/claude-spend\n",
        ANTHROPIC_ADMIN_KEY=PLANTED,
        ANTHROPIC_BASE_URL="http://127.0.0.1:9",
    )
    assert result.returncode == 1
    assert "Could not reach the Admin API" in result.stderr and "billbot>" not in result.stdout
    assert PLANTED not in result.stdout + result.stderr
