"""One listener module per command, plus the share button and the App Home tab."""

from __future__ import annotations

from slack_bolt import App

from billbot.slack.deps import Deps
from billbot.slack.listeners import (
    balance,
    dispute,
    help,
    home,
    limits,
    refund,
    share,
    spend,
    tickets,
    usage,
)
from billbot.slack.tickets import listeners as ticket_actions

COMMAND_LISTENERS = (spend, usage, balance, limits, dispute, refund, tickets, help)


def commands() -> set[str]:
    """Every slash command that has a listener."""
    return {module.COMMAND for module in COMMAND_LISTENERS}


def register_all(app: App, deps: Deps) -> None:
    """Register every listener on `app`."""
    for module in (*COMMAND_LISTENERS, share, home, ticket_actions):
        module.register(app, deps)
