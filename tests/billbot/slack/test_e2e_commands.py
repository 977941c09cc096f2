"""Every command end to end: signed form posts to the app served on 127.0.0.1, answers captured by a
fake Slack Web API. Ack within 3 s, the answer ephemeral with a share button, the share posted."""

from __future__ import annotations

import json
import time

import pytest

from tests.billbot.slack.conftest import ADMIN, Served, settle
from tests.billbot.slack.signed import command_form, post_signed, share_form

COMMANDS = {
    "/claude-spend": ("7d by model", "Claude API spend"),
    "/claude-usage": ("mtd by key", "Claude API usage"),
    "/claude-balance": ("", "Claude API balance"),
    "/claude-limits": ("", "Claude API limits"),
    "/claude-help": ("", "billbot commands"),
}


def header(blocks: list[dict[str, object]]) -> str:
    first = blocks[0]
    assert first["type"] == "header"
    return str(first["text"]["text"])  # type: ignore[index]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_acks_fast_then_posts_an_ephemeral_answer_with_a_share_button(
    served: Served, command: str
) -> None:
    text, title = COMMANDS[command]
    started = time.monotonic()
    status, body = post_signed(served.url, command_form(command, text))
    assert status == 200 and time.monotonic() - started < 3
    assert body == ""  # an empty ack: the answer follows as its own message
    (posted,) = served.fake.wait_for("chat.postEphemeral", timeout=20)
    assert (posted["channel"], posted["user"]) == ("C1", "U1")
    blocks = posted["blocks"]
    assert header(blocks).startswith(title) and len(blocks) <= 50
    assert "sandbox · simulated org 'demo'" in json.dumps(blocks, ensure_ascii=False)
    button = blocks[-1]["elements"][0]
    assert button["action_id"] == "share_answer"
    assert button["value"] == f"{command} {text}".strip()
    assert posted["text"]  # the notification fallback


def test_bad_input_is_acked_at_once_with_the_message_and_the_usage_line(served: Served) -> None:
    status, body = post_signed(served.url, command_form("/claude-spend", "by colour"))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"
    assert "'by' takes one of" in answer["text"] and "Usage: `/claude-spend [PERIOD]" in answer["text"]
    settle()
    assert "chat.postEphemeral" not in served.fake.methods()


def test_an_unknown_workspace_is_one_sentence(served: Served) -> None:
    assert post_signed(served.url, command_form("/claude-spend", "mtd workspace Nowhere"))[0] == 200
    (posted,) = served.fake.wait_for("chat.postEphemeral", timeout=20)
    assert posted["text"].startswith("no workspace named 'Nowhere'")


def test_a_non_admin_cannot_change_the_balance(served: Served) -> None:
    status, body = post_signed(served.url, command_form("/claude-balance", "topup 500"))
    assert status == 200 and "only billbot admins" in json.loads(body)["text"]
    settle()
    assert served.fake.effects() == []


def test_an_admin_on_the_sandbox_is_told_the_sandbox_keeps_its_own_balance(served: Served) -> None:
    assert post_signed(served.url, command_form("/claude-balance", "topup 500", user=ADMIN))[0] == 200
    (posted,) = served.fake.wait_for("chat.postEphemeral", timeout=20)
    assert "A sandbox knows its balance exactly" in json.dumps(posted["blocks"], ensure_ascii=False)
    assert posted["blocks"][-1]["type"] != "actions"  # a money change has no share button


def test_share_posts_the_answer_in_the_channel_and_its_thread(served: Served) -> None:
    status, _ = post_signed(served.url, share_form("/claude-spend 7d", thread_ts="1700000000.000100"))
    assert status == 200
    (posted,) = served.fake.wait_for("chat.postMessage", timeout=20)
    assert posted["channel"] == "C1" and posted["thread_ts"] == "1700000000.000100"
    assert header(posted["blocks"]).startswith("Claude API spend · last 7 days")
    assert posted["blocks"][-1]["elements"][0]["text"] == "shared by <@U1>"


def test_share_never_repeats_a_money_change(served: Served) -> None:
    assert post_signed(served.url, share_form("/claude-balance topup 500", user=ADMIN))[0] == 200
    (posted,) = served.fake.wait_for("chat.postEphemeral", timeout=20)
    assert "cannot be shared" in posted["text"]
    assert served.fake.bodies("chat.postMessage") == []


def test_where_the_bot_is_not_a_member_answers_go_through_the_response_url(served: Served) -> None:
    fake = served.fake
    fake.fail_once("chat.postEphemeral", 200, {"ok": False, "error": "channel_not_found"}, {})
    assert post_signed(served.url, command_form("/claude-help", "", hook=fake.hook))[0] == 200
    (hooked,) = fake.wait_for("response_url")
    assert hooked["response_type"] == "ephemeral" and header(hooked["blocks"]) == "billbot commands"
    fake.fail_once("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"}, {})
    assert post_signed(served.url, share_form("/claude-help", thread_ts="1.5", hook=fake.hook))[0] == 200
    shared = fake.wait_for("response_url", 2)[1]
    assert shared["response_type"] == "in_channel" and shared["thread_ts"] == "1.5"
