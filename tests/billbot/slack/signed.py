"""Requests signed as Slack signs them: v0=HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

SECRET = "test-signing-secret-8f2b"
TOKEN = "xoxb-test-PLANTED-bot-token"


def sign(body: str, timestamp: int, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def post_signed(
    url: str,
    body: str,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    content_type: str = "application/x-www-form-urlencoded",
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    """POST `body` signed with `secret` at `timestamp` (now by default); the status and the body."""
    ts = int(time.time()) if timestamp is None else timestamp
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(body, ts, secret),
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


NO_HOOK = "http://127.0.0.1:9/hooks/none"


def command_form(
    command: str, text: str, *, user: str = "U1", channel: str = "C1", trigger: str = "", hook: str = NO_HOOK
) -> str:
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": "T1",
            "team_domain": "acme",
            "channel_id": channel,
            "channel_name": "billing",
            "user_id": user,
            "user_name": "ada",
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "response_url": hook,
            "trigger_id": trigger or f"{time.time_ns()}.1.abc",
        }
    )


def interaction(kind: str, user: str, trigger: str, **fields: Any) -> str:
    """An interaction payload of `kind` from `user` (team, app, token as Slack sends them), form-encoded."""
    payload = {
        "type": kind,
        "team": {"id": "T1", "domain": "acme"},
        "user": {"id": user, "username": "ada", "team_id": "T1"},
        "api_app_id": "A1",
        "token": "legacy",
        "trigger_id": f"{time.time_ns()}.{trigger}",
    } | fields
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def share_form(
    command_text: str, *, user: str = "U1", thread_ts: str | None = None, hook: str = NO_HOOK
) -> str:
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": "1.1",
        "channel_id": "C1",
        "is_ephemeral": True,
    }
    if thread_ts:
        container["thread_ts"] = thread_ts
    return interaction(
        "block_actions",
        user,
        "2.def",
        container=container,
        channel={"id": "C1", "name": "billing"},
        response_url=hook,
        actions=[
            {
                "type": "button",
                "action_id": "share_answer",
                "block_id": "b1",
                "value": command_text,
                "text": {"type": "plain_text", "text": "Share in channel"},
                "action_ts": "1.2",
            }
        ],
    )


def home_opened(user: str = "U1", event_id: str = "Ev1") -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"},
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        }
    )
