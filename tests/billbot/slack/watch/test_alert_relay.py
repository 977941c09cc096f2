"""Alerts end to end through the fake Slack: a budget crossing posts one message; the next level edits
it and says so in its thread once; recovery is told in the thread; nothing is posted twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import ROUND_UP, Decimal
from pathlib import Path

import pytest

from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.watch.support import BUDGETS, World, serve_world, thread, top_level, updates


@pytest.fixture
def world(fake: FakeSlack, tmp_path: Path) -> Iterator[World]:
    yield from serve_world(fake, tmp_path / "watch.db")


def test_a_budget_crossing_posts_one_alert_the_next_level_updates_it_and_recovery_is_threaded(
    world: World,
) -> None:
    world.advance(8)  # a working morning of traffic on the day after the scenario's 14 days
    world.set_budget(Decimal(1_000_000))
    spent = world.spent_today()
    assert spent > 0
    world.set_budget((spent / Decimal("0.6")).quantize(Decimal("0.01"), rounding=ROUND_UP))  # 60% spent
    world.run()

    [message] = top_level(world.fake, BUDGETS)
    shown = json.dumps(message["blocks"])
    assert "has spent" in shown and "daily budget" in shown
    assert "(60%)" in shown or "(59%)" in shown
    buttons = [e["action_id"] for e in message["blocks"][-1]["elements"]]
    assert buttons == ["watch_acknowledge", "watch_snooze_day", "watch_snooze_period", "watch_expected",
                       "watch_not_expected"]  # fmt: skip
    assert "Draft a dispute" not in shown  # only reconciliation alerts dispute a charge
    ts = message_ts(world, BUDGETS)

    assert world.run() == 0  # the same data again: nothing new, nothing edited
    assert thread(world.fake, ts) == [] and updates(world.fake, ts) == []

    world.advance(12)  # the afternoon and evening: well past the whole budget
    world.run()
    assert len(top_level(world.fake, BUDGETS)) == 1
    [reply] = thread(world.fake, ts)
    assert reply.startswith("Now 100%:")
    [edit] = updates(world.fake, ts)
    assert edit["channel"] == BUDGETS and "100%" in json.dumps(edit["blocks"])

    world.set_budget(spent * 100)  # the budget raised far above the day's spend: the condition clears
    world.run()
    replies = thread(world.fake, ts)
    assert len(replies) == 2 and replies[1].startswith("Recovered:")
    assert "recovered" in json.dumps(updates(world.fake, ts)[-1]["blocks"])
    assert world.run() == 0 and len(thread(world.fake, ts)) == 2 and len(top_level(world.fake, BUDGETS)) == 1


def test_the_reconciliation_alert_shows_its_figures_evidence_and_the_dispute_button(world: World) -> None:
    world.run()
    [message] = [m for m in top_level(world.fake, "CALERTS") if "reconciliation" in json.dumps(m["blocks"])]
    shown = json.dumps(message["blocks"])
    assert "Critical" in shown and "Billed" in shown and "Usage \\u00d7 price list" in shown
    assert "Difference" in shown and "Hours with usage" in shown
    assert message["blocks"][-1]["elements"][-1]["action_id"] == "watch_dispute"


def test_a_message_slack_refuses_holds_up_no_other_alert_and_is_posted_later_once(world: World) -> None:
    world.advance(8)
    world.set_budget(Decimal("0.01"))  # the budget alert goes to its own channel, the reconciliation's not
    world.fake.fail_once("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"}, {})
    world.run()
    posted = [m["channel"] for m in world.fake.bodies("chat.postMessage")]
    assert posted[0] != posted[-1] and len(posted) == 2  # the refused one, then the other alert
    world.run()  # the next tick posts the refused alert's message
    channels = sorted(m["channel"] for m in world.fake.bodies("chat.postMessage"))
    assert channels == sorted(["CALERTS", "CBUDGETS", posted[0]])
    assert world.run() == 0


def message_ts(world: World, channel: str) -> str:
    """The ts the store recorded for the one alert message in `channel`."""
    [stored] = [a for a in world.watch.service.alerts(active_only=False) if a.channel_id == channel]
    assert stored.message_ts is not None
    return stored.message_ts
