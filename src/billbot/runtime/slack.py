"""The Slack app over a runtime: web client, ticket desk, watch desk, dedupe, ticker and watch schedule.

`billbot serve` and `billbot socket` both call `slack_app`; tests build the same app over their own
runtime. Reminders and the ticket outbox tick at once (what a killed process left unposted) and then
every minute until the runtime closes; the watch scheduler (`billbot.slack.watch.scheduler`) runs the
watch every `BILLBOT_WATCH_EVERY` (one process at a time), posts its alerts and the daily digest, and
stops with the runtime too. Answers are computed in worker processes (`billbot.runtime.workers`), so
a burst of them never slows an ack.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App
from slack_sdk import WebClient

from billbot.app.command import Actor, Reply
from billbot.app.whatif_runs import WhatIfRuns
from billbot.runtime import Runtime
from billbot.runtime.workers import WorkerPool
from billbot.slack.app import create_app, web_client_for
from billbot.slack.store_dedupe import shared_deliveries
from billbot.slack.tickets.desk import Ticker, TicketDesk
from billbot.slack.tickets.relay import TicketRelay
from billbot.slack.watch.desk import WatchDesk
from billbot.slack.watch.digest import DigestPoster
from billbot.slack.watch.dispute import dispute_link
from billbot.slack.watch.relay import WatchRelay
from billbot.slack.watch.scheduler import WatchScheduler
from billbot.tickets.evidence.gather import sources_for
from billbot.tickets.files import TicketFiles

ANSWER_WORKERS = 2  # answers are computed in worker processes; two keep a small machine's acks quick


def slack_app(runtime: Runtime, *, answer: Callable[[str, Actor], Reply] | None = None) -> App:
    """The bolt app with every listener, its ticket desk ticking until the runtime closes.

    `answer` computes answers off the ack path (default: worker processes of its own).
    """
    settings = runtime.settings
    client = web_client_for(settings)
    service = runtime.tickets  # a bad BILLBOT_PROVIDER or profile file fails here, before serving
    organization = runtime.book.org_id if runtime.book is not None else runtime.source.label
    files = TicketFiles(
        service, sources_for(runtime.source, runtime.data), organization=organization, now=runtime.now
    )
    relay = TicketRelay(service, client, runtime.now, files)
    desk = TicketDesk(service, relay, settings.provider, settings.ticket_channel)
    watch, schedule = watch_desk(runtime, client, desk, organization)
    if answer is None:
        answer = answer_pool(runtime).answer
    app = create_app(
        settings, runtime.services(), now=runtime.now, web_client=client,
        deliveries=shared_deliveries(service.engine), tickets=desk, answer=answer,
        whatif_runs=WhatIfRuns(runtime.store), watch=watch,
    )  # fmt: skip
    runtime.on_close(Ticker(desk, runtime.now).start().stop)
    runtime.on_close(schedule.start().stop)
    return app


def watch_desk(
    runtime: Runtime, client: WebClient, tickets: TicketDesk, organization: str
) -> tuple[WatchDesk, WatchScheduler]:
    """The watch's desk (alert buttons, App Home) and its scheduler (not started) over the runtime."""
    service = runtime.watch
    label = runtime.source.label
    relay = WatchRelay(
        service.store, client, label, lambda alert_id: dispute_link(service.engine, client, alert_id)
    )
    desk = WatchDesk(service, relay, tickets, organization, runtime.now)
    settings = runtime.settings
    digest = DigestPoster(
        service, client, channel=settings.alert_channel, hour=settings.digest_hour, source=lambda: label
    )
    # The embedded demo's cache is a scratch file and its source is in-process: syncing it costs more
    # than reading the source (a never-synced cache reads it), so only a real cache is refreshed.
    sync = runtime.sync if runtime.source.kind != "embedded_sandbox" else lambda: None
    scheduler = WatchScheduler(desk, digest, every=settings.watch_every, sync=sync, now=runtime.now)
    return desk, scheduler


def alert_poster(runtime: Runtime) -> Callable[[], int] | None:
    """Posts the watch's outbox to Slack (returns how many posts), for `billbot watch`; None without Slack."""
    settings = runtime.settings
    if settings.slack_bot_token is None:
        return None
    client = web_client_for(settings)
    service = runtime.watch
    relay = WatchRelay(
        service.store, client, runtime.source.label,
        lambda alert_id: dispute_link(service.engine, client, alert_id),
    )  # fmt: skip
    return relay.flush


def answer_pool(runtime: Runtime) -> WorkerPool:
    """Worker processes answering command lines over the same settings, stopped when the runtime closes."""
    workers = WorkerPool(runtime.shareable_settings(), ANSWER_WORKERS)
    runtime.on_close(workers.close)
    return workers
