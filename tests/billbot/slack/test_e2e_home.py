"""App Home: a signed `app_home_opened` event publishes the dashboard for that user (≤100 blocks)."""

from __future__ import annotations

import json

from tests.billbot.slack.conftest import Served, settle
from tests.billbot.slack.signed import home_opened, post_signed


def test_opening_the_home_tab_publishes_the_dashboard(served: Served) -> None:
    assert post_signed(served.url, home_opened("U7", "EvHome1"), content_type="application/json")[0] == 200
    (published,) = served.fake.wait_for("views.publish", timeout=20)
    assert published["user_id"] == "U7"
    view = published["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = json.dumps(view, ensure_ascii=False)
    for part in ("Balance and runway", "Balance (simulated)", "Runway", "Month to date", "Billed"):
        assert part in text
    assert "Nearest limit" in text and "Needs attention" in text
    assert "sandbox · simulated org 'demo'" in text


def test_a_retried_home_event_publishes_once_and_the_messages_tab_publishes_nothing(served: Served) -> None:
    event = home_opened("U7", "EvHome2")
    assert post_signed(served.url, event, content_type="application/json")[0] == 200
    served.fake.wait_for("views.publish", timeout=20)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert post_signed(served.url, event, content_type="application/json", headers=retry)[0] == 200
    messages_tab = home_opened("U7", "EvHome3").replace('"tab": "home"', '"tab": "messages"')
    assert post_signed(served.url, messages_tab, content_type="application/json")[0] == 200
    settle(0.5)
    assert len(served.fake.bodies("views.publish")) == 1
