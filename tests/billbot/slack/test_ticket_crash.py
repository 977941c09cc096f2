"""A crash between saving a ticket and posting it: `billbot serve` killed with SIGKILL while Slack has
not yet taken the post; restarted, it posts the ticket's thread once. Real processes, a real SQLite
file, the fake Slack on 127.0.0.1 holding the first post unanswered."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN, post_signed
from tests.billbot.slack.test_slack_cli import environment
from tests.billbot.slack.ticket_support import choice, moment, text, values, view_submission

CHANNEL = "CTICKETS"


def start(fake: FakeSlack, store: Path) -> tuple[subprocess.Popen[str], str]:
    env = environment(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url,
        DATABASE_URL=f"sqlite:///{store}", BILLBOT_TICKET_CHANNEL=CHANNEL, BILLBOT_PROVIDER="claudeapi-com",
    )  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "billbot", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("billbot listening on http://127.0.0.1:"), line
    return process, line.split()[-1] + "/slack/events"


def stored(store: Path) -> tuple[list[tuple[int, str | None]], list[tuple[str, str | None]]]:
    with sqlite3.connect(store) as db:
        tickets = db.execute("SELECT id, header_ts FROM ticket").fetchall()
        events = db.execute("SELECT kind, posted_ts FROM ticket_event ORDER BY id").fetchall()
    return tickets, events


def filing(transaction_at: datetime) -> str:
    state = values(
        category=choice("duplicate_charge"), provider=choice("claudeapi-com"), when=moment(transaction_at),
        amount=text("12.50"), requests=text("req_011CCrash"), description=text("charged twice"),
    )  # fmt: skip
    return view_submission("ticket_file", state, {"kind": "dispute", "channel": "C1"}, view_id="VCRASH")


def test_a_ticket_saved_but_not_posted_when_killed_is_posted_once_on_restart(tmp_path: Path) -> None:
    store = tmp_path / "tickets.db"
    held = FakeSlack()
    held.hold("chat.postMessage")  # Slack never gets the header: the process dies waiting
    process, url = start(held, store)
    try:
        # The embedded sandbox's clock starts at the end of the demo's 90 days (2026-11-22).
        transaction = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
        assert post_signed(url, filing(transaction)) == (200, "")
        assert held.holding.wait(30), "the header post never started"
        tickets, events = stored(store)
        assert tickets == [(1, None)] and [kind for kind, _ in events] == ["filed", "evidence_file"]
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=10)  # and close its pipe
        held.close()
    assert held.bodies("chat.postMessage") == []

    fake = FakeSlack()
    process, _ = start(fake, store)
    try:
        fake.wait_for("files.completeUploadExternal", timeout=30)  # the last post the restart owes
        time.sleep(0.5)  # and nothing more comes
        posts = fake.bodies("chat.postMessage")
        headers = [p for p in posts if "thread_ts" not in p]
        assert len(headers) == 1 and headers[0]["channel"] == CHANNEL
        assert "Ticket #1" in json.dumps(headers[0]["blocks"])
        assert [p["text"] for p in posts if "thread_ts" in p] == [
            "<@U1> filed a dispute (Duplicate charge of $12.50) with ClaudeAPI.com."
        ]
        tickets, events = stored(store)
        thread = {p["thread_ts"] for p in posts if "thread_ts" in p}
        assert tickets[0][1] is not None and thread == {tickets[0][1]}
        assert all(posted is not None for _, posted in events)
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
        fake.close()
