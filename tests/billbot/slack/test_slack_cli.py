"""`billbot serve` and `billbot socket` as an operator runs them: real process, real port, clear errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN, command_form, post_signed

SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL")


def environment(**env: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ANTHROPIC_", "DATABASE_URL", "BILLBOT_")) and k not in SLACK_VARS
    }
    return {**clean, "PYTHONUNBUFFERED": "1", **env}


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "billbot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment(**env),
    )


def test_serve_answers_signed_commands_and_health_checks(fake: FakeSlack, tmp_path: Path) -> None:
    env = environment(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'billbot.db'}",  # tickets live in the configured store
    )  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "billbot", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("billbot listening on http://127.0.0.1:"), line
        root = line.split()[-1]
        with urllib.request.urlopen(f"{root}/healthz", timeout=5) as response:
            assert response.status == 200 and response.read() == b'{"ok":true}'
        started = time.monotonic()
        assert post_signed(f"{root}/slack/events", command_form("/claude-help", "")) == (200, "")
        assert time.monotonic() - started < 3
        (posted,) = fake.wait_for("chat.postEphemeral", timeout=20)
        assert posted["blocks"][0]["text"]["text"] == "billbot commands"
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert TOKEN not in err and SECRET not in err


def test_serve_without_slack_credentials_says_what_to_set() -> None:
    result = run("serve", "--port", "0")
    assert result.returncode == 2
    assert (
        "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET" in result.stderr and "Traceback" not in result.stderr
    )


def test_socket_mode_needs_an_app_token() -> None:
    result = run("socket", SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET)
    assert result.returncode == 2
    assert "Socket Mode needs SLACK_APP_TOKEN" in result.stderr and TOKEN not in result.stderr


def test_serve_refuses_an_unknown_provider_profile(tmp_path: Path) -> None:
    result = run(
        "serve", "--port", "0", SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
        DATABASE_URL=f"sqlite:///{tmp_path / 'billbot.db'}", BILLBOT_PROVIDER="acme",
    )  # fmt: skip
    assert result.returncode == 2
    assert (
        "BILLBOT_PROVIDER='acme' is not a provider profile (anthropic, claudeapi-cheap, claudeapi-com)"
        in (result.stderr)
    )


def test_serve_names_the_file_and_field_of_a_broken_profile(tmp_path: Path) -> None:
    (tmp_path / "acme.toml").write_text('id = "acme"\nname = "Acme"\n')
    result = run(
        "serve", "--port", "0", SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
        DATABASE_URL=f"sqlite:///{tmp_path / 'billbot.db'}", BILLBOT_PROFILES_DIR=str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 2
    assert "acme.toml" in result.stderr and "Traceback" not in result.stderr


def test_a_port_in_use_from_the_environment_is_named_in_the_error() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", PORT=str(port), SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "None" not in result.stderr
