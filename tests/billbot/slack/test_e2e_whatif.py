"""What-ifs in a channel end to end: signed commands and clicks to the app on 127.0.0.1, the fake Slack."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from billbot.app.whatif_runs import WhatIfRuns
from billbot.runtime import Runtime
from billbot.settings import Settings
from billbot.slack.app import create_app
from billbot.slack.server import EVENTS_PATH
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from tests.billbot.slack.conftest import ADMIN, run_app, settle
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN, command_form, interaction, post_signed

LEVERS = "traffic x2 runs 40 seed 1"  # few runs: the answer is the same shape, sooner


@pytest.fixture
def store(tmp_path: Path) -> WhatIfRuns:
    engine = make_engine(f"sqlite:///{tmp_path / 'billbot.db'}")
    migrate(engine)
    return WhatIfRuns(engine)


@pytest.fixture
def url(fake: FakeSlack, demo: Runtime, store: WhatIfRuns) -> Iterator[str]:
    settings = Settings(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url, BILLBOT_ADMINS=ADMIN
    )
    root, stop = run_app(create_app(settings, demo.services(), now=demo.now, whatif_runs=store))
    yield root + EVENTS_PATH
    stop()


def thread_answers(fake: FakeSlack, count: int, timeout: float = 60) -> list[dict[str, Any]]:
    """The answers posted in a thread (messages with blocks and a thread_ts), waiting for `count`."""
    deadline = time.monotonic() + timeout
    while True:
        answers = [b for b in fake.bodies("chat.postMessage") if b.get("thread_ts") and b.get("blocks")]
        if len(answers) >= count or time.monotonic() > deadline:
            return answers
        time.sleep(0.05)


def rerun_click(button: dict[str, Any], *, action_ts: str = "1.2") -> str:
    return interaction(
        "block_actions", "U1", "5.mno",
        container={"type": "message", "message_ts": "1.1", "channel_id": "C1", "is_ephemeral": False},
        channel={"id": "C1", "name": "billing"},
        actions=[{"type": "button", "action_id": button["action_id"], "block_id": "whatif_rerun",
                  "value": button["value"], "text": button["text"], "action_ts": action_ts}],
    )  # fmt: skip


def test_a_whatif_is_a_thread_in_the_channel_with_a_chart_and_run_again_buttons(
    fake: FakeSlack, url: str, store: WhatIfRuns
) -> None:
    status, body = post_signed(url, command_form("/claude-whatif", LEVERS))
    assert (status, body) == (200, "")  # acked at once: the answer is for the channel
    headline = fake.wait_for("chat.postMessage", timeout=20)[0]
    assert headline["channel"] == "C1" and "thread_ts" not in headline
    assert "What if traffic x2" in headline["text"] and "simulating" in headline["text"]
    (answer,) = thread_answers(fake, 1)
    blocks = answer["blocks"]
    assert answer["text"] and len(blocks) <= 50
    (chart,) = [b for b in blocks if b["type"] == "data_visualization"]
    assert len(chart["title"]) <= 50 and 1 <= len(chart["chart"]["series"]) <= 6
    assert all(len(s["data"]) <= 20 and len(s["name"]) <= 20 for s in chart["chart"]["series"])
    assert "Spend if traffic x2" in answer["text"]  # the chart's fallback, for clients without charts
    # The headline is edited to its answer (other edits, e.g. progress, may come first).
    fake.wait_until(
        "chat.update", lambda u: u["text"].startswith(":crystal_ball: What if traffic x2"), timeout=20
    )
    buttons = blocks[-1]["elements"]
    assert blocks[-1]["type"] == "actions" and len(buttons) >= 2
    thread = answer["thread_ts"]

    first = rerun_click(buttons[0])
    assert post_signed(url, first)[0] == 200
    second = thread_answers(fake, 2)[1]
    assert second["thread_ts"] == thread  # the second result in the same thread
    changed = json.loads(buttons[0]["value"])["command"]
    assert changed == "/claude-whatif traffic x4 runs 40 seed 1"
    assert second["blocks"][0]["text"]["text"].startswith("What if traffic x4")
    # The same button clicked again (a new delivery) and a retried delivery start nothing new.
    assert post_signed(url, rerun_click(buttons[0], action_ts="9.9"))[0] == 200
    assert post_signed(url, first, headers={"X-Slack-Retry-Num": "1"})[0] == 200
    settle(2)
    assert len(thread_answers(fake, 3, timeout=0)) == 2
    assert [run.status for run in store.unfinished()] == []


def test_bad_levers_get_the_usage_line_and_an_example(fake: FakeSlack, url: str) -> None:
    status, body = post_signed(url, command_form("/claude-whatif", "traffic y2"))
    text = json.loads(body)["text"]
    assert status == 200 and "write a factor" in text and "Usage: `/claude-whatif LEVER…" in text
    assert "e.g. /claude-whatif traffic x2" in text
    settle()
    assert "chat.postMessage" not in fake.methods()


def test_a_restart_posts_a_computed_answer_once_without_computing_it_again(
    fake: FakeSlack, demo: Runtime, store: WhatIfRuns
) -> None:
    from billbot.app.command import Actor
    from billbot.app.replies.codec import response_to_json
    from billbot.app.replies.model import Response

    run = store.claim("trigger:left", f"/claude-whatif {LEVERS}", by="U1", channel="C1", thread_ts=None,
                      now=demo.now())  # fmt: skip
    assert run is not None and run.id is not None
    store.started(run.id, "1700000000.000001")
    store.computed(run.id, response_to_json(Response("What if traffic x2: kept", "sandbox")), demo.now())

    def never(text: str, actor: Actor) -> Response:
        raise AssertionError("a computed answer is not computed again")

    settings = Settings(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url)
    _, stop = run_app(create_app(settings, demo.services(), now=demo.now, whatif_runs=store, answer=never))
    try:
        (posted,) = fake.wait_for("chat.postMessage", timeout=20)
        assert posted["thread_ts"] == "1700000000.000001" and "kept" in posted["text"]
        settle(1)
        assert len(fake.bodies("chat.postMessage")) == 1 and store.unfinished() == []
    finally:
        stop()
