"""The Slack app factory: settings and dependencies in, a configured `slack_bolt.App` out.

No module-level app. The Web API client points at `SLACK_API_URL` and retries 429s itself (sleeping
in the job thread, never on the ack path). A global middleware turns Slack's retried deliveries away
(`billbot.slack.dedupe`); one error handler answers any failure with a short sentence and a
correlation id. Listeners ack in Bolt's pool; their work runs on a separate bounded job pool whose
jobs step aside while acks are in flight (`billbot.slack.jobs`), so a burst of slow answers never
delays another command's ack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from billbot.app.command import Actor, Reply
from billbot.app.services import Services
from billbot.app.table import execute, parse
from billbot.app.whatif_runs import WhatIfRuns
from billbot.settings import Settings
from billbot.slack.commands import register_commands
from billbot.slack.dedupe import Deliveries, DeliveryTable, delivery_key
from billbot.slack.deps import Deps
from billbot.slack.drill import DrillDesk, drill_desk
from billbot.slack.drill_listeners import register_drill
from billbot.slack.errors import report_failure
from billbot.slack.home import register_home
from billbot.slack.jobs import JobPool
from billbot.slack.tickets import listeners as ticket_listeners
from billbot.slack.tickets.desk import TicketDesk
from billbot.slack.watch import listeners as watch_listeners
from billbot.slack.watch.desk import WatchDesk
from billbot.slack.whatif import WhatIfDesk
from billbot.slack.whatif_listeners import register_whatif
from billbot.store.engine import memory_store

log = logging.getLogger("billbot.slack")
ACK_WORKERS = 16  # Bolt's pool: listeners only parse and ack there
JOB_WORKERS = 4  # answers are CPU- and I/O-bound; a few at a time keeps the acks quick
RATE_LIMIT_RETRIES = 3


class SlackNotConfigured(RuntimeError):
    """A Slack credential the chosen mode needs is missing."""


def create_app(
    settings: Settings,
    services: Callable[[], Services] | Services,
    *,
    now: Callable[[], datetime],
    web_client: WebClient | None = None,
    deliveries: DeliveryTable | None = None,
    jobs: JobPool | None = None,
    tickets: TicketDesk | None = None,
    answer: Callable[[str, Actor], Reply] | None = None,
    whatif_runs: WhatIfRuns | None = None,
    drills: DrillDesk | None = None,
    watch: WatchDesk | None = None,
) -> App:
    """A bolt `App` with every billbot listener, the dedupe middleware and the error handler.

    `answer` runs a command line off the ack path (default: in this process, over `services`);
    `whatif_runs` keeps what-ifs asked in channels (default: a store in memory, gone with the app);
    drills are kept in the same store (`drills`: a desk built elsewhere, e.g. paced by a test);
    `watch` gives the alert messages' buttons their desk.
    """
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        raise SlackNotConfigured("set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see docs/DEPLOY.md)")
    client = web_client or web_client_for(settings)
    current = services if callable(services) else (lambda: services)
    answering = answer or in_process(current, now)
    runs = whatif_runs or WhatIfRuns(memory_store())
    deps = Deps(
        settings=settings,
        services=current,
        now=now,
        answer=answering,
        deliveries=deliveries or Deliveries(),
        jobs=jobs or JobPool(JOB_WORKERS),
        tickets=tickets,
        whatifs=WhatIfDesk(runs, answering, client, now, settings.is_admin),
        drills=drills or drill_desk(settings, client, now, whatif_runs.engine if whatif_runs else None),
        watch=watch,
    )
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        process_before_response=False,
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(max_workers=ACK_WORKERS, thread_name_prefix="billbot-ack"),
        logger=log,
    )

    @app.middleware
    def dedupe(
        body: dict[str, Any], context: BoltContext, request: BoltRequest, next: Callable[[], Any]
    ) -> Any:
        key = delivery_key(body)
        if key is not None:
            if not deps.deliveries.claim(key):
                retry = request.headers.get("x-slack-retry-num", ["0"])[0]
                log.info("duplicate delivery %s (retry %s): already handled", key, retry)
                return BoltResponse(status=200, body="")
            context["delivery_key"] = key
        deps.jobs.ack_started()
        try:
            return next()  # returns once the listener has acked
        finally:
            deps.jobs.ack_finished()

    @app.error
    def on_error(error: Exception, body: dict[str, Any], context: BoltContext) -> None:
        report_failure(error, body, app.client, deps.deliveries, context.get("delivery_key"))

    register_commands(app, deps)
    register_whatif(app, deps)
    register_drill(app, deps)
    if whatif_runs is not None:  # a kept store: finish or re-post what a stopped bot left
        desk = deps.whatifs
        assert desk is not None
        deps.jobs.submit(lambda: log.info("what-ifs resumed: %d", desk.resume()))
        played = deps.drills
        assert played is not None
        deps.jobs.submit(lambda: log.info("drills interrupted by the restart: %d", played.interrupted()))
    register_home(app, deps)
    ticket_listeners.register(app, deps)
    watch_listeners.register(app, deps)
    return app


def in_process(
    services: Callable[[], Services], now: Callable[[], datetime]
) -> Callable[[str, Actor], Reply]:
    """Answer command lines in this process (tests, and a bot started without workers)."""

    def answer(text: str, actor: Actor) -> Reply:
        moment = now()
        return execute(parse(text, moment), services(), actor, moment)

    return answer


def web_client_for(settings: Settings) -> WebClient:
    """The bot's Web API client: base URL from settings, 429s retried after `Retry-After`."""
    assert settings.slack_bot_token is not None
    client = WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client
