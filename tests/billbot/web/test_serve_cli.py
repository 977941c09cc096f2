"""`billbot serve` as an operator runs it: the page at / beside Slack's endpoint, its panels computed by
the same worker processes as Slack's answers, and a link from /claude-dashboard that signs in once."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN, command_form, post_signed
from tests.billbot.slack.test_slack_cli import environment


def test_serve_serves_the_page_with_answers_from_its_workers(tmp_path: Path) -> None:
    fake = FakeSlack()
    env = environment(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'billbot.db'}", BILLBOT_DEMO_AT="2026-11-22T00:00:00Z",
        BILLBOT_PUBLIC_URL="https://billbot.example.com",
    )  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "billbot", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("billbot listening on http://127.0.0.1:"), line
        root = line.split()[-1]
        with httpx.Client(
            base_url=root, headers={"origin": "https://billbot.example.com"}, timeout=60
        ) as web:
            assert web.get("/").status_code == 401
            assert post_signed(f"{root}/slack/events", command_form("/claude-dashboard", "", user="U9")) == (
                200,
                "",
            )
            (posted,) = fake.wait_for("chat.postEphemeral", timeout=60)
            link = re.search(r"https://billbot\.example\.com/signin\?token=([\w.\-]+)", json.dumps(posted))
            assert link, posted
            signed = web.post("/signin", data={"token": link.group(1)})
            assert signed.status_code == 303 and "Secure" in signed.headers["set-cookie"]  # an https page
            web.cookies.set("billbot_session", signed.cookies["billbot_session"])
            page = web.get("/")
            assert page.status_code == 200 and "Signed in as U9" in page.text
            assert page.text.count("Source: sandbox · simulated org &#x27;demo&#x27;") >= 6
            assert "$847.61 (through 2026-11-21)" in page.text  # computed in a worker, from the same demo
            assert web.post("/signin", data={"token": link.group(1)}).status_code == 410
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        fake.close()
    assert process.returncode == 0, err
    assert SECRET not in err and TOKEN not in err and link.group(1) not in err
