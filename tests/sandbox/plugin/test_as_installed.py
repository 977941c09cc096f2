"""A user's test file, using only the plugin's fixture and marker, run by pytest in a child process.

The plugin is found through its `pytest11` entry point in the installed package: the child runs in an
empty directory with no conftest and no configuration of this project. The first test uses this
environment's billbot; the second builds a fresh virtual environment, installs `billbot[testing]`
into it from this checkout (not editable: billbot with the SDK, pytest and pytest-asyncio), and runs
the same file there. It takes a
minute or two and the package index, so it runs where `BILLBOT_TEST_FRESH_VENV=required` (`.ci/run`
sets it) and is skipped elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[3]

USER_TESTS = """
import anthropic
import pytest

HELLO = [{"role": "user", "content": "hello"}]


def test_my_agent_gets_an_answer(anthropic_sandbox):
    reply = anthropic_sandbox.client.messages.create(model="claude-sonnet-5", max_tokens=64, messages=HELLO)
    assert reply.content[0].text


@pytest.mark.anthropic_sandbox(scenario="credit-exhaustion", seed=1)
def test_my_agent_stops_when_credits_run_out(anthropic_sandbox):
    with pytest.raises(anthropic.BadRequestError, match="credit balance is too low"):
        for _ in range(1000):
            anthropic_sandbox.client.messages.create(model="claude-sonnet-5", max_tokens=300, messages=HELLO)


@pytest.mark.anthropic_sandbox(scenario="rate-limit-storm")
def test_my_agent_waits_out_a_429(anthropic_sandbox):
    for _ in range(20):
        try:
            anthropic_sandbox.client.messages.create(model="claude-sonnet-5", max_tokens=16, messages=HELLO)
        except anthropic.RateLimitError as limited:
            anthropic_sandbox.advance(int(limited.response.headers["retry-after"]))
    assert anthropic_sandbox.requests(outcome="rate_limit")


def test_my_agent_survives_an_overload(anthropic_sandbox):
    anthropic_sandbox.faults(overload_minutes=5)
    with pytest.raises(anthropic.InternalServerError):
        anthropic_sandbox.client.messages.create(model="claude-sonnet-5", max_tokens=16, messages=HELLO)
    anthropic_sandbox.advance(300)
    assert anthropic_sandbox.client.messages.create(model="claude-sonnet-5", max_tokens=16, messages=HELLO)


@pytest.mark.asyncio
async def test_my_async_agent(anthropic_sandbox):
    reply = await anthropic_sandbox.async_client.messages.create(
        model="claude-haiku-5-5", max_tokens=32, messages=HELLO
    )
    assert reply.model == "claude-haiku-5-5"
"""


def test_a_users_test_file_passes_with_only_the_fixture_and_marker(tmp_path: Path) -> None:
    (tmp_path / "test_my_agent.py").write_text(textwrap.dedent(USER_TESTS))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "PYTHONPATH"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error::ResourceWarning"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout


@pytest.mark.skipif(
    os.environ.get("BILLBOT_TEST_FRESH_VENV") != "required",
    reason="builds a virtual environment from the package index: BILLBOT_TEST_FRESH_VENV=required (.ci/run)",
)
def test_a_users_test_file_passes_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    env_dir, project = tmp_path / "venv", tmp_path / "project"
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    install = [python, "-m", "pip", "install", "--quiet", f"billbot[testing] @ {CHECKOUT.as_uri()}"]
    installed = subprocess.run(install, capture_output=True, text=True, timeout=900, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    project.mkdir()
    (project / "test_my_agent.py").write_text(textwrap.dedent(USER_TESTS))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "PYTHONPATH"))}
    result = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout


def test_strict_markers_accept_the_plugins_marker(tmp_path: Path) -> None:
    (tmp_path / "test_marked.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.anthropic_sandbox(seed=2)\n"
        "def test_it(anthropic_sandbox):\n"
        "    assert anthropic_sandbox.balance == 100\n\n"
        "@pytest.mark.anthropic_sandbox(colour='red')\n"
        "def test_a_typo(anthropic_sandbox):\n"
        "    pass\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "1 passed" in result.stdout and "unknown option(s) ['colour']" in result.stdout + result.stderr
