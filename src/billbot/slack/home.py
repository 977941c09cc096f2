"""The App Home tab: gather the dashboard's parts from the answers service and publish the view."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient

from billbot.commands.grammar import BalanceQuery, LimitsQuery, Query, SpendQuery
from billbot.core.periods import parse_period
from billbot.service import NoBalanceRecord, UnknownWorkspace
from billbot.slack.deps import Deps
from billbot.slack.errors import correlation_id, user_message
from billbot.slack.home_view import Part, home_view
from billbot.tickets.responses import attention

log = logging.getLogger("billbot.slack")


def publish_home(deps: Deps, user: str, client: WebClient) -> None:
    """Compute the dashboard for `user` and publish it (each part fails on its own)."""
    now = deps.now()
    answers = deps.answers()

    def part(query: Query) -> Part:
        try:
            return answers.answer(query, now)
        except (NoBalanceRecord, UnknownWorkspace) as exc:
            return str(exc)
        except Exception as exc:
            ref = correlation_id()
            log.error("home part failed ref=%s type=%s", ref, type(exc).__name__, exc_info=exc)
            return user_message(exc, ref)

    desk = deps.tickets
    tickets = attention(desk.service.tickets(include_resolved=False), now) if desk is not None else []
    view = home_view(
        part(BalanceQuery()),
        part(SpendQuery(parse_period("mtd", now))),
        part(LimitsQuery()),
        updated=now,
        tickets=tickets,
    )
    client.views_publish(user_id=user, view=view)


def home_user(event: Mapping[str, Any]) -> str | None:
    """The user whose Home tab was opened (None for the Messages tab)."""
    if event.get("tab", "home") != "home":
        return None
    user = event.get("user")
    return str(user) if user else None
