"""Signatures, retries, rate limits, access and errors, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
import urllib.parse

import pytest

from billbot.app.balance_book import BalanceBook
from billbot.app.services import Services
from billbot.runtime import Runtime
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from tests.billbot.slack.conftest import ADMIN, Served, serve_app, settle
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import TOKEN, command_form, home_opened, post_signed


def test_a_bad_signature_and_a_stale_timestamp_get_401_and_no_side_effect(served: Served) -> None:
    form = command_form("/claude-spend", "7d")
    assert post_signed(served.url, form, secret="not-the-secret")[0] == 401
    assert post_signed(served.url, form, timestamp=int(time.time()) - 6 * 60)[0] == 401
    event = home_opened()
    assert post_signed(served.url, event, secret="x", content_type="application/json")[0] == 401
    settle()
    assert served.fake.methods() == [] and len(served.deliveries) == 0


def test_a_retried_command_posts_once(served: Served) -> None:
    form = command_form("/claude-help", "", trigger="111.222.same")
    assert post_signed(served.url, form)[0] == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert post_signed(served.url, form, headers=retry) == (200, "")
    served.fake.wait_for("chat.postEphemeral")
    assert post_signed(served.url, form, headers={"X-Slack-Retry-Num": "2"}) == (200, "")
    settle(0.5)
    assert len(served.fake.bodies("chat.postEphemeral")) == 1


def test_a_retry_of_a_delivery_whose_first_attempt_failed_is_processed(served: Served) -> None:
    served.fake.fail_once("chat.postEphemeral", 200, {"ok": False, "error": "internal_error"}, {})
    form = command_form("/claude-help", "", trigger="333.444.died")
    assert post_signed(served.url, form)[0] == 200
    first, apology = served.fake.wait_for("chat.postEphemeral", 2)  # the failed post, then the apology
    assert "blocks" in first and "something went wrong (ref " in apology["text"]
    assert post_signed(served.url, form, headers={"X-Slack-Retry-Num": "1"})[0] == 200
    answered = served.fake.wait_for("chat.postEphemeral", 3)[2]
    assert answered["blocks"][0]["text"]["text"] == "billbot commands"


def test_a_429_from_slack_is_retried_after_retry_after_off_the_ack_path(served: Served) -> None:
    served.fake.fail_once(
        "chat.postEphemeral", 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}
    )
    started = time.monotonic()
    assert post_signed(served.url, command_form("/claude-help", ""))[0] == 200
    assert time.monotonic() - started < 1.0  # the ack did not wait for the retry
    limited, answered = served.fake.wait_for("chat.postEphemeral", 2)
    assert limited == answered and answered["blocks"][0]["text"]["text"] == "billbot commands"


def test_commands_outside_the_allowlist_are_refused_politely(fake: FakeSlack, demo: Runtime) -> None:
    served, stop = serve_app(fake, demo.services(), demo, BILLBOT_CHANNELS="C9")
    try:
        status, body = post_signed(served.url, command_form("/claude-spend", "", channel="C1"))
        assert status == 200 and "not enabled in this channel" in json.loads(body)["text"]
        assert "<#C9>" in json.loads(body)["text"]
        assert post_signed(served.url, command_form("/claude-help", "", channel="C9"))[0] == 200
        served.fake.wait_for("chat.postEphemeral")
    finally:
        stop()


def test_an_unexpected_failure_is_one_sentence_with_a_ref_and_no_secret(
    fake: FakeSlack, demo: Runtime
) -> None:
    def broken() -> Services:
        raise RuntimeError(f"exploded while holding {TOKEN}")

    served, stop = serve_app(fake, broken, demo)
    try:
        assert post_signed(served.url, command_form("/claude-spend", "7d"))[0] == 200
        (posted,) = served.fake.wait_for("chat.postEphemeral")
        assert "something went wrong (ref " in posted["text"]
        assert TOKEN not in json.dumps(fake.calls[-1][1]) and "exploded" not in posted["text"]
    finally:
        stop()


def test_an_admin_top_up_is_recorded_in_the_balance_book(
    fake: FakeSlack, demo: Runtime, tmp_path: object
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/book.db")
    migrate(engine)
    book = BalanceBook(engine, "org-test", "Anthropic Admin API")
    served, stop = serve_app(fake, dataclasses.replace(demo.services(), book=book), demo)
    try:
        form = command_form("/claude-balance", "topup 500 2026-11-01", user=ADMIN)
        assert post_signed(served.url, form) == (200, "")
        (posted,) = served.fake.wait_for("chat.postEphemeral")
        assert "Recorded a top-up of $500.00 on 2026-11-01." in json.dumps(posted["blocks"])
        history = command_form("/claude-balance", "history", user="U2")
        assert post_signed(served.url, history)[0] == 200
        answer = served.fake.wait_for("chat.postEphemeral", 2)[1]
        assert "topup" in json.dumps(answer["blocks"]) and answer["user"] == "U2"
    finally:
        stop()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=not-json", "application/x-www-form-urlencoded"),
        ("payload=", "application/x-www-form-urlencoded"),
        ("payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),  # JSON, but not an object
        ('{"type": "event_callback", "event": {"type": "app_home_op', "application/json"),
        ("[]", "application/json"),
    ],
    ids=["payload not JSON", "empty payload", "payload a list", "truncated event", "event a list"],
)
def test_a_signed_but_malformed_request_is_a_400_and_not_a_crash(
    served: Served, body: str, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    status, _ = post_signed(served.url, body, content_type=content_type)
    assert status == 400
    settle()
    assert served.fake.effects() == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "logged as a crash"


def test_a_command_without_a_channel_or_user_posts_nowhere(served: Served) -> None:
    form = urllib.parse.parse_qs(command_form("/claude-spend", "7d"))
    del form["channel_id"]
    status, body = post_signed(served.url, urllib.parse.urlencode(form, doseq=True))
    assert status == 200 and "without a channel or user" in json.loads(body)["text"]
    settle()
    assert "chat.postEphemeral" not in served.fake.methods()
