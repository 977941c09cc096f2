"""Socket Mode against a local fake Socket Mode endpoint: the same app, no HTTP, no signature."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from billbot.runtime import Runtime
from billbot.settings import Settings
from billbot.slack.app import create_app
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.fake_socket_mode import FakeSocketMode
from tests.billbot.slack.signed import SECRET, TOKEN

APP_TOKEN = "xapp-1-PLANTED-app-token"


@pytest.fixture
def socket_mode() -> Iterator[FakeSocketMode]:
    endpoint = FakeSocketMode()
    yield endpoint
    endpoint.close()


def test_a_slash_command_over_socket_mode_is_acked_and_answered(
    fake: FakeSlack, socket_mode: FakeSocketMode, demo: Runtime
) -> None:
    fake.socket_url = socket_mode.url
    settings = Settings(
        ANTHROPIC_ADMIN_KEY=None, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url
    )
    app = create_app(settings, demo.services(), now=demo.now)
    handler = SocketModeHandler(app, APP_TOKEN)
    handler.connect()  # type: ignore[no-untyped-call]
    try:
        assert fake.wait_for("apps.connections.open")
        command = {"team_id": "T1", "channel_id": "C1", "user_id": "U1", "command": "/claude-help",
                   "text": "", "trigger_id": "9.9.socket", "response_url": fake.hook}  # fmt: skip
        socket_mode.send(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": command,
            }
        )
        assert socket_mode.wait_for_ack("env-1")["envelope_id"] == "env-1"
        (posted,) = fake.wait_for("chat.postEphemeral")
        assert posted["blocks"][0]["text"]["text"] == "billbot commands"
    finally:
        handler.close()  # type: ignore[no-untyped-call]
