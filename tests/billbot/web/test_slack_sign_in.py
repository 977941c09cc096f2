"""`/claude-dashboard` end to end: a signed slash command, an ephemeral link without a share button,
and that link signing the Slack user in on the page served by the same process."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.billbot.slack.signed import command_form, post_signed, share_form
from tests.billbot.web.conftest import Web, token_of


def ephemeral_to(web: Web, user: str, before: int) -> dict[str, Any]:
    """The ephemeral message posted to `user` after `before` earlier ones."""
    posted = web.fake.wait_for("chat.postEphemeral", count=before + 1, timeout=20)
    (found,) = [p for p in posted[before:] if p["user"] == user]
    return found


def test_the_command_answers_only_the_asker_with_a_link_that_signs_them_in(web: Web) -> None:
    before = len(web.fake.bodies("chat.postEphemeral"))
    status, body = post_signed(
        f"{web.url}/slack/events", command_form("/claude-dashboard", "", user="U0ASKER")
    )
    assert (status, body) == (200, "")
    posted = ephemeral_to(web, "U0ASKER", before)
    blocks = json.dumps(posted["blocks"], ensure_ascii=False)
    assert "share_answer" not in blocks  # never shareable: the link signs in as the asker
    assert "do not forward it" in blocks
    link = re.search(rf"{re.escape(web.url)}/signin\?token=[\w.\-%]+", blocks)
    assert link, blocks
    client = web.client()
    assert "U0ASKER" in client.get(link.group(0)).text
    assert client.post("/signin", data={"token": token_of(link.group(0))}).status_code == 303
    assert "Signed in as U0ASKER" in client.get("/").text


def test_sharing_the_link_in_the_channel_is_refused(web: Web) -> None:
    before = len(web.fake.bodies("chat.postEphemeral"))
    status, _ = post_signed(f"{web.url}/slack/events", share_form("/claude-dashboard", user="U0SHARER"))
    assert status == 200
    refusal = ephemeral_to(web, "U0SHARER", before)
    assert "cannot be shared" in refusal["text"] and "signin" not in json.dumps(refusal)
    assert not any("signin?token" in json.dumps(p) for p in web.fake.bodies("chat.postMessage"))
