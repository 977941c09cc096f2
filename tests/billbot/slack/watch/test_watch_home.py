"""App Home lists the active alerts with their buttons; a click there changes the alert and the tab."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from billbot.slack.home_alerts import MAX_HOME_ALERTS, alert_blocks
from billbot.slack.home_view import MAX_HOME_BLOCKS
from billbot.watch.alert_store import StoredAlert
from billbot.watch.alerts import Alert
from billbot.watch.findings import Finding
from billbot.watch.scope import ORGANIZATION
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import home_opened, interaction, post_signed
from tests.billbot.slack.watch.support import World, serve_world, thread


@pytest.fixture
def world(fake: FakeSlack, tmp_path: Path) -> Iterator[World]:
    yield from serve_world(fake, tmp_path / "watch.db")


def test_the_home_tab_shows_the_active_alerts_with_their_buttons(world: World) -> None:
    world.run()
    [stored] = world.watch.service.alerts(active_only=True)
    assert (
        post_signed(world.url, home_opened("U7", "EvWatchHome1"), content_type="application/json")[0] == 200
    )
    [published] = world.fake.wait_for("views.publish", timeout=20)
    view = published["view"]
    text = json.dumps(view)
    assert "Active alerts" in text and f"*#{stored.id}* The bill for" in text
    actions = [b for b in view["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]][-1] == "watch_dispute"
    assert len(view["blocks"]) <= MAX_HOME_BLOCKS

    click = interaction(
        "block_actions", "U7", "9.home", container={"type": "view", "view_id": "VHOME"},
        view={"id": "VHOME", "type": "home"},
        actions=[{"type": "button", "action_id": "watch_acknowledge", "block_id": f"watch_alert:{stored.id}",
                  "value": str(stored.id), "action_ts": "1.3"}],
    )  # fmt: skip
    assert post_signed(world.url, click) == (200, "")
    republished = world.fake.wait_for("views.publish", count=2, timeout=20)[1]
    assert "acknowledged by <@U7>" in json.dumps(republished["view"])
    assert stored.message_ts is not None
    assert thread(world.fake, stored.message_ts) == ["<@U7> acknowledged this alert."]


def test_many_alerts_stay_within_the_tab_and_say_how_many_more() -> None:
    now = datetime(2026, 11, 15, tzinfo=UTC)
    finding = Finding("anomaly", ORGANIZATION, "warning", "2026-11-15T00", None, "Costs are up")
    alerts = [
        StoredAlert(i, Alert(finding, "firing", now, now, 0, True), "C1", "1.1", 1, 1) for i in range(1, 30)
    ]
    blocks = alert_blocks(alerts)
    assert len(blocks) == 1 + 2 * MAX_HOME_ALERTS + 1
    assert "and 19 more" in json.dumps(blocks[-1])
    assert alert_blocks([])[0]["text"]["text"] == "*Active alerts*\nNo active alerts."
