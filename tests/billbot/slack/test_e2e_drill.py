"""Drills in a channel end to end: a signed /claude-drill, the thread step by step, clicks, the scorecard.

The drill's pace is a gate the test opens one step (10 simulated minutes) at a time, so nothing waits
for real minutes and nothing depends on how fast this machine is.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from billbot.app.whatif_runs import WhatIfRuns
from billbot.drills.runs import DrillRuns
from billbot.runtime import Runtime
from billbot.settings import Settings
from billbot.slack.app import create_app
from billbot.slack.drill import DrillDesk
from billbot.slack.server import EVENTS_PATH
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from sandbox.world import CREDIT_TOO_LOW
from tests.billbot.slack.conftest import ADMIN, run_app, settle
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN, command_form, interaction, post_signed

MEMBERS = {"U1", "U2"}


class Gate:
    """The drills' pace: each drill's thread waits at every step until the test lets all of them through.

    `step(n)` lets every drill take `n` more steps and returns once each is waiting again.
    """

    def __init__(self, drills: int = 1) -> None:
        self.cond = threading.Condition()
        self.drills = drills
        self.permitted = 0
        self.paced: dict[str, int] = {}
        self.open = False

    def pace(self) -> None:
        name = threading.current_thread().name
        with self.cond:
            self.paced[name] = self.paced.get(name, 0) + 1
            self.cond.notify_all()
            self.cond.wait_for(lambda: self.permitted >= self.paced[name] or self.open, timeout=60)

    def reached(self) -> None:
        """Every drill is waiting at the current step."""
        with self.cond:
            waiting = self.cond.wait_for(
                lambda: (
                    len(self.paced) >= self.drills
                    and all(paced > self.permitted for paced in self.paced.values())
                ),
                timeout=60,
            )
            assert waiting, "the drill did not step"

    def step(self, steps: int = 1) -> None:
        with self.cond:
            self.permitted += steps
            self.cond.notify_all()
        self.reached()

    def finish(self) -> None:
        with self.cond:
            self.open = True
            self.cond.notify_all()


@pytest.fixture
def runs(tmp_path: Path) -> DrillRuns:
    engine = make_engine(f"sqlite:///{tmp_path / 'billbot.db'}")
    migrate(engine)
    return DrillRuns(engine)


@pytest.fixture
def gate() -> Iterator[Gate]:
    gate = Gate()
    yield gate
    gate.finish()


@pytest.fixture
def url(fake: FakeSlack, demo: Runtime, runs: DrillRuns, gate: Gate) -> Iterator[str]:
    settings = Settings(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url, BILLBOT_ADMINS=ADMIN
    )
    client = WebClient(token=TOKEN, base_url=fake.url)
    fake.members["C1"] = sorted(MEMBERS)  # conversations.members, answered at the wire
    desk = DrillDesk(runs, client, demo.now, seconds_per_hour=6, poll_s=1, pace=gate.pace)
    root, stop = run_app(create_app(settings, demo.services(), now=demo.now, drills=desk))
    yield root + EVENTS_PATH
    stop()
    gate.finish()
    desk.close()  # drills still playing end (scored) before the fake Slack goes away


def thread(fake: FakeSlack, ts: str) -> list[str]:
    """The texts posted in the drill's thread, in order."""
    return [b["text"] for b in fake.bodies("chat.postMessage") if b.get("thread_ts") == ts]


def click(button: dict[str, Any], *, user: str = "U1", action_ts: str = "7.1") -> str:
    return interaction(
        "block_actions", user, f"click-{user}-{action_ts}",
        container={"type": "message", "message_ts": "1.1", "channel_id": "C1", "is_ephemeral": False},
        channel={"id": "C1", "name": "billing"},
        actions=[{"type": "button", "action_id": button["action_id"], "block_id": "drill_actions_1",
                  "value": button["value"], "text": button["text"], "action_ts": action_ts}],
    )  # fmt: skip


def test_a_drill_thread_with_timed_events_an_alert_a_click_and_the_scorecard(
    fake: FakeSlack, url: str, runs: DrillRuns, gate: Gate
) -> None:
    status, body = post_signed(url, command_form("/claude-drill", "credit-exhaustion seed 1"))
    assert (status, body) == (200, "")
    headline = fake.wait_for("chat.postMessage", timeout=20)[0]
    assert headline["channel"] == "C1" and "Drill credit-exhaustion" in headline["text"]
    blocks = json.loads(headline["blocks"]) if isinstance(headline["blocks"], str) else headline["blocks"]
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    [buy] = [b for b in buttons if b["text"]["text"] == "Buy $500 of credits"]
    gate.reached()
    gate.step(6)  # to 01:10 simulated: the balance ran out at about 00:50, the first failure at 00:59
    ts = _thread_ts(fake)
    posted = thread(fake, ts)
    assert any(t.startswith(":stopwatch: 00:00") and "none failed" in t for t in posted)
    assert any(":bell:" in t and "balance_low" in t for t in posted)  # the watch's own rule
    assert any(t.startswith(":stopwatch: 00:30") and f"400 “{CREDIT_TOO_LOW}”" in t for t in posted)

    assert post_signed(url, click(buy))[0] == 200
    assert post_signed(url, click(buy), headers={"X-Slack-Retry-Num": "1"})[0] == 200  # a retry
    settle(0.5)
    gate.step(1)
    posted = thread(fake, ts)
    echoes = [t for t in posted if t.startswith(":point_right:")]
    assert len(echoes) == 1 and "<@U1>" in echoes[0] and "bought $500.00" in echoes[0]

    gate.step(3)  # the half hour after the purchase: served again, nothing failed
    assert any(t.startswith(":stopwatch: 01:00") and "none failed" in t for t in thread(fake, ts))

    gate.finish()
    card = _wait(lambda: [b for b in fake.bodies("chat.postMessage") if "Drill scorecard" in b["text"]])
    assert card[0]["thread_ts"] == ts
    [run] = runs.history("C1")
    assert run.drill == "credit-exhaustion" and run.ended_by == "time"
    assert run.requests_failed is not None and run.requests_failed <= 1 and run.time_to_recover_s is not None
    assert json.loads(run.scorecard or "{}")["runbook"]["taken"] == ["topup"]


def test_a_retried_action_key_is_applied_once_and_non_members_cannot_act(
    fake: FakeSlack, url: str, runs: DrillRuns, gate: Gate
) -> None:
    post_signed(url, command_form("/claude-drill", "overload-burst"))
    fake.wait_for("chat.postMessage", timeout=20)
    gate.reached()
    [run] = runs.unfinished()
    assert run.id is not None
    headline = fake.bodies("chat.postMessage")[0]
    blocks = headline["blocks"] if isinstance(headline["blocks"], list) else json.loads(headline["blocks"])
    buttons = {e["text"]["text"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}
    assert post_signed(url, click(buttons["Back off"], user="U9", action_ts="8.1"))[0] == 200
    refusal = _wait(lambda: fake.bodies("chat.postEphemeral"))
    assert "Only members of <#C1>" in refusal[0]["text"]
    assert runs.actions(run.id) == []
    # The same click delivered twice with different trigger ids (the dedupe table cannot tell): once.
    first = click(buttons["Back off"], action_ts="8.2")
    again = first.replace("click-U1-8.2", "click-U1-8.2-retry")
    assert post_signed(url, first)[0] == 200 and post_signed(url, again)[0] == 200
    settle(0.5)
    assert [a.text for a in runs.actions(run.id)] == ["backoff"]
    gate.step(1)
    echoes = [b["text"] for b in fake.bodies("chat.postMessage") if b["text"].startswith(":point_right:")]
    assert len(echoes) == 1 and "`backoff`" in echoes[0]


def test_history_and_list_answer_the_asker(fake: FakeSlack, url: str) -> None:
    assert post_signed(url, command_form("/claude-drill", "history"))[0] == 200
    answer = _wait(lambda: fake.bodies("chat.postEphemeral"))[0]
    assert "Drill history" in answer["text"]
    status, body = post_signed(url, command_form("/claude-drill", "fire-drill"))
    assert status == 200 and "no drill named 'fire-drill'" in json.loads(body)["text"]


def _thread_ts(fake: FakeSlack) -> str:
    """The drill's thread: where its timed events go."""
    return str(next(b["thread_ts"] for b in fake.bodies("chat.postMessage") if b.get("thread_ts")))


def _wait(found: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = found()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError("nothing arrived")


def test_a_drill_a_restart_interrupted_is_marked_and_its_thread_told(
    fake: FakeSlack, demo: Runtime, runs: DrillRuns
) -> None:
    run = runs.claim("trigger:left", "tier-cap", 0, by="U1", channel="C1", now=demo.now())
    assert run is not None and run.id is not None
    runs.started(run.id, "1700000000.000001")
    settings = Settings(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url)
    kept = WhatIfRuns(runs.engine)  # the app's store: what-ifs and drills alike
    _, stop = run_app(create_app(settings, demo.services(), now=demo.now, whatif_runs=kept))
    try:
        told = _wait(lambda: [b for b in fake.bodies("chat.postMessage") if "restarted" in b["text"]])
        assert told[0]["thread_ts"] == "1700000000.000001"
        assert runs.get(run.id).status == "interrupted" and runs.unfinished() == []
    finally:
        stop()


def test_two_drills_at_once_do_not_mix(fake: FakeSlack, url: str, runs: DrillRuns, gate: Gate) -> None:
    gate.drills = 2
    post_signed(url, command_form("/claude-drill", "credit-exhaustion seed 1", trigger="one"))
    post_signed(url, command_form("/claude-drill", "credit-exhaustion seed 1", channel="C2", trigger="two"))
    gate.reached()
    first = next(
        b for b in fake.bodies("chat.postMessage") if b["channel"] == "C1" and not b.get("thread_ts")
    )
    blocks = first["blocks"] if isinstance(first["blocks"], list) else json.loads(first["blocks"])
    [buy] = [
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"].startswith("Buy")
    ]
    gate.step(6)
    assert post_signed(url, click(buy))[0] == 200  # in C1, on the first drill only
    settle(0.5)
    gate.finish()

    def scorecards() -> list[dict[str, Any]]:
        posted = [b for b in fake.bodies("chat.postMessage") if "Drill scorecard" in b["text"]]
        return posted if len(posted) == 2 else []

    cards = _wait(scorecards)
    assert {card["channel"] for card in cards} == {"C1", "C2"}
    one, two = runs.history("C1"), runs.history("C2")
    assert one[0].requests_failed is not None and two[0].requests_failed is not None
    assert one[0].requests_failed < two[0].requests_failed == 60
    echoes = [b for b in fake.bodies("chat.postMessage") if b["text"].startswith(":point_right:")]
    assert [b["channel"] for b in echoes] == ["C1"]


def test_where_slack_will_not_say_who_is_in_the_channel_nobody_acts(
    fake: FakeSlack, url: str, runs: DrillRuns, gate: Gate
) -> None:
    post_signed(url, command_form("/claude-drill", "overload-burst"))
    fake.wait_for("chat.postMessage", timeout=20)
    gate.reached()
    [run] = runs.unfinished()
    assert run.id is not None
    del fake.members["C1"]  # now conversations.members answers missing_scope, as without channels:read
    headline = fake.bodies("chat.postMessage")[0]
    blocks = headline["blocks"] if isinstance(headline["blocks"], list) else json.loads(headline["blocks"])
    buttons = {e["text"]["text"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}
    assert post_signed(url, click(buttons["Back off"], user="U1", action_ts="9.1"))[0] == 200
    refusal = _wait(lambda: fake.bodies("chat.postEphemeral"))
    assert "cannot see who is in <#C1>" in refusal[0]["text"] and "channels:read" in refusal[0]["text"]
    assert runs.actions(run.id) == []
