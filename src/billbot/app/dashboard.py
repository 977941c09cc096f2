"""`/claude-dashboard`: a sign-in link to the web page, only for the person who asked.

The link works once and for a few minutes (`billbot.access.links`); it signs in the asker's Slack
user, so it is never shareable (the table says so) and the reply says not to forward it.
"""

from __future__ import annotations

from datetime import datetime

from billbot.app.command import Actor, Reply
from billbot.app.errors import Unavailable
from billbot.app.grammar.dashboard import DashboardQuery
from billbot.app.replies.model import Fact, Response
from billbot.app.services import Services

TITLE = "billbot dashboard · your sign-in link"
NO_DASHBOARD = (
    "The dashboard needs a session secret: set SLACK_SIGNING_SECRET or BILLBOT_SESSION_SECRET, "
    "and run `billbot serve` (see docs/DEPLOY.md)."
)
ONLY_YOU = (
    "Only you can see this link, and it signs in as you: do not forward it. It works once; after "
    "that, your browser stays signed in for the day. Run /claude-dashboard again for a new one."
)


def dashboard(services: Services, query: DashboardQuery, actor: Actor, now: datetime) -> Reply:
    """A one-time sign-in link for the actor, with when it expires."""
    if services.sign_in is None:
        raise Unavailable(NO_DASHBOARD)
    link = services.sign_in(actor.user)
    minutes = int(link.valid_for.total_seconds() // 60)
    facts = (
        Fact("Sign-in link", link.url),
        Fact("Works until", f"{link.expires_at:%H:%M} UTC ({minutes} minutes, once)"),
    )
    return Response(TITLE, services.label, facts, notes=(ONLY_YOU,))
