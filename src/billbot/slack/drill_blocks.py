"""The drill headline's blocks and buttons, the "Type an action…" form, and reading a click back.

A button's value is `{"run": ID, "do": "topup 500"}` (the form's button carries only the run); the
form's private metadata is `{"run": ID, "channel": C}`.
"""

from __future__ import annotations

import json
from typing import Any

from billbot.slack.blocks import Block

ACT_ACTION = "drill_act"
TYPE_ACTION = "drill_type"
FORM_CALLBACK = "drill_form"
BUTTONS = (
    ("Buy $500 of credits", "topup 500"),
    ("Auto-reload 50 → 300", "autoreload 50 300"),
    ("Update the card", "card update"),
    ("Back off", "backoff"),
    ("Check the balance", "balance"),
    ("Retry failed", "retry"),
    ("Resolve", "resolve"),
    ("Stop", "stop"),
)
PLACEHOLDER = "limit 5000 · tier 3 · pause key App key 1"


def headline_blocks(text: str, run_id: int) -> list[Block]:
    """The drill's headline: its text, the common actions as buttons and "Type an action…"."""
    buttons: list[dict[str, Any]] = [
        {
            "type": "button",
            "action_id": f"{ACT_ACTION}_{index}",
            "text": {"type": "plain_text", "text": label},
            "value": json.dumps({"run": run_id, "do": action}),
        }
        for index, (label, action) in enumerate(BUTTONS)
    ]
    buttons.append(
        {
            "type": "button",
            "action_id": TYPE_ACTION,
            "text": {"type": "plain_text", "text": "Type an action…"},
            "value": json.dumps({"run": run_id}),
        }
    )
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}},
        {"type": "actions", "block_id": "drill_actions_1", "elements": buttons[:5]},
        {"type": "actions", "block_id": "drill_actions_2", "elements": buttons[5:]},
    ]


def action_form(run_id: int, channel: str) -> dict[str, Any]:
    """The "Type an action…" modal: one line, as a person would reply in the thread."""
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "private_metadata": json.dumps({"run": run_id, "channel": channel}),
        "title": {"type": "plain_text", "text": "Drill action"},
        "submit": {"type": "plain_text", "text": "Do it"},
        "blocks": [
            {
                "type": "input",
                "block_id": "action",
                "label": {"type": "plain_text", "text": "What do you do?"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "text",
                    "placeholder": {"type": "plain_text", "text": PLACEHOLDER},
                },
            }
        ],
    }


def clicked(body: dict[str, Any]) -> tuple[int, str] | None:
    """A drill button's (run id, action text), or None for a value billbot did not write."""
    try:
        value = json.loads(body["actions"][0]["value"])
        return int(value["run"]), str(value.get("do", ""))
    except (KeyError, IndexError, TypeError, ValueError):
        return None
