"""The alert buttons end to end: signed clicks to the app on 127.0.0.1, the change saved, the message
edited, who did it said in the thread — once, whatever Slack retries — and "Draft a dispute" filing a
ticket that carries the reconciliation evidence, linked from the alert."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from billbot.watch.alert_store import StoredAlert
from tests.billbot.slack.conftest import settle
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import post_signed
from tests.billbot.slack.watch.support import (
    ALERTS,
    TICKETS,
    World,
    click,
    serve_world,
    thread,
    wait_updates,
)


@pytest.fixture
def world(fake: FakeSlack, tmp_path: Path) -> Iterator[World]:
    yield from serve_world(fake, tmp_path / "watch.db")


def reconciliation(world: World) -> StoredAlert:
    """The overcharged day's alert, posted in the alert channel."""
    [stored] = [
        a for a in world.watch.service.alerts(active_only=False) if a.alert.finding.rule == "reconciliation"
    ]
    assert stored.message_ts is not None and stored.channel_id == ALERTS
    return stored


def wait_thread(world: World, ts: str, count: int) -> list[str]:
    end = time.monotonic() + 10
    while time.monotonic() < end:
        replies = thread(world.fake, ts)
        if len(replies) >= count:
            return replies
        time.sleep(0.02)
    raise AssertionError(f"{count} replies expected; the thread has {thread(world.fake, ts)}")


def test_acknowledge_edits_the_message_says_who_in_the_thread_and_a_retry_changes_nothing(
    world: World,
) -> None:
    world.run()
    alert = reconciliation(world)
    ts = alert.message_ts
    assert ts is not None
    body = click("watch_acknowledge", alert.id, user="U7")
    assert post_signed(world.url, body) == (200, "")
    assert wait_thread(world, ts, 1) == ["<@U7> acknowledged this alert."]
    [edit] = wait_updates(world.fake, ts, 1)
    assert "acknowledged by <@U7>" in json.dumps(edit["blocks"])
    assert "watch_acknowledge" not in json.dumps(edit["blocks"])  # done: its button is gone

    calls = len(world.fake.effects())
    assert post_signed(
        world.url, body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"}
    ) == (
        200,
        "",
    )  # Slack's retry of the same click (same trigger): turned away
    settle()
    assert len(world.fake.effects()) == calls

    assert post_signed(world.url, click("watch_acknowledge", alert.id, user="U8")) == (200, "")
    [told] = world.fake.wait_for("chat.postEphemeral")
    assert told["user"] == "U8" and "Nothing to change" in told["text"]
    settle()
    assert thread(world.fake, ts) == ["<@U7> acknowledged this alert."]
    assert world.watch.service.alert(alert.id).alert.acknowledged_by == "U7"


def test_snooze_and_feedback_are_saved_shown_and_told_once_each(world: World) -> None:
    world.advance(1)
    world.run()
    alert = reconciliation(world)
    ts = alert.message_ts
    assert ts is not None
    now = world.now()
    for count, action in enumerate(("watch_snooze_day", "watch_expected", "watch_not_expected"), start=1):
        assert post_signed(world.url, click(action, alert.id)) == (200, "")
        wait_thread(world, ts, count)
    replies = thread(world.fake, ts)
    assert replies[0] == f"<@U1> snoozed this alert until {now + timedelta(days=1):%a %d %b %H:%M} UTC."
    assert replies[1:] == ["<@U1> marked this alert expected.", "<@U1> marked this alert not expected."]
    stored = world.watch.service.alert(alert.id).alert
    assert stored.snoozed_until == now + timedelta(days=1)
    assert stored.feedback == "not_expected" and stored.feedback_by == "U1"
    last = wait_updates(world.fake, ts, 3)[2]
    assert "marked not expected" in json.dumps(last["blocks"])

    assert post_signed(world.url, click("watch_snooze_period", alert.id)) == (200, "")
    [_, _, _, until_period] = wait_thread(world, ts, 4)
    end = alert.alert.finding.period_end
    assert end is not None and end <= now  # a past day's bill: its period is over, so until tomorrow
    assert until_period == "<@U1> snoozed this alert until Mon 16 Nov 00:00 UTC."


def test_draft_a_dispute_files_a_ticket_with_the_reconciliation_evidence_and_links_it(world: World) -> None:
    world.run()
    alert = reconciliation(world)
    ts = alert.message_ts
    assert ts is not None
    data = alert.alert.finding.data
    assert post_signed(world.url, click("watch_dispute", alert.id, user="U5")) == (200, "")
    [note] = wait_thread(world, ts, 1)
    assert note.startswith("<@U5> drafted a dispute: ticket #1")

    ticket = world.tickets.service.get(1)
    claim = ticket.claim
    assert ticket.channel_id == TICKETS and ticket.filed_by == "U5"
    assert claim.kind == "dispute" and claim.category == "overcharge"
    assert claim.amount == Decimal(data["difference_usd"]) and claim.amount > 0
    assert f"{claim.transaction_at:%Y-%m-%d}" == data["day"]  # the deadline counts from the charge
    evidence = {e.kind: e.value for e in claim.evidence}
    assert data["billed_usd"][:4] in evidence["reconciliation"] or "billed $" in evidence["reconciliation"]
    assert "usage × published price list" in evidence["reconciliation"]
    assert evidence["affected_hours"].startswith(data["affected_hours"])
    lines = [e.value for e in claim.evidence if e.kind == "reconciliation_line"]
    assert lines == list(alert.alert.finding.evidence)
    assert ticket.deadline is not None and ticket.deadline > claim.transaction_at

    world.fake.wait_for("chat.update")
    header = [
        b
        for b in world.fake.bodies("chat.postMessage")
        if b.get("channel") == TICKETS and not b.get("thread_ts")
    ]
    assert len(header) == 1  # the ticket's own thread
    [edit] = wait_updates(world.fake, ts, 1)
    shown = json.dumps(edit["blocks"])
    assert "Dispute drafted: ticket #1" in shown and "watch_dispute" not in shown

    assert post_signed(world.url, click("watch_dispute", alert.id, user="U6")) == (200, "")
    settle()
    assert len(world.tickets.service.tickets(include_resolved=True)) == 1
    assert thread(world.fake, ts) == [note]
