"""HTTP mode's one ASGI app: Slack's endpoint, the health check and the web page, over one runtime.

`billbot serve` runs it. Slack's answers and the page's panels are computed by the same worker
processes (`billbot.runtime.workers`), so a page load never slows an ack; the page's sign-in links
are recorded as used in the configured store, so a link works once whichever process gets it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from starlette.applications import Starlette

from billbot.access.used_links import UsedLinks
from billbot.app.table import BY_NAME
from billbot.runtime import Runtime
from billbot.runtime.slack import answer_pool, slack_app
from billbot.slack.server import create_asgi
from billbot.web.panels import Answer
from billbot.web.sessions import Sessions
from billbot.web.site import Site


def http_app(runtime: Runtime, *, answer: Answer | None = None) -> Starlette:
    """Slack's requests at /slack/events, GET /healthz, and the dashboard at / (signed in).

    `answer` computes answers and panels (default: worker processes; tests answer in-process).
    """
    settings = runtime.settings
    assert settings.slack_signing_secret is not None, "`billbot serve` checks the credentials first"
    if answer is None:
        answer = answer_pool(runtime).answer
    app = slack_app(runtime, answer=answer)
    site = web_site(runtime, answer)
    return create_asgi(app, settings.slack_signing_secret.get_secret_value(), routes=site.routes())


def web_site(runtime: Runtime, answer: Answer) -> Site:
    """The web page over a runtime: its links and sessions share the session secret of the settings."""
    settings = runtime.settings
    links = runtime.sign_in_links
    assert links is not None, "a signing secret (or a session secret) is set in HTTP mode"
    sessions = Sessions(links.signer, secure=settings.dashboard_url.startswith("https://"))
    used: Callable[[], UsedLinks] = cache(lambda: UsedLinks(runtime.store))
    return Site(
        links, sessions, used, answer, runtime.now, settings.is_admin, settings.dashboard_url, tuple(BY_NAME)
    )
